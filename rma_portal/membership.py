"""The Company Member records as the access point reads them (rma_portal.access): a user's member
record of a customer, its rights, the company's administrator and hierarchy. Below the services,
so the access point needs nothing from them; writing members is services/company/members.py."""

import hashlib

import frappe
from frappe import _

from rma_portal.domain import members as rules

MEMBER = "Company Member"
MEMBER_FIELDS = (
	"name",
	"user",
	"customer",
	"enabled",
	"is_admin",
	"supervisor",
	"all_documents",
	*rules.FIELDS.values(),
)


def member_key(customer: str, user: str) -> str:
	return hashlib.sha1(f"{customer}\n{user}".encode(), usedforsecurity=False).hexdigest()


def flag_label(flag: str) -> str:
	return _(frappe.get_meta(MEMBER).get_label(rules.FIELDS[flag]))


def flag_description(flag: str) -> str:
	return _(frappe.get_meta(MEMBER).get_field(rules.FIELDS[flag]).description or "")


def flags_of(row) -> tuple[str, ...]:
	return tuple(flag for flag, field in rules.FIELDS.items() if row.get(field))


# -- reading ----------------------------------------------------------------------------------------


def load(customer: str, user: str) -> frappe._dict | None:
	"""The user's Company Member record of `customer` (as a dict), or None when there is none."""
	return frappe.db.get_value(
		MEMBER, {"member_key": member_key(customer, user)}, MEMBER_FIELDS, as_dict=True
	)


def disabled_customers(user: str) -> set[str]:
	return set(frappe.get_all(MEMBER, filters={"user": user, "enabled": 0}, pluck="customer"))


def supervisors_of(customer: str) -> dict:
	"""Every member of `customer` -> its supervisor (or None)."""
	rows = frappe.get_all(MEMBER, filters={"customer": customer}, fields=["name", "supervisor"])
	return {row.name: row.supervisor for row in rows}


def report_users(member: str, customer: str) -> set[str]:
	"""The users of every member below `member` in the company's hierarchy."""
	below = rules.reports_of(member, supervisors_of(customer))
	if not below:
		return set()
	return set(frappe.get_all(MEMBER, filters={"name": ["in", list(below)]}, pluck="user"))


def administrator(customer: str) -> str | None:
	"""The user who is the company's accepted administrator."""
	return frappe.db.get_value(MEMBER, {"admin_key": customer}, "user")


def pending_invitation_company(user: str) -> str | None:
	"""A company that invited the user and awaits their answer (services/company/invitations.py writes them)."""
	return frappe.db.get_value(
		"Company Invitation",
		{"email": user, "status": "Pending", "expires_on": [">=", frappe.utils.today()]},
		"customer",
		order_by="creation asc",
	)
