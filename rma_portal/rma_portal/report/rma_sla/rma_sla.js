// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// The shared filters come from public/js/report_filters.js (hooks.app_include_js).
frappe.query_reports["RMA SLA"] = {
	filters: [
		{
			fieldname: "days",
			label: __("Older Than (Days)"),
			fieldtype: "Int",
			default: 14,
			reqd: 1,
		},
		rma_portal.report_filters.select("breach", __("Breach"), [
			["Overdue for approval", __("Overdue for approval")],
			["Awaiting approval", __("Awaiting approval")],
			["Overdue for receipt", __("Overdue for receipt")],
			["Overdue for credit note", __("Overdue for credit note")],
		]),
		rma_portal.report_filters.company(),
		rma_portal.report_filters.kind(),
		rma_portal.report_filters.customer(),
	],

	formatter(value, row, column, data, default_formatter) {
		if (data && ["status", "kind"].includes(column.fieldname) && data[column.fieldname]) {
			const text = frappe.utils.escape_html(__(data[column.fieldname]));
			if (column.fieldname === "kind") return text;
			const colors = { Requested: "yellow", Expected: "orange" };
			return `<span class="indicator-pill ${colors[data.status] || "blue"}">${text}</span>`;
		}
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "breach" && data) {
			// a request within its review time is listed, not late
			const within = data.status === "Requested" && data.overdue_days == null;
			const tone = within ? "text-muted" : data.status === "Expected" ? "text-warning" : "text-danger";
			value = `<span class="${tone}">${value}</span>`;
		}
		if (column.fieldname === "overdue_days" && data && data.overdue_days > 14) {
			value = `<span class="text-danger font-weight-bold">${value}</span>`;
		}
		return value;
	},
};
