"""RMA Type: "Requires Proof of Purchase" became "Proof of Purchase Not Required" (default: required).

Types that did not require a proof keep going without one, now explicitly."""

import frappe


def execute():
	if not frappe.db.has_column("RMA Type", "requires_proof_of_purchase"):
		return
	frappe.db.sql("update `tabRMA Type` set waives_proof_of_purchase = 1 - requires_proof_of_purchase")
