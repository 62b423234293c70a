// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

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
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Expected", label: __("Expected") },
				{ value: "Received", label: __("Received") },
				{ value: "Invoiced", label: __("Invoiced") },
				{ value: "Completed", label: __("Completed") },
				{ value: "Rejected", label: __("Rejected") },
				{ value: "Cancelled", label: __("Cancelled") },
				{ value: "Draft", label: __("Draft") },
			],
		},
		{
			fieldname: "kind",
			label: __("Kind"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Return", label: __("Return") },
				{ value: "Service", label: __("Service") },
			],
		},
		{
			fieldname: "customer",
			label: __("Customer"),
			fieldtype: "Link",
			options: "Customer",
		},
	],

	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "group_value" && data && !data.group_value) {
			// lines without a return reason / handling
			return `<span class="text-muted">${__("Not set")}</span>`;
		}
		return default_formatter(value, row, column, data);
	},
};
