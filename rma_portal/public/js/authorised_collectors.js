// rma_portal: on a Delivery Note or Pick List, who of the customer may collect the goods at our branch
// counter: the Customer's persons authorised to collect (its enabled portal users with the BR right,
// kept by the portal on the Customer), read when the form opens, so it is never stale.
(function () {
	"use strict";

	function show_collectors(frm) {
		if (!frm.doc.customer) return;
		frappe.db.get_value("Customer", frm.doc.customer, "rma_authorised_collectors").then((r) => {
			const names = ((r.message && r.message.rma_authorised_collectors) || "").trim();
			const text = names
				? __("Persons authorised to collect for {0}: {1}", [
						frappe.utils.escape_html(frm.doc.customer),
						names.split("\n").map((line) => frappe.utils.escape_html(line)).join(", "),
				  ])
				: __("No one of {0} is authorised to collect goods (BR).", [frappe.utils.escape_html(frm.doc.customer)]);
			frm.dashboard.add_comment(text, names ? "blue" : "orange", true);
		});
	}

	["Delivery Note", "Pick List"].forEach((doctype) => {
		frappe.ui.form.on(doctype, { refresh: show_collectors });
	});
})();
