"""Guest methods of the registration (SPEC §3): register, activate, resend the activation link.

Each is POST only, refused to a logged-in user, and rate limited twice: per IP address with Frappe's
rate_limiter, and per e-mail address (lower-cased, so "A@x" and "a@x" count together) by
`per_email_limit`. `register` and `resend_activation` give the same answer, with the same status,
whether or not the address is known (no account enumeration).
"""

import functools
import hashlib

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from rma_portal import access
from rma_portal.api import text_arg
from rma_portal.domain.registration import normalise_email
from rma_portal.services import registration as service

HOUR = 60 * 60
# calls per hour
REGISTER_PER_IP, REGISTER_PER_EMAIL = 10, 3
RESEND_PER_IP, RESEND_PER_EMAIL = 10, 3
ACTIVATE_PER_IP = 20


def per_email_limit(limit: int, seconds: int = HOUR, field: str = "email"):
	"""Refuse (HTTP 429) a call past `limit` calls for the same e-mail address within `seconds`,
	whichever IP address they come from."""

	def decorator(fn):
		@functools.wraps(fn)
		def limited(*args, **kwargs):
			email = normalise_email(kwargs.get(field) if field in kwargs else frappe.form_dict.get(field))
			if email and frappe.request:
				digest = hashlib.sha256(email.encode()).hexdigest()[:32]
				key = frappe.cache.make_key(f"rma_portal:rate:{fn.__name__}:{digest}")
				calls = frappe.cache.incrby(key, 1)
				if calls == 1:
					frappe.cache.expire(key, seconds)
				if calls > limit:
					frappe.throw(too_many_message(), frappe.RateLimitExceededError)
			return fn(*args, **kwargs)

		return limited

	return decorator


def too_many_message() -> str:
	return _("Too many attempts: please wait an hour and try again.")


def answer() -> dict:
	return {
		"message": _(
			"Thank you. If the address can be used, an e-mail is on its way to it: follow its link to go on. If it does not arrive within a few minutes, look in your spam folder."
		)
	}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=REGISTER_PER_IP, seconds=HOUR)
@per_email_limit(REGISTER_PER_EMAIL)
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
	values = {
		field: text_arg(value, field)
		for field, value in (
			("client_type", client_type),
			("first_name", first_name),
			("last_name", last_name),
			("company_name", company_name),
			("vat_prefix", vat_prefix),
			("tax_id", tax_id),
			("email", email),
			("phone", phone),
			("password", password),
			("accept_terms", accept_terms),
			("marketing_consent", marketing_consent),
		)
	}
	service.register(values, frappe.local.lang)
	return answer()


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=RESEND_PER_IP, seconds=HOUR)
@per_email_limit(RESEND_PER_EMAIL)
def resend_activation(email: str | None = None) -> dict:
	access.require_guest()
	email = text_arg(email, "email")
	if not email or not email.strip():
		frappe.throw(_("{0} is required.").format(_("E-mail")), frappe.ValidationError)
	service.resend(email)
	return answer()


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=ACTIVATE_PER_IP, seconds=HOUR)
def activate(key: str | None = None, password: str | None = None) -> dict:
	access.require_guest()
	service.activate(text_arg(key, "key"), text_arg(password, "password"))
	return {"message": _("Your account is active. You can log in now."), "login": "/login"}
