"""/company/addresses: the company's address book (ERPNext Addresses linked to the Customer); every
member reads it, members with the AD right add and edit addresses."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.services.company import addresses
from rma_portal.www.company import page_context

no_cache = 1


def get_context(context):
	customer = access.customer_for("address.read")
	page_context(context, _("Addresses"), "/company", _("Company"))
	context.customer_name = frappe.get_cached_value("Customer", customer, "customer_name") or customer
	context.rows = addresses.addresses_of(customer)
	context.can_write = access.can("address.write", customer)
	context.address_types = [{"value": t, "label": _(t)} for t in addresses.ADDRESS_TYPES]
	context.countries = frappe.get_all("Country", pluck="name", order_by="name asc")
	context.default_country = frappe.db.get_default("country") or ""
	return context
