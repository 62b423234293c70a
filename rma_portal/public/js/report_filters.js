// rma_portal: the filters the app's script reports share (RMA Analysis, RMA SLA, Warranty Claim
// Decision Times, RMA Credit Notes). Each report lists its filters with these builders; loaded in
// the desk through hooks.app_include_js, so it is there before a report's own script runs. The
// builders are called by the report scripts, so __() translates in the user's language.
frappe.provide("rma_portal.report_filters");

(function (f) {
	"use strict";

	f.link = (fieldname, label, doctype, extra) => ({
		fieldname,
		label,
		fieldtype: "Link",
		options: doctype,
		...extra,
	});

	// A choice from a fixed list, empty first (no filter): `options` as [value, label] pairs.
	f.select = (fieldname, label, options, extra) => ({
		fieldname,
		label,
		fieldtype: "Select",
		options: [{ value: "", label: "" }, ...options.map(([value, text]) => ({ value, label: text }))],
		...extra,
	});

	// From Date and To Date, the last twelve months by default (the reports' Python reads the same).
	f.period = () => [
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
	];

	// The user's default company filled in, unless `user_default` is false.
	f.company = (user_default = true) =>
		f.link(
			"company",
			__("Company"),
			"Company",
			user_default ? { default: frappe.defaults.get_user_default("Company") } : {}
		);

	f.customer = () => f.link("customer", __("Customer"), "Customer");

	f.kind = () =>
		f.select("kind", __("Kind"), [
			["Return", __("Return")],
			["Service", __("Service")],
		]);
})(rma_portal.report_filters);
