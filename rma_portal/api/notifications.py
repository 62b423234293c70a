"""The signed-in portal user's e-mail switches (/portal/notifications)."""

import frappe

from rma_portal import access
from rma_portal.api import parse_arg
from rma_portal.services.shared import mail_preferences


@frappe.whitelist(methods=["POST"])
def save_mail_preferences(preferences: str | dict) -> dict:
	"""{kind: 1 or 0} for the caller's own e-mails; kinds not given keep their setting."""
	user = access.require_portal_user()
	return mail_preferences.save(user, parse_arg(preferences, dict, "preferences") or {})
