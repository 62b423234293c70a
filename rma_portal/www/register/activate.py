"""/register/activate?key=...: the link of the activation e-mail. Opening it changes nothing (mail
scanners open links too): the registrant confirms with their password, which posts to
rma_portal.api.registration.activate."""

import frappe
from frappe import _

from rma_portal.services.accounts import registration as service
from rma_portal.www.register.index import guest_context, url_text

no_cache = 1


def get_context(context):
	guest_context(context, _("Activate your account"))
	context.key = url_text("key")
	context.problem = ""
	try:
		doc = service.registration_for_key(context.key)
		if service.is_expired(doc):
			context.problem = service.expired_message(doc)
	except service.ActivationError as e:
		frappe.clear_last_message()
		context.problem = str(e)
	return context
