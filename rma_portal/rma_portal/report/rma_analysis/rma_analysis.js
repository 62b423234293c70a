// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// The shared filters come from public/js/report_filters.js (hooks.app_include_js). The status choices
// are this report's own (an RMA's statuses), like rma_sla.js's SLA states and the claims' statuses in
// warranty_claim_decision_times.js: lists of values that look alike, not code to share.
frappe.query_reports["RMA Analysis"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Return Reason", label: __("Return Reason") },
				{ value: "Item", label: __("Item") },
				{ value: "Customer", label: __("Customer") },
				{ value: "Handling", label: __("Handling") },
			],
			default: "Return Reason",
			reqd: 1,
		},
		rma_portal.report_filters.company(),
		...rma_portal.report_filters.period(),
		rma_portal.report_filters.select("status", __("Status"), [
			["Expected", __("Expected")],
			["Received", __("Received")],
			["Invoiced", __("Invoiced")],
			["Completed", __("Completed")],
			["Rejected", __("Rejected")],
			["Cancelled", __("Cancelled")],
			["Draft", __("Draft")],
		]),
		rma_portal.report_filters.kind(),
		rma_portal.report_filters.customer(),
	],

	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "group_value" && data && !data.group_value) {
			// lines without a return reason / handling
			return `<span class="text-muted">${__("Not set")}</span>`;
		}
		return default_formatter(value, row, column, data);
	},
};
