// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

frappe.query_reports["Overdue Account Requests"] = {
	filters: [],
};
