"""/welcome: the landing page of a portal user who acts for no company yet (a dealer just activated):
where their account stands — the business account request with the date our team answers by, the
company authorisation to sign — and the one thing to do next (services/onboarding). /portal sends
them here; once they act for a company, this page sends them on to /portal."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.services.accounts import onboarding

no_cache = 1


def get_context(context):
	user = access.require_portal_user()
	acting = access.acting_customer(user)
	if acting and access.member(acting, user).authorised:
		frappe.local.flags.redirect_location = "/portal"
		raise frappe.Redirect
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Welcome")
	context.full_name = frappe.utils.get_fullname(user)
	context.start = onboarding.status(user)
	return context
