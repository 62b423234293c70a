"""What /company/users shows of the dealer API: the company's keys (US or the administrator) and its
webhook endpoints with their latest deliveries (the administrator)."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.domain import api_keys as key_rules
from rma_portal.domain import webhooks as hook_rules
from rma_portal.services.dealer_api import keys, webhooks


def event_labels() -> dict:
	return {
		"rma.status_changed": _("RMA status changed"),
		"credit_note.created": _("Credit note made"),
		"warranty_claim.decided": _("Warranty claim decided"),
		"offer.received": _("Offer received"),
		"invoice.due": _("Invoice due today"),
		"invoice.overdue": _("Invoice overdue"),
	}


def page_context(customer: str, rows: list) -> dict:
	"""The page's dealer API part; `rows` are the page's members (name, full name, user, flags)."""
	names = {row.name: (row.full_name or row.user) for row in rows if row.name}
	api_keys = keys.list_keys(customer) if access.can("member.read", customer) else []
	for key in api_keys:
		key["member_name"] = names.get(key.member) or key.user
		key["rights_display"] = key.rights.replace(",", ", ") if not key.all_rights else ""
	is_admin = access.can("company.webhook", customer)
	return {
		"api_keys": api_keys,
		"can_make_keys": access.can("member.key", customer),
		"key_members": [{"name": name, "label": label} for name, label in names.items()],
		"key_default_limit": key_rules.DEFAULT_REQUESTS_PER_MINUTE,
		"webhooks": webhooks.list_webhooks(customer) if is_admin else [],
		"webhook_events": hook_rules.EVENTS if is_admin else (),
		"event_labels": event_labels(),
		"can_manage_webhooks": is_admin,
		"deliveries": webhooks.list_deliveries(customer)["deliveries"][:10] if is_admin else [],
		"format_datetime": frappe.utils.format_datetime,
	}
