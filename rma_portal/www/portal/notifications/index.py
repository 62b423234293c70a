"""/portal/notifications: which e-mails about the company's returns, service requests and warranty
claims the signed-in user gets (services/shared/mail_preferences.py); saved by
api/notifications.save_mail_preferences."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.services.shared import mail_preferences

no_cache = 1


def get_context(context):
	access.require_portal_user()
	on = mail_preferences.preferences(frappe.session.user)
	context.kinds = [
		{"kind": kind, "label": _(label), "on": on[kind]}
		for kind, (_field, label) in mail_preferences.KINDS.items()
	]
	context.title = _("E-mail notifications")
	context.show_sidebar = True
	context.no_cache = 1
	context.parents = [{"route": "/me", "title": _("My Account")}]
	return context
