"""The "Portal" section of the desk's Customer form (public/js/customer_portal.js): desk users only."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import text_arg
from rma_portal.services.portal import customer_summary


# not read_only(): the replica serves the dealers' list methods (test_read_replica keeps that set
# exact); one staff form opening reads the primary
@frappe.whitelist(methods=["GET"])
def portal_summary(customer: str) -> dict:
	"""The customer's authorisation, administrator, members with their rights and what is open."""
	# desk users who may read the Customer (an account manager too), never a customer's portal user
	if access.is_portal_user():
		frappe.throw(_("Only staff can see a customer's portal."), frappe.PermissionError)
	customer = text_arg(customer, "customer")
	if not customer or not frappe.db.exists("Customer", customer):
		frappe.throw(_("Customer: {0} does not exist.").format(customer or ""), frappe.DoesNotExistError)
	frappe.has_permission("Customer", "read", customer, throw=True)
	return customer_summary.summary(customer)
