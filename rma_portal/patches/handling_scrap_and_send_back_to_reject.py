"""The handlings are Credit, Replace, Repair and Reject: the old Scrap and Send back lines and reason
defaults become Reject (the goods are not credited and go back, or are scrapped, with the reason)."""

import frappe


def execute():
	for doctype, field in (("RMA Item", "handling"), ("RMA Return Reason", "default_handling")):
		frappe.db.set_value(
			doctype, {field: ["in", ["Scrap", "Send back"]]}, field, "Reject", update_modified=False
		)
