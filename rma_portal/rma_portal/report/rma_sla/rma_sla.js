// Copyright (c) 2026, rma_portal contributors
// For license information, please see license.txt

frappe.query_reports["RMA SLA"] = {
	filters: [
		{
			fieldname: "days",
			label: __("Older Than (Days)"),
			fieldtype: "Int",
			default: 14,
			reqd: 1,
		},
		{
			fieldname: "breach",
			label: __("Breach"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Overdue for receipt", label: __("Overdue for receipt") },
				{ value: "Overdue for credit note", label: __("Overdue for credit note") },
			],
		},
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
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
		if (data && ["status", "kind"].includes(column.fieldname) && data[column.fieldname]) {
			const text = frappe.utils.escape_html(__(data[column.fieldname]));
			if (column.fieldname === "kind") return text;
			const color = data.status === "Expected" ? "orange" : "blue";
			return `<span class="indicator-pill ${color}">${text}</span>`;
		}
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "breach" && data) {
			value = `<span class="${data.status === "Expected" ? "text-warning" : "text-danger"}">${value}</span>`;
		}
		if (column.fieldname === "overdue_days" && data && data.overdue_days > 14) {
			value = `<span class="text-danger font-weight-bold">${value}</span>`;
		}
		return value;
	},
};
