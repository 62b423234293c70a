"""Existing sites: the return Delivery Notes made at receipt before this release never told ERPNext
their units came back (the original delivery line's and order line's returned_qty, the delivery's
per_returned stayed 0; services/returns/lifecycle.py). ERPNext counts them now, with its own status
update, run again for each of those returns; it sets the totals from all returns, so a second run
changes nothing."""

import frappe


def execute():
	for name in frappe.get_all(
		"Delivery Note", filters={"rma": ["is", "set"], "is_return": 1, "docstatus": 1}, pluck="name"
	):
		frappe.get_doc("Delivery Note", name).update_prevdoc_status()
