"""Where a portal user lands after login (hooks.get_website_user_home_page): /portal, also for a
dealer just activated who has no Customer role yet (Frappe would show /me, with no next step); /portal
sends whoever acts for no authorised company yet to /welcome, their status and next step."""

from rma_portal import access


def home_page(user: str) -> str | None:
	if user and user != "Guest" and access.is_portal_user(user):
		return "portal"
	return None
