"""The one answer to "may this user do X on this?" for portal pages and whitelisted methods.

A portal user belongs to a customer through ERPNext's own links: the Customer's Portal Users
table, or a Contact (with this user) linked to the Customer. Permission flags per user
(Company Member, SPEC §4) will narrow this further; until then every portal user of a
customer may use the RMA module.
"""

import frappe
from frappe import _

STAFF_ROLES = ("System Manager", "RMA Manager")


def customers_of(user: str | None = None) -> list[str]:
	"""Customers the user acts for, from the Portal Users table and linked Contacts."""
	user = user or frappe.session.user
	if user == "Guest":
		return []
	if not hasattr(frappe.local, "rma_portal_customers"):
		frappe.local.rma_portal_customers = {}  # per request: frappe.local is reset for each one
	cache = frappe.local.rma_portal_customers
	if user not in cache:
		from_portal = frappe.get_all(
			"Portal User", filters={"user": user, "parenttype": "Customer"}, pluck="parent"
		)
		contact = frappe.qb.DocType("Contact")
		link = frappe.qb.DocType("Dynamic Link")
		from_contacts = (
			frappe.qb.from_(contact)
			.join(link)
			.on((link.parent == contact.name) & (link.parenttype == "Contact"))
			.select(link.link_name)
			.where((contact.user == user) & (link.link_doctype == "Customer"))
		).run(pluck=True)
		cache[user] = sorted(set(from_portal) | set(from_contacts))
	return cache[user]


def clear_cache():
	if hasattr(frappe.local, "rma_portal_customers"):
		del frappe.local.rma_portal_customers


def require_login(user: str | None = None):
	if (user or frappe.session.user) == "Guest":
		raise frappe.PermissionError(_("Please log in to use the after-sales portal."))


def is_guest(user: str | None = None) -> bool:
	return (user or frappe.session.user) == "Guest"


def require_guest(user: str | None = None):
	"""The registration's guest methods: a logged-in user has an account already."""
	if not is_guest(user):
		raise frappe.PermissionError(_("You are already logged in."))


def portal_customer(user: str | None = None) -> str:
	"""The customer a portal user acts for; PermissionError for guests and users with none."""
	user = user or frappe.session.user
	require_login(user)
	customers = customers_of(user)
	if not customers:
		raise frappe.PermissionError(_("Your user is not linked to a customer account."))
	return customers[0]


def customer_for(action: str, user: str | None = None) -> str:
	"""The caller's customer, once `action` is allowed for it: the first line of every portal page
	and whitelisted method. PermissionError for guests, users without a customer, and refusals."""
	customer = portal_customer(user)
	check(action, customer, user)
	return customer


def is_portal_user(user: str | None = None) -> bool:
	"""A Website User (a customer's employee), read from the session when it is the caller's."""
	user = user or frappe.session.user
	if user in ("Guest", "Administrator"):
		return False
	session = frappe.session if frappe.session and frappe.session.user == user else None
	user_type = session.data.get("user_type") if session and session.data else None
	return (user_type or frappe.get_cached_value("User", user, "user_type")) == "Website User"


def is_staff(user: str | None = None) -> bool:
	return bool(set(STAFF_ROLES) & set(frappe.get_roles(user or frappe.session.user)))


def can(action: str, customer: str | None = None, user: str | None = None) -> bool:
	"""May `user` do `action` (e.g. "rma.read", "rma.create") for `customer`?"""
	user = user or frappe.session.user
	if user == "Guest":
		return False
	if is_staff(user):
		return True
	return customer in customers_of(user) if customer else bool(customers_of(user))


def check(action: str, customer: str | None = None, user: str | None = None):
	if not can(action, customer, user):
		raise frappe.PermissionError(_("You are not allowed to do this for this customer."))


def has_rma_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""has_website_permission hook for RMA: a customer's portal users see that customer's RMAs."""
	return can("rma.read", doc.customer, user)
