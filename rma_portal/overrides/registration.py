"""Frappe's login and sign-up, pointed at the portal's registration (SPEC §3).

- `explain_refused_login` (after_request): a registration not activated yet has no User, so Frappe
  refuses its login as unknown; given the registration's own password, the answer says instead that
  the account is not activated and links to /register/resend (a wrong password learns nothing).
- `on_login` (hook): the same refusal for a registration made before users were made at activation,
  whose User exists.
- `sign_up` replaces Frappe's own guest sign-up (frappe.core.doctype.user.user.sign_up, through
  override_whitelisted_methods): it made a Website User with no activation, consent or rate limit per
  address. Everyone registers through /register instead.
- `signup_form` is the login page's "Sign up" panel: a link to /register.
"""

import json

import frappe
from frappe import _
from frappe.translate import get_language

from rma_portal.services.accounts import registration

LOGIN_PATHS = ("/api/method/login", "/api/v1/method/login", "/api/v2/method/login")


def on_login(login_manager):
	frappe.local.flags.disable_traceback = True  # the refusal is a message, not a server error
	registration.refuse_login_before_activation(login_manager.user)


def explain_refused_login(response=None, request=None):
	if response is None or response.status_code != 401 or request is None:
		return
	if frappe.form_dict.get("cmd") != "login" and request.path.rstrip("/") not in LOGIN_PATHS:
		return
	login, password = frappe.form_dict.get("usr"), frappe.form_dict.get("pwd")
	if not isinstance(login, str) or not isinstance(password, str):
		return
	if not registration.pending_password_matches(login, password):
		return
	frappe.local.lang = get_language()  # the login failed before Frappe set the guest's language
	message = registration.not_activated_message(login.strip().lower())
	shown = {"message": message, "title": _("Account not activated"), "indicator": "red"}
	response.mimetype = "application/json"
	response.set_data(
		json.dumps(
			{
				"exc_type": "AuthenticationError",
				"message": message,
				"_server_messages": json.dumps([json.dumps(shown)]),
			}
		)
	)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def sign_up(email: str | None = None, full_name: str | None = None, redirect_to: str | None = None):
	frappe.throw(_("Please register on the page /register."), frappe.PermissionError)
