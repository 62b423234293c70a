"""update_website_context: Frappe's "Not Permitted" page offers "Login" to everyone, also to a user
who is logged in and was refused for want of a right (a member without FI on an invoice page): the
button would log them in again and bring them back to the same refusal. A logged-in user is offered
the way back to the portal's overview (staff: the desk) instead; guests keep "Login"."""

import frappe
from frappe import _

from rma_portal import access


def offer_the_way_back(context):
	page = (getattr(frappe.local, "response", None) or {}).get("context")
	if not page or frappe.session.user == "Guest":
		return
	if not str(page.get("primary_action") or "").startswith("/login"):
		return
	if access.is_portal_user():
		page.update(primary_action="/portal", primary_label=_("Back to the overview"))
	else:
		page.update(primary_action="/app", primary_label=_("Back to the desk"))
