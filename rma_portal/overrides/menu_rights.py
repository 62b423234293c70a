"""update_website_context: the portal menu lists only the pages the user may open for the company they
act for (SPEC §4): a member without FI does not see "Invoices and payments", a blocked company's users
see the Company page and their account only. The pages themselves still ask the access point; this
only spares the user links that would answer "not permitted"."""

import frappe

from rma_portal import access
from rma_portal.domain.members import MENU_ROUTE_ACTIONS


def hide_items_without_rights(context):
	items = context.get("sidebar_items")
	user = frappe.session.user
	if not items or user == "Guest" or not access.is_portal_user(user) or access.is_staff(user):
		return
	context.sidebar_items = [item for item in items if _may_open(item)]


def _may_open(item) -> bool:
	route = "/" + (item.get("route") or "").strip("/")
	action = MENU_ROUTE_ACTIONS.get(route)
	return action is None or access.can(action)
