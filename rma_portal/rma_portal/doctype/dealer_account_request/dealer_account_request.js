// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt
// Staff decide an Open request here: Approve does what it asks (all or nothing), Reject asks for the
// reason that is e-mailed to the requester (rma_portal.api.account_requests).

const RMA_AR_API = "rma_portal.api.account_requests.";

frappe.ui.form.on("Dealer Account Request", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.status !== "Open") return;
		const relation = frm.doc.__onload && frm.doc.__onload.requester_relation;
		if (relation) {
			// the requester's relation to the account; red when the request cannot be approved for it
			frm.dashboard.add_comment(frappe.utils.escape_html(relation.text), relation.ok ? "blue" : "red", true);
		}
		if (frm.doc.due_date && frappe.datetime.get_day_diff(frappe.datetime.get_today(), frm.doc.due_date) > 0) {
			frm.dashboard.set_headline_alert(
				__("Overdue: this request was due on {0}.", [frappe.datetime.str_to_user(frm.doc.due_date)]),
				"red"
			);
		}
		const decide = (method, args, message) => {
			if (frm.is_dirty()) {
				frappe.msgprint(__("Save the request first."));
				return;
			}
			frappe.call({
				method: RMA_AR_API + method,
				args: { name: frm.doc.name, ...args },
				freeze: true,
				freeze_message: message,
				callback: () => frm.reload_doc(),
			});
		};
		frm.add_custom_button(__("Approve"), () => {
			frappe.confirm(__("Approve this request? The records it asks for are created or changed now."), () =>
				decide("approve", {}, __("Approving..."))
			);
		}).addClass("btn-primary");
		frm.add_custom_button(__("Reject"), () => {
			frappe.prompt(
				[
					{
						fieldname: "reason",
						fieldtype: "Small Text",
						label: __("Reason for Rejection"),
						description: __("E-mailed to the requester."),
						reqd: 1,
					},
				],
				(values) => decide("reject", { reason: values.reason }, __("Rejecting...")),
				__("Reject request"),
				__("Reject")
			);
		});
	},
});
