"""Whitelisted methods for dealer account requests (SPEC §3).

Portal: a logged-in user files a request and lists their own (access.require_login first; the
customer they act for, if any, comes from access.customers_of, never from the form). Desk: Approve and
Reject, for those who may write the request.
"""

import frappe
from frappe import _
from frappe.utils import formatdate

from rma_portal import access
from rma_portal.api import fields_arg, per_user_limit, text_arg
from rma_portal.domain import account_requests as rules
from rma_portal.services.accounts import account_requests as service

DOCTYPE = service.DOCTYPE
# what a requester may send: the type's fields, nothing about status or decision
FORM_FIELDS = frozenset((*rules.ACCOUNT_FIELDS, *rules.USER_FIELDS, "notes"))
LIST_FIELDS = (
	"name",
	"request_type",
	"status",
	"submitted_on",
	"due_date",
	"rejection_reason",
	"decided_on",
	"new_account_name",
	"account_name",
	"user_email",
)


@frappe.whitelist(methods=["POST"])
@per_user_limit(20)
def file_request(request_type: str | None = None, values: str | dict | None = None) -> dict:
	access.require_login()
	request_type = text_arg(request_type, "request_type")
	if request_type not in rules.TYPES:
		frappe.throw(
			_("{0} is not valid: choose one of {1}.").format(
				_("Request Type"), ", ".join(_(t) for t in rules.TYPES)
			),
			frappe.ValidationError,
		)
	values = fields_arg(values or "{}", "values")
	unknown = sorted(set(values) - FORM_FIELDS)
	if unknown:
		frappe.throw(
			_("{0} is not a field of an account request.").format(unknown[0]), frappe.ValidationError
		)
	values = {k: v for k, v in values.items() if k in rules.shown_fields(request_type)}
	customer = None
	if request_type != rules.CREATE:
		# about the company the user acts for (chosen on /company when several), never one named in
		# the form: asking staff to add, change or remove its users or the account is its administrator's
		# or a user manager's (US); a user may ask to change their own details
		if not access.customers_of():
			frappe.throw(
				_(
					"Only the administrator or a user manager (US) of a company can ask to add, change or "
					"remove its users. You can ask to open a new business account."
				),
				frappe.PermissionError,
			)
		customer = access.portal_customer()
		manages = rules.manages_users(request_type, values, frappe.session.user)
		access.check("member.request" if manages else "company.read", customer)
	name = service.file_request({"request_type": request_type, **values}, frappe.session.user, customer)
	return {"name": name, "due_date": formatdate(frappe.db.get_value(DOCTYPE, name, "due_date"))}


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_requests() -> list[dict]:
	"""The caller's own requests, newest first."""
	access.require_login()
	rows = frappe.get_all(
		DOCTYPE,
		filters={"requested_by": frappe.session.user},
		fields=list(LIST_FIELDS),
		order_by="creation desc",
		limit=100,
	)
	for row in rows:
		row["overdue"] = service.is_overdue(row)
	return rows


@frappe.whitelist(methods=["GET"])
@frappe.read_only()
def get_form_options() -> dict:
	access.require_login()
	conf = service.settings()
	return {
		"types": [{"value": t, "label": _(t), "fields": rules.shown_fields(t)} for t in rules.TYPES],
		"required": {t: rules.REQUIRED[t] for t in rules.TYPES},
		"job_roles": [{"value": r, "label": _(r)} for r in conf.job_roles],
		"time_zones": list(service.time_zones()),
		"has_account": bool(access.customers_of()),
	}


# Desk
# ----


@frappe.whitelist(methods=["POST"])
def approve(name: str | None = None) -> dict:
	name = text_arg(name, "name")
	frappe.has_permission(DOCTYPE, "write", name, throw=True)
	return service.approve(name)


@frappe.whitelist(methods=["POST"])
def reject(name: str | None = None, reason: str | None = None) -> None:
	name = text_arg(name, "name")
	frappe.has_permission(DOCTYPE, "write", name, throw=True)
	service.reject(name, text_arg(reason, "reason"))
