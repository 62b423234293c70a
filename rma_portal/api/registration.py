"""Guest methods of the registration (SPEC §3): register, activate, resend the activation link.

Each is POST only and refused to a logged-in user. `register` and `resend_activation` answer a form
with errors at once, with every error, however often it is sent; what they count is the e-mails they
send, per address and per IP address (services/accounts/registration_limits.py, set in Dealer Registration
Settings), and whoever is over a limit is told in how many minutes to try again (HTTP 429). They give
the same answer, with the same status and the same work, whether or not the address is known (no
account enumeration). `activate` is limited per IP with Frappe's rate_limiter.
"""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from rma_portal import access
from rma_portal.api import text_arg, text_args
from rma_portal.services.accounts import registration as service

HOUR = 60 * 60
ACTIVATE_PER_IP = 20  # calls per hour


def answer() -> dict:
	return {
		"message": _(
			"Thank you. If the address can be used, an e-mail is on its way to it: follow its link to go on. If it does not arrive within a few minutes, look in your spam folder."
		)
	}


@frappe.whitelist(allow_guest=True, methods=["POST"])
def register(
	client_type: str | None = None,
	first_name: str | None = None,
	last_name: str | None = None,
	company_name: str | None = None,
	vat_prefix: str | None = None,
	tax_id: str | None = None,
	email: str | None = None,
	phone: str | None = None,
	password: str | None = None,
	accept_terms: str | None = None,
	marketing_consent: str | None = None,
) -> dict:
	access.require_guest()
	values = text_args(
		client_type=client_type,
		first_name=first_name,
		last_name=last_name,
		company_name=company_name,
		vat_prefix=vat_prefix,
		tax_id=tax_id,
		email=email,
		phone=phone,
		password=password,
		accept_terms=accept_terms,
		marketing_consent=marketing_consent,
	)
	service.register(values, frappe.local.lang, ip=frappe.local.request_ip)
	return answer()


@frappe.whitelist(allow_guest=True, methods=["POST"])
def resend_activation(email: str | None = None) -> dict:
	access.require_guest()
	email = text_arg(email, "email")
	if not email or not email.strip():
		frappe.throw(_("{0} is required.").format(_("E-mail")), frappe.ValidationError)
	service.resend(email, ip=frappe.local.request_ip)
	return answer()


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=ACTIVATE_PER_IP, seconds=HOUR)
def activate(key: str | None = None, password: str | None = None) -> dict:
	access.require_guest()
	service.activate(text_arg(key, "key"), text_arg(password, "password"))
	return {"message": _("Your account is active. You can log in now."), "login": "/login"}
