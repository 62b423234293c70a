"""/register/resend: ask for the activation e-mail again (rma_portal.api.registration.resend_activation)."""

from frappe import _

from rma_portal.www.register.index import guest_context, url_text

no_cache = 1


def get_context(context):
	guest_context(context, _("Send the activation e-mail again"))
	context.email = url_text("email")
	return context
