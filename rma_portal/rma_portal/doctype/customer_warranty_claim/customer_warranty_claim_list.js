// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

frappe.listview_settings["Customer Warranty Claim"] = {
	add_fields: ["status", "goods_received"],
	has_indicator_for_draft: true,
	get_indicator(doc) {
		const colors = {
			Received: "blue",
			"In processing": "orange",
			Granted: "green",
			Refused: "red",
		};
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
