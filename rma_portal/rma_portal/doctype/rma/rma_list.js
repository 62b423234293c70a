// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

frappe.listview_settings["RMA"] = {
	add_fields: ["status", "kind", "credit_note"],
	has_indicator_for_draft: true,
	get_indicator(doc) {
		const colors = {
			Draft: "gray",
			Expected: "orange",
			Received: "blue",
			Invoiced: "green",
			Completed: "green",
			Rejected: "red",
			Cancelled: "darkgrey",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
