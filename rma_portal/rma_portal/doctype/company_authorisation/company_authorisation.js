// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// Staff decide here (rma_portal/api/company.py -> services/company/authorisations.py). The registration
// documents and the signed copy are the form's attachments.
frappe.ui.form.on("Company Authorisation", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.status === "Submitted") {
			frm.add_custom_button(__("Accept"), () => ca_accept(frm), __("Decide"));
			frm.add_custom_button(__("Reject"), () => ca_reject(frm), __("Decide"));
			frm.set_intro(__("Check the registration documents and the signed authorisation (attachments), then accept or reject."), "blue");
		} else if (frm.doc.status === "Open") {
			frm.set_intro(__("Waiting for the signed authorisation from the requester."), "yellow");
			frm.add_custom_button(__("Reject"), () => ca_reject(frm), __("Decide"));
		}
	},
});

function ca_call(frm, method, args) {
	return frappe.call({
		method: "rma_portal.api.company." + method,
		args: Object.assign({ name: frm.doc.name }, args || {}),
		freeze: true,
	}).then(() => frm.reload_doc());
}

async function ca_accept(frm) {
	let admin = null;
	if (frm.doc.customer) {
		const r = await frappe.db.get_value("Company Member", { customer: frm.doc.customer, is_admin: 1 }, "user");
		admin = r && r.message && r.message.user;
	}
	if (admin && admin !== frm.doc.user) {
		frappe.confirm(
			__("{0} is the administrator of {1} now. Accepting makes {2} the administrator instead; {0} stays a user of the company.", [admin, frm.doc.customer, frm.doc.user]),
			() => ca_call(frm, "accept_authorisation", { replace: 1 })
		);
	} else {
		frappe.confirm(
			__("Make {0} the administrator of this company?", [frm.doc.user]),
			() => ca_call(frm, "accept_authorisation", { replace: 0 })
		);
	}
}

function ca_reject(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Reject"),
		fields: [{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1, description: __("Sent to the requester by e-mail.") }],
		primary_action_label: __("Reject"),
		primary_action(values) {
			dialog.hide();
			ca_call(frm, "reject_authorisation", { reason: values.reason });
		},
	});
	dialog.show();
}
