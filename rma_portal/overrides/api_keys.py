"""before_request (first of the app's hooks): a request made with a dealer API key
(`Authorization: RmaKey <key id>:<secret>`, domain/api_keys.py) acts as the key's member.

Frappe authenticates its own token and OAuth headers only after every before_request hook has run
(frappe.app: init_request, then validate_auth), so the request guard, the argument check and the
session hook would see a guest. The key is therefore checked here, before them: the request then
goes through the same guards and the same access point as the browser's, as the key's user, acting
for the key's customer with the key's rights (access.api_key).

- A key is never taken together with a logged-in session (a browser's cookie): 401.
- The request has no session of its own (nothing is stored; Frappe's token auth does the same), so
  it holds no CSRF token and Frappe checks none; a browser cannot make one without the secret.
- Calls past the key's requests per minute are refused (429); the key's last use is recorded after
  the answer.
"""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.domain import api_keys as rules
from rma_portal.services.dealer_api import keys


def before_request():
	request = getattr(frappe.local, "request", None)
	if request is None:
		return
	try:
		parsed = rules.parse_header(frappe.get_request_header("Authorization"))
	except rules.BadKeyHeader:
		frappe.local.flags.disable_traceback = True
		frappe.throw(_("The API key is not valid or has been revoked."), frappe.AuthenticationError)
	if parsed is None:
		return
	frappe.local.flags.disable_traceback = True
	if frappe.session.user != "Guest":
		frappe.throw(
			_("An API key is not accepted together with a logged-in session: send the key without cookies."),
			frappe.AuthenticationError,
		)
	key = keys.authenticate(*parsed)
	form = frappe.local.form_dict
	frappe.set_user(key.user)  # resets form_dict, as Frappe's own token auth knows
	frappe.local.form_dict = form
	frappe.session.data[access.SESSION_KEY] = key.customer
	setattr(frappe.local, access.API_KEY, key)
	keys.count_request(key)
	ip = getattr(frappe.local, "request_ip", None)
	request.after_response.add(lambda: keys.note_use(key, ip))
