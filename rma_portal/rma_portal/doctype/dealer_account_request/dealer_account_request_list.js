// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt
// Open requests past their due date (two business days after filing) are marked Overdue.

frappe.listview_settings["Dealer Account Request"] = {
	add_fields: ["status", "due_date"],
	get_indicator(doc) {
		const today = frappe.datetime.get_today();
		if (doc.status === "Open" && doc.due_date && doc.due_date < today) {
			return [__("Overdue"), "red", `status,=,Open|due_date,<,${today}`];
		}
		const colours = { Open: "orange", Approved: "green", Rejected: "gray" };
		return [__(doc.status), colours[doc.status] || "gray", `status,=,${doc.status}`];
	},
};
