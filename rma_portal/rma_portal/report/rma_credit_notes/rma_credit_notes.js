// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

// The shared filters come from public/js/report_filters.js (hooks.app_include_js).
frappe.query_reports["RMA Credit Notes"] = {
	filters: [
		...rma_portal.report_filters.period(),
		rma_portal.report_filters.company(),
		rma_portal.report_filters.customer(),
		rma_portal.report_filters.link("rma", __("RMA"), "RMA"),
	],
};
