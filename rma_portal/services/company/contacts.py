"""A portal user's Contact, linked to the customer they act for, so staff see them among the
customer's contacts (ERPNext's Customer > Contacts, Address & Contact), whichever way they came in:
an accepted invitation, an accepted company authorisation, an approved account request."""

import frappe


def link_contact(customer: str, user: str) -> str:
	"""The user's Contact (Frappe's own, made now when Frappe has not made it yet) with a link to
	`customer`, once. Returns the Contact's name."""
	from frappe.core.doctype.user.user import create_contact

	name = frappe.db.get_value("Contact", {"user": user}, "name")
	if not name:
		create_contact(frappe.get_doc("User", user), ignore_mandatory=True)
		name = frappe.db.get_value("Contact", {"user": user}, "name")
	if not name:
		return None
	contact = frappe.get_doc("Contact", name)
	if not any(row.link_doctype == "Customer" and row.link_name == customer for row in contact.links):
		contact.append("links", {"link_doctype": "Customer", "link_name": customer})
		contact.save(ignore_permissions=True)
	return name
