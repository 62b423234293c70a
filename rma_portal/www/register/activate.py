"""/register/activate?key=...: the link of the activation e-mail. Opening it changes nothing (mail
scanners open links too): the registrant confirms with their password, which posts to
rma_portal.api.registration.activate."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.services.accounts import registration as service
from rma_portal.www.register.index import common_context, redirect_to_account

no_cache = 1


def get_context(context):
	if not access.is_guest():
		redirect_to_account()
	common_context(context, _("Activate your account"))
	key = frappe.form_dict.get("key")
	context.key = key if isinstance(key, str) else ""
	context.problem = ""
	try:
		doc = service.registration_for_key(context.key)
		if service.is_expired(doc):
			context.problem = service.expired_message(doc)
	except service.ActivationError as e:
		frappe.clear_last_message()
		context.problem = str(e)
	return context
