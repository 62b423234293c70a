"""/account-requests: the logged-in user's dealer account requests (status, due date, decision) and
the form to file one, showing only the fields the chosen type uses (domain.account_requests, the
same table the server checks). Filing posts to rma_portal.api.account_requests.file_request.

Any logged-in user may be here: a registered dealer has no customer yet until staff approve one."""

import frappe
from frappe import _
from frappe.utils import formatdate

from rma_portal import access
from rma_portal.api.account_requests import LIST_FIELDS
from rma_portal.domain import account_requests as rules
from rma_portal.domain.tax_ids import VAT_PREFIXES
from rma_portal.services.accounts import account_requests as service
from rma_portal.www.portal_display import badge_classes
from rma_portal.www.rma import script_json

no_cache = 1

status_badge_class = badge_classes(
	{rules.OPEN: "warning", rules.APPROVED: "success", rules.REJECTED: "danger"}
)
# how each field is typed on the form (text when not named)
INPUTS = {
	"user_email": "email",
	"new_user_email": "email",
	"account_language": "language",
	"user_language": "language",
	"vat_prefix": "vat_prefix",
	"job_role": "job_role",
	"country": "country",
	"time_zone": "time_zone",
	"notes": "textarea",
	"existing_account": "skip",
}
# The texts public/js/account_requests.js shows through __(): translated here, handed to frappe._messages.
JS_MESSAGES = (
	"Sending...",
	"The server could not handle the request (error {0}). Please try again.",
	"Choose the type of request.",
)


def get_context(context):
	access.require_login()
	user = frappe.session.user
	context.no_cache = 1
	context.title = _("Account requests")
	context.show_sidebar = True
	context.parents = [{"route": "/me", "title": _("My Account")}]
	rows = frappe.get_all(
		service.DOCTYPE,
		filters={"requested_by": user},
		fields=list(LIST_FIELDS),
		order_by="creation desc",
		limit=100,
	)
	for row in rows:
		row.overdue = service.is_overdue(row)
		row.badge = status_badge_class(row.status)
		row.about = row.new_account_name or row.account_name or ""
		row.due = formatdate(row.due_date) if row.due_date else ""
		row.submitted = formatdate(row.submitted_on) if row.submitted_on else ""
		row.decided = formatdate(row.decided_on) if row.decided_on else ""
	context.requests = rows
	filed = frappe.form_dict.get("filed")
	context.filed = next((row for row in rows if isinstance(filed, str) and row.name == filed), None)

	has_account = bool(access.customers_of(user))
	fields = [f for f in (*rules.ACCOUNT_FIELDS, *rules.USER_FIELDS, "notes") if INPUTS.get(f) != "skip"]
	context.fields = [
		{"name": f, "label": service.label(f), "input": INPUTS.get(f, "text"), "section": section(f)}
		for f in fields
	]
	context.types = [{"value": t, "label": _(t)} for t in rules.TYPES]
	context.languages = frappe.get_all(
		"Language", filters={"enabled": 1}, fields=["name", "language_name"], order_by="language_name"
	)
	context.countries = frappe.get_all("Country", pluck="name", order_by="name")
	context.time_zones = service.time_zones()
	context.vat_prefixes = VAT_PREFIXES
	context.job_roles = [{"value": r, "label": _(r)} for r in service.job_roles()]
	context.user_email = user
	context.js_messages_json = script_json({message: _(message) for message in JS_MESSAGES})
	context.config_json = script_json(
		{
			"fields": {t: rules.shown_fields(t) for t in rules.TYPES},
			"required": {
				t: [*rules.REQUIRED[t], *(["account_name"] if t != rules.CREATE and not has_account else [])]
				for t in rules.TYPES
			},
		}
	)
	return context


def section(field: str) -> str:
	if field == "notes":
		return "notes"
	return "account" if field in rules.ACCOUNT_FIELDS else "user"
