// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// Submitted requests (with the signed copy) wait for staff's decision.
frappe.listview_settings["Company Authorisation"] = {
	add_fields: ["status"],
	has_indicator_for_draft: true,
	get_indicator(doc) {
		const colors = { Open: "orange", Submitted: "blue", Accepted: "green", Rejected: "red", Replaced: "gray" };
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
