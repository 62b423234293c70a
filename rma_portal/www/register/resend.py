"""/register/resend: ask for the activation e-mail again (rma_portal.api.registration.resend_activation)."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.www.register.index import common_context, redirect_to_account

no_cache = 1


def get_context(context):
	if not access.is_guest():
		redirect_to_account()
	common_context(context, _("Send the activation e-mail again"))
	email = frappe.form_dict.get("email")
	context.email = email if isinstance(email, str) else ""
	return context
