"""The company's address book (SPEC §4): ERPNext Addresses linked to the Customer, listed for every
member and added or edited by members with the AD right (rma_portal.api.company). RMAs (return
address) and quote requests (delivery address) choose from these."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.domain.inputs import plain_text
from rma_portal.services.shared.plain_text import valid_name

FIELDS = ("address_title", "address_type", "address_line1", "address_line2", "pincode", "city", "country")
REQUIRED = ("address_line1", "city", "country")
ADDRESS_TYPES = ("Billing", "Shipping", "Office", "Plant", "Postal", "Shop", "Warehouse", "Other")


def label(fieldname: str) -> str:
	return _(frappe.get_meta("Address").get_label(fieldname))


def customer_addresses_query(customer: str):
	"""The query over the customer's addresses that are not disabled (linked to the Customer by a
	Dynamic Link), and its Address table: the caller picks the columns and the order."""
	query, address, link = access.linked_to_customers("Address")
	return query.where((link.link_name == customer) & (address.disabled == 0)), address


def addresses_of(customer: str) -> list[dict]:
	"""The customer's addresses (not disabled), primary first."""
	query, address = customer_addresses_query(customer)
	return (
		query.select(
			address.name,
			*(address[field] for field in FIELDS),
			address.is_primary_address,
			address.is_shipping_address,
		)
		.orderby(address.is_primary_address, order=frappe.qb.desc)
		.orderby(address.address_title)
	).run(as_dict=True)


def address_of(customer: str, name: str | None):
	"""One address of the customer; another customer's (or none) is 'not found'."""
	linked = name and frappe.db.exists(
		"Dynamic Link",
		{"parenttype": "Address", "parent": name, "link_doctype": "Customer", "link_name": customer},
	)
	if not linked:
		raise frappe.DoesNotExistError(_("This address was not found in your company's address book."))
	return frappe.get_doc("Address", name)


def save_address(customer: str, values: dict, name: str | None = None, shipping: bool = False) -> str:
	"""Add an address to the customer's book, or change one of its addresses."""
	values = {field: plain_text(values.get(field) or "").strip() or None for field in FIELDS}
	# the title becomes the Address's name: what the desk accepts in names
	values["address_title"] = valid_name(values["address_title"], label("address_title")) or None
	missing = [label(field) for field in REQUIRED if not values.get(field)]
	if missing:
		frappe.throw(_("Please fill in: {0}").format(", ".join(missing)), frappe.ValidationError)
	if not frappe.db.exists("Country", values["country"]):
		frappe.throw(_("{0}: please choose a country from the list.").format(label("country")))
	if values["address_type"] not in ADDRESS_TYPES:
		values["address_type"] = "Shipping" if shipping else "Billing"
	if name:
		doc = address_of(customer, name)
	else:
		doc = frappe.new_doc("Address")
		doc.append("links", {"link_doctype": "Customer", "link_name": customer})
	values["address_title"] = values["address_title"] or frappe.db.get_value(
		"Customer", customer, "customer_name"
	)
	doc.update(values)
	doc.is_shipping_address = int(bool(shipping))
	doc.flags.ignore_permissions = True
	doc.save()
	return doc.name


def remove_address(customer: str, name: str) -> None:
	"""Take an address out of the book (disabled, so documents that name it keep it)."""
	doc = address_of(customer, name)
	doc.disabled = 1
	doc.flags.ignore_permissions = True
	doc.save()
