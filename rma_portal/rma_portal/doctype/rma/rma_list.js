// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// The review queue is this list filtered to "Requested" (the workspace's Awaiting Approval shortcut):
// each request shows how long it has waited and turns red once past its review time; Approve and
// Decline in the Actions menu decide the ticked ones (api/desk.decide_requests, idempotent).
const RMA_REVIEWERS = ["RMA Manager", "System Manager"];

function rma_decide_requests(listview, action, reason) {
	const names = listview.get_checked_items(true);
	if (!names.length) {
		frappe.msgprint(__("Tick the requests to decide first."));
		return;
	}
	frappe.call({
		method: "rma_portal.api.desk.decide_requests",
		args: { names, action, reason },
		freeze: true,
		freeze_message: action === "approve" ? __("Approving...") : __("Declining..."),
		callback(r) {
			if (!r.message) return;
			frappe.show_alert({ message: r.message.message, indicator: "green" }, 7);
			listview.clear_checked_items();
			listview.last_args = null; // the list throttles a refresh with the same filters for 3 s
			listview.refresh();
		},
	});
}

frappe.listview_settings["RMA"] = {
	add_fields: ["status", "kind", "credit_note", "submitted_on", "approval_due_on"],
	has_indicator_for_draft: true,
	get_indicator(doc) {
		const colors = {
			Draft: "gray",
			Requested: "yellow",
			Expected: "orange",
			Received: "blue",
			Invoiced: "green",
			Completed: "green",
			Rejected: "red",
			Cancelled: "darkgrey",
		};
		if (doc.status === "Requested") {
			const waited = doc.submitted_on ? frappe.datetime.prettyDate(doc.submitted_on, true) : "";
			const overdue = doc.approval_due_on && doc.approval_due_on < frappe.datetime.now_datetime();
			const label = overdue ? __("Approval overdue") : __("Awaiting approval");
			return [
				waited ? `${label} · ${waited}` : label,
				overdue ? "red" : "yellow",
				"status,=,Requested",
			];
		}
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
	onload(listview) {
		if (!frappe.user.has_role(RMA_REVIEWERS)) return;
		listview.page.add_actions_menu_item(__("Approve"), () =>
			rma_decide_requests(listview, "approve")
		);
		listview.page.add_actions_menu_item(__("Decline"), () => {
			frappe.prompt(
				{
					fieldname: "reason",
					fieldtype: "Small Text",
					label: __("Reason (the dealer reads it)"),
					reqd: 1,
				},
				(values) => rma_decide_requests(listview, "decline", values.reason),
				__("Decline the ticked requests"),
				__("Decline")
			);
		});
	},
};
