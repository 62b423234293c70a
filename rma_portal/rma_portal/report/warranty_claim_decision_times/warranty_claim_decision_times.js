// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// The shared filters come from public/js/report_filters.js (hooks.app_include_js).
frappe.query_reports["Warranty Claim Decision Times"] = {
	filters: [
		...rma_portal.report_filters.period(),
		rma_portal.report_filters.select("status", __("Status"), [
			["Decided", __("Decided (Granted or Refused)")],
			["Open", __("Open (not decided)")],
			["Received", __("Received")],
			["In processing", __("In processing")],
			["Granted", __("Granted")],
			["Refused", __("Refused")],
		]),
		rma_portal.report_filters.company(false),
		rma_portal.report_filters.customer(),
		rma_portal.report_filters.link("item_code", __("Item"), "Item"),
	],

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "status" && data && data.status) {
			const colors = {
				Received: "blue",
				"In processing": "orange",
				Granted: "green",
				Refused: "red",
			};
			value = `<span class="indicator-pill ${colors[data.status] || "gray"}">${frappe.utils.escape_html(
				__(data.status)
			)}</span>`;
		}
		return value;
	},
};
