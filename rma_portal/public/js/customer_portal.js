// rma_portal: the "Portal" section of the desk's Customer form, read-only: the company's authorisation,
// administrator, members with their rights, and its open returns, claims, account requests and tickets,
// each linked to its form. Read when the form opens (rma_portal.api.customer_desk.portal_summary).
(function () {
	"use strict";

	const esc = (value) => frappe.utils.escape_html(value == null ? "" : String(value));
	const link = (doctype, name, text) =>
		`<a href="/app/${frappe.router.slug(doctype)}/${encodeURIComponent(name)}">${esc(text || name)}</a>`;
	const date = (value) => (value ? esc(frappe.datetime.str_to_user(value)) : "");
	const user_link = (u) => (u ? link("User", u.user, u.full_name) : `<span class="text-muted">${__("None")}</span>`);

	function authorisation_html(auth) {
		const state = auth.authorised
			? `<span class="indicator-pill green">${__("Authorised")}</span> ${date(auth.authorised_on)}`
			: `<span class="indicator-pill orange">${__("Not authorised")}</span>`;
		const request = auth.last_request
			? `${link("Company Authorisation", auth.last_request.name)} (${esc(__(auth.last_request.status))})`
			: "";
		const activated = auth.activated_on
			? `${date(auth.activated_on)} ${user_link(auth.activated_by)}`
			: `<span class="text-muted">${__("Not yet")}</span>`;
		return `<table class="table table-sm table-borderless mb-3" style="max-width: 720px">
			<tr><th class="text-muted" style="width: 30%">${__("Authorisation")}</th><td>${state} ${request}</td></tr>
			<tr><th class="text-muted">${__("Portal Activated On")}</th><td>${activated}</td></tr>
		</table>`;
	}

	function members_html(members, admin) {
		const rows = members.map((m) => {
			const who = m.name ? link("Company Member", m.name, m.full_name) : esc(m.full_name);
			const badges = [
				m.is_admin ? `<span class="indicator-pill blue">${__("Administrator")}</span>` : "",
				m.enabled ? "" : `<span class="indicator-pill gray">${__("Disabled")}</span>`,
			].join(" ");
			return `<tr><td>${who} ${badges}<div class="text-muted small">${esc(m.user)}</div></td>
				<td>${m.rights.map(esc).join(", ") || `<span class="text-muted">${__("None")}</span>`}</td></tr>`;
		});
		return `<h5>${__("Members")} (${members.length})</h5>
			<p class="text-muted small">${__("Administrator")}: ${user_link(admin)}</p>
			${rows.length ? `<table class="table table-sm mb-3"><thead><tr><th style="width: 35%">${__("Member")}</th>
				<th>${__("Rights")}</th></tr></thead><tbody>${rows.join("")}</tbody></table>` : ""}`;
	}

	function open_list_html(title, doctype, list, describe, filter) {
		const more = list.total > list.rows.length
			? `<a href="/app/${frappe.router.slug(doctype)}?${filter}">${__("All {0}", [list.total])}</a>`
			: "";
		const rows = list.rows.map((row) => `<li>${link(doctype, row.name)} · ${esc(__(row.status))} ${describe(row)}</li>`);
		return `<div class="col-sm-6 mb-3"><h5>${title} (${list.total})</h5>
			${rows.length ? `<ul class="list-unstyled mb-1">${rows.join("")}</ul>${more}` : `<span class="text-muted">${__("None")}</span>`}</div>`;
	}

	// RMA Credit Hold Settings: whether the customer is held, what waits, and a lift until a date
	function credit_hold_html(hold) {
		if (!hold) return "";
		const state = hold.lifted_until
			? `<span class="indicator-pill blue">${esc(__("Lifted until {0}", [frappe.datetime.str_to_user(hold.lifted_until)]))}</span>`
			: hold.held
				? `<span class="indicator-pill red">${__("On credit hold")}</span>`
				: `<span class="indicator-pill green">${__("Not on credit hold")}</span>`;
		const overdue = hold.overdue_invoices
			? `<span class="text-muted">· ${esc(__("{0} overdue invoices", [hold.overdue_invoices]))}</span>`
			: "";
		return `<table class="table table-sm table-borderless mb-3" style="max-width: 720px">
			<tr><th class="text-muted" style="width: 30%">${__("Credit hold")}</th>
				<td>${state} ${overdue}
					<button class="btn btn-xs btn-default ml-2 rma-lift-credit-hold">${__("Lift until a date")}</button>
					<div class="text-muted small">${esc(__("Blocked while on hold: {0}", [hold.actions.join(", ")]))}</div></td></tr>
		</table>`;
	}

	function summary_html(data, customer) {
		const filter = `customer=${encodeURIComponent(customer)}`;
		const muted = (text) => (text ? `<span class="text-muted">· ${esc(text)}</span>` : "");
		return `<div class="rma-portal-summary">
			${authorisation_html(data.authorisation)}
			${credit_hold_html(data.credit_hold)}
			${members_html(data.members, data.administrator)}
			<div class="row">
				${open_list_html(__("Open returns and service requests"), "RMA", data.rmas, (r) => muted(__(r.kind)) + " " + date(r.submitted_on), filter)}
				${open_list_html(__("Open warranty claims"), "Customer Warranty Claim", data.claims, (r) => muted([r.item_code, r.serial_no].filter(Boolean).join(" ")), filter)}
				${open_list_html(__("Open account requests"), "Dealer Account Request", data.account_requests, (r) => muted(__(r.request_type)), filter)}
				${open_list_html(__("Open support tickets"), "Issue", data.tickets, (r) => muted(r.subject), filter)}
			</div></div>`;
	}

	frappe.ui.form.on("Customer", {
		refresh(frm) {
			if (frm.is_new()) return;
			frappe
				.call({
					method: "rma_portal.api.customer_desk.portal_summary",
					type: "GET",
					args: { customer: frm.doc.name },
				})
				.then((r) => {
					if (!r.message || frm.doc.name !== r.message.customer) return;
					frm.dashboard.parent.find(".rma-portal-section").remove(); // a second refresh's answer
					frm.dashboard.add_section(summary_html(r.message, frm.doc.name), __("Portal"), "custom rma-portal-section");
					frm.dashboard.parent.find(".rma-lift-credit-hold").on("click", () =>
						frappe.new_doc("RMA Credit Hold Lift", { customer: frm.doc.name })
					);
					frm.dashboard.show();
				});
		},
	});
})();
