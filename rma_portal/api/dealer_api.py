"""Whitelisted methods of the dealer API's own administration on /company/users (issue 26): API keys
per member (the administrator or a user manager, `member.key`) and the company's webhook endpoints
(the administrator, `company.webhook`). Both need the person in a browser session: the access point
refuses them to a request made with an API key (domain/api_keys.SESSION_ONLY_ACTIONS).
"""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import page_arg, parse_arg, per_user_limit, text_arg
from rma_portal.services.dealer_api import keys, webhooks


def _flags_arg(value) -> list[str]:
	values = parse_arg(value if value not in (None, "") else "[]", list, "rights")
	if not all(isinstance(v, str) for v in values):
		frappe.throw(
			_("{0} is not valid: {1} was expected.").format("rights", _("a list")), frappe.ValidationError
		)
	return values


def _yes(value, field: str) -> bool:
	text = (text_arg(value, field) or "").lower()
	if text in ("", "0", "false", "no", "off"):
		return False
	if text in ("1", "true", "yes", "on"):
		return True
	frappe.throw(_("{0} is not valid: {1} was expected.").format(field, "0 / 1"), frappe.ValidationError)


def _number(value, field: str) -> int | None:
	text = text_arg(value, field)
	if text in (None, ""):
		return None
	if not text.isdigit():
		frappe.throw(
			_("{0} is not valid: {1} was expected.").format(field, _("a number")), frappe.ValidationError
		)
	return int(text)


@frappe.whitelist(methods=["POST"])
@per_user_limit(30)
def create_key(
	member: str,
	label: str,
	all_rights: str | int | None = None,
	rights: str | list | None = None,
	requests_per_minute: str | int | None = None,
) -> dict:
	"""Make an API key for one member of the caller's company, with all of that member's rights or
	the ones chosen (a JSON list of flags). The answer shows the secret once; it is stored hashed."""
	customer = access.customer_for("member.key")
	return keys.create_key(
		customer,
		text_arg(member, "member") or "",
		frappe.session.user,
		text_arg(label, "label") or "",
		_yes(all_rights, "all_rights"),
		_flags_arg(rights),
		_number(requests_per_minute, "requests_per_minute"),
	)


@frappe.whitelist(methods=["POST"])
def revoke_key(key_id: str) -> dict:
	"""Revoke one of the caller's company's API keys: refused from the next request on."""
	customer = access.customer_for("member.key")
	return {"key_id": keys.revoke_key(customer, text_arg(key_id, "key_id") or "", frappe.session.user)}


@frappe.whitelist(methods=["POST"])
@per_user_limit(30)
def add_webhook(url: str, events: str | list) -> dict:
	"""Register an HTTPS endpoint of the caller's company for events (a JSON list of their names).
	The answer shows the signing secret once."""
	customer = access.customer_for("company.webhook")
	return webhooks.add_webhook(
		customer, text_arg(url, "url") or "", _events_arg(events), frappe.session.user
	)


def _events_arg(value) -> list[str]:
	values = parse_arg(value, list, "events")
	if not values or not all(isinstance(v, str) for v in values):
		frappe.throw(
			_("{0} is not valid: {1} was expected.").format("events", _("a list")), frappe.ValidationError
		)
	return values


@frappe.whitelist(methods=["POST"])
def remove_webhook(name: str) -> dict:
	"""Stop sending events to one of the caller's company's endpoints (its deliveries stay logged)."""
	customer = access.customer_for("company.webhook")
	return {"name": webhooks.remove_webhook(customer, text_arg(name, "name") or "")}


@frappe.whitelist(methods=["GET"])
@frappe.read_only()
def list_deliveries(webhook: str | None = None, page: str | int | None = None) -> dict:
	"""The delivery log of the caller's company's endpoints (20 a page, newest first)."""
	customer = access.customer_for("company.webhook")
	return webhooks.list_deliveries(customer, text_arg(webhook, "webhook"), page_arg(page))
