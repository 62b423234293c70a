"""Existing sites: the deliveries the app made for an RMA (returns received, replacements, goods sent
back) are tied to it by Delivery Note.rma, and those it sent are no return candidates any more; the
free-of-charge ones and the return notes of goods never credited are closed, as new ones are
(services/returns/outcome.py, services/returns/lifecycle.py)."""

import frappe

from rma_portal.install import make_custom_fields
from rma_portal.services.history import delivered_lines
from rma_portal.services.returns import lifecycle


def execute():
	make_custom_fields()  # the field is made by after_migrate, which runs after the patches
	for field in ("return_delivery_note", "outcome_delivery_note"):
		frappe.db.sql(
			f"""update `tabDelivery Note` dn
			join `tabRMA Item` ri on ri.{field} = dn.name
			set dn.rma = ri.parent
			where ifnull(dn.rma, '') = ''"""  # nosec B608 - field is one of two fixed names
		)
	delivered_lines.rebuild()
	for name in frappe.get_all("RMA", filters={"status": ["in", ["Invoiced", "Completed"]]}, pluck="name"):
		lifecycle.close_settled_returns(frappe.get_doc("RMA", name))
	sent = frappe.get_all(
		"Delivery Note",
		filters={"rma": ["is", "set"], "is_return": 0, "docstatus": 1, "grand_total": 0, "status": "To Bill"},
		pluck="name",
	)
	orders = frappe.get_all(
		"Sales Order",
		filters={
			"name": [
				"in",
				frappe.get_all(
					"RMA Item", filters={"replacement_order": ["is", "set"]}, pluck="replacement_order"
				),
			],
			"docstatus": 1,
			"grand_total": 0,
			"status": ["not in", ["Closed", "Completed"]],
		},
		pluck="name",
	)
	for doctype, names in (("Delivery Note", sent), ("Sales Order", orders)):
		for name in names:
			frappe.get_doc(doctype, name).update_status("Closed")
