"""Requests of portal users: a CSRF token in every session, no tracebacks in answers (nor to guests).

Frappe checks the X-Frappe-CSRF-Token of a state-changing request only when the session holds a
token, and makes one only when the desk (/app) loads: a portal user's session had none, so any
same-site page could post as the dealer, and portal pages rendered `frappe.csrf_token = "None"`.
Runs as a before_request hook, i.e. after Frappe's own check of this request: the login request
itself (which has no token to send) passes, and every later one is checked. The token reaches
the browser with the next page, which Frappe renders with it.
"""

import frappe
from frappe.sessions import get_csrf_token

from rma_portal import access


def before_request():
	request = getattr(frappe.local, "request", None)
	if request is None:
		return
	if access.api_key():
		return  # a dealer API key's request: no session, no CSRF token (overrides/api_keys.py)
	if frappe.session.user == "Guest":
		# Error answers to guests and portal users carry the message, never the server's traceback.
		frappe.local.flags.disable_traceback = True
		return
	is_website_user = access.is_portal_user()
	if is_website_user:
		frappe.local.flags.disable_traceback = True
	if frappe.session.data.get("csrf_token"):
		return
	# Staff sessions get theirs as Frappe does (desk page views); API scripts of staff keep working.
	page_view = request.method == "GET" and not request.path.startswith(("/api/", "/assets/", "/files/"))
	if is_website_user or page_view:
		get_csrf_token()
