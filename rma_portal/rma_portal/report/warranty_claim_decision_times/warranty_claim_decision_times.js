// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

frappe.query_reports["Warranty Claim Decision Times"] = {
	filters: [
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
				{ value: "Decided", label: __("Decided (Granted or Refused)") },
				{ value: "Open", label: __("Open (not decided)") },
				{ value: "Received", label: __("Received") },
				{ value: "In processing", label: __("In processing") },
				{ value: "Granted", label: __("Granted") },
				{ value: "Refused", label: __("Refused") },
			],
		},
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
		},
		{
			fieldname: "customer",
			label: __("Customer"),
			fieldtype: "Link",
			options: "Customer",
		},
		{
			fieldname: "item_code",
			label: __("Item"),
			fieldtype: "Link",
			options: "Item",
		},
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
