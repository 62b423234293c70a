"""Frappe's login and sign-up, pointed at the portal's registration (SPEC §3).

- `on_login` (hook): a registered user who has not followed the activation link yet is refused, with
  a message that says so and links to /register/resend.
- `sign_up` replaces Frappe's own guest sign-up (frappe.core.doctype.user.user.sign_up, through
  override_whitelisted_methods): it made a Website User with no activation, consent or rate limit per
  address. Everyone registers through /register instead.
- `signup_form` is the login page's "Sign up" panel: a link to /register.
"""

import frappe
from frappe import _

from rma_portal.services import registration


def on_login(login_manager):
	frappe.local.flags.disable_traceback = True  # the refusal is a message, not a server error
	registration.refuse_login_before_activation(login_manager.user)


@frappe.whitelist(allow_guest=True, methods=["POST"])
def sign_up(email: str | None = None, full_name: str | None = None, redirect_to: str | None = None):
	frappe.throw(_("Please register on the page /register."), frappe.PermissionError)
