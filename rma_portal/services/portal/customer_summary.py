"""A customer's portal at a glance, for staff on the desk's Customer form (public/js/customer_portal.js).

Read-only, from the services the portal itself uses: the authorisation (Customer fields and the last
Company Authorisation), the administrator (membership), the members with their rights (services/members),
and what is open: returns and service requests, warranty claims, account requests and support tickets.
The caller (api/customer_desk.py) checks that the user is staff who may read the Customer.
"""

import frappe

from rma_portal import membership
from rma_portal.services.company import members
from rma_portal.services.policy import credit_hold
from rma_portal.services.portal import tickets
from rma_portal.services.portal.portal_dashboard import OPEN_CLAIM_STATUSES, OPEN_RMA_STATUSES

OPEN_TICKET_STATUSES = ("Open", "Replied", "On Hold")
LIMIT = 20  # rows shown per list; the total says whether there are more


def summary(customer: str) -> dict:
	return {
		"customer": customer,
		"authorisation": authorisation(customer),
		"administrator": _user(membership.administrator(customer)),
		"members": member_rows(customer),
		"rmas": _open(
			"RMA",
			{"customer": customer, "status": ["in", OPEN_RMA_STATUSES], "docstatus": ["<", 2]},
			["name", "status", "kind", "submitted_on"],
		),
		"claims": _open(
			"Customer Warranty Claim",
			{"customer": customer, "status": ["in", OPEN_CLAIM_STATUSES]},
			["name", "status", "item_code", "serial_no", "submitted_on"],
		),
		"account_requests": _open(
			"Dealer Account Request",
			{"customer": customer, "status": "Open"},
			["name", "status", "request_type", "requested_by", "due_date"],
		),
		"tickets": _open(
			tickets.DOCTYPE,
			{"customer": customer, "status": ["in", OPEN_TICKET_STATUSES]},
			["name", "status", "subject", "opening_date"],
		),
		"credit_hold": credit_hold.staff_view(customer),
	}


def authorisation(customer: str) -> dict:
	values = frappe.db.get_value(
		"Customer",
		customer,
		["rma_portal_authorised", "rma_authorised_on", "rma_activated_on", "rma_activated_by"],
		as_dict=True,
	)
	last_request = frappe.db.get_value(
		"Company Authorisation",
		{"customer": customer},
		["name", "status", "submitted_on"],
		as_dict=True,
		order_by="creation desc",
	)
	return {
		"authorised": bool(values.rma_portal_authorised),
		"authorised_on": values.rma_authorised_on,
		"activated_on": values.rma_activated_on,
		"activated_by": _user(values.rma_activated_by),
		"last_request": last_request,
	}


def member_rows(customer: str) -> list[dict]:
	"""Each member with the labels of their rights (the portal's /company/users list)."""
	return [
		{
			"name": row.get("name"),
			"user": row.user,
			"full_name": row.get("full_name") or row.user,
			"enabled": bool(row.get("enabled")),
			"is_admin": bool(row.get("is_admin")),
			"all_documents": bool(row.get("all_documents")),
			"rights": [membership.flag_label(flag) for flag in row["flags"]],
		}
		for row in members.list_members(customer)
	]


def _open(doctype: str, filters: dict, fields: list[str]) -> dict:
	rows = frappe.get_all(doctype, filters=filters, fields=fields, order_by="creation desc", limit=LIMIT)
	total = len(rows) if len(rows) < LIMIT else frappe.db.count(doctype, filters)
	return {"rows": rows, "total": total}


def _user(user: str | None) -> dict | None:
	if not user:
		return None
	return {"user": user, "full_name": frappe.db.get_value("User", user, "full_name") or user}
