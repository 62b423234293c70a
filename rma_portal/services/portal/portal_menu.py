"""The portal menu: the app's pages first, ERPNext's items a B2B customer never uses switched off.

The app's items are `standard_portal_menu_items` in hooks.py (the one place to add a page), so they are
rows of Portal Settings' menu like ERPNext's and staff decide what shows: these functions only put the
app's rows first and, once (on install, or by a patch on an existing site), switch off the rows below.
A row staff switch on again stays on: nothing here runs a second time for it.
"""

import frappe
import frappe.website.utils

# ERPNext's standard portal items a dealer never uses: timesheets, newsletters, material requests,
# appointment booking and the supplier side (request for quotations, supplier quotations, purchase
# orders and invoices). ERPNext's own /quotations and /invoices lists are replaced by the app's
# Offers and Invoices and payments pages.
UNUSED_ROUTES = (
	"/timesheets",
	"/newsletters",
	"/material-requests",
	"/book_appointment",
	"/rfq",
	"/supplier-quotations",
	"/purchase-orders",
	"/purchase-invoices",
	"/quotations",
	"/invoices",
	# replaced by the app's Shipments, Projects and Support tickets pages (/portal/...)
	"/shipments",
	"/project",
	"/issues",
)


def app_routes() -> list[str]:
	return [item["route"] for item in frappe.get_hooks("standard_portal_menu_items", app_name="rma_portal")]


def arrange_menu(settings=None) -> bool:
	"""The app's rows first, in the hooks' order, everything else after them in its own order; the
	rows synced from hooks first when one is missing. Returns whether anything changed."""
	settings = settings or frappe.get_single("Portal Settings")
	routes = app_routes()
	if any(route not in {row.route for row in settings.menu} for route in routes):
		settings.sync_menu()
		settings = frappe.get_single("Portal Settings")
	ours = sorted(
		(row for row in settings.menu if row.route in routes), key=lambda row: routes.index(row.route)
	)
	others = [row for row in settings.menu if row.route not in routes]
	ordered = ours + others
	if [row.name for row in ordered] == [row.name for row in settings.menu]:
		return False
	for idx, row in enumerate(ordered, start=1):
		row.idx = idx
	settings.menu = ordered
	settings.save(ignore_permissions=True)
	return True


def hide_unused_items(settings=None) -> list[str]:
	"""Switch off ERPNext's rows in UNUSED_ROUTES; the routes switched off."""
	settings = settings or frappe.get_single("Portal Settings")
	switched = []
	for row in settings.menu:
		if row.route in UNUSED_ROUTES and row.enabled:
			row.enabled = 0
			switched.append(row.route)
	if switched:
		settings.save(ignore_permissions=True)
	return switched


def set_up_menu():
	"""On install: the app's rows first and ERPNext's unused rows off, the footer's sign-up off."""
	arrange_menu()
	hide_unused_items()
	hide_footer_signup()


def hide_footer_signup() -> bool:
	"""Frappe's footer offers every visitor a newsletter sign-up ("Get Updates"), which a dealer has no
	use for: switched off once (on install, or by a patch on an existing site); Website Settings' "Hide
	Footer Signup" stays staff's switch. Returns whether it changed."""
	if frappe.db.get_single_value("Website Settings", "hide_footer_signup"):
		return False
	frappe.db.set_single_value("Website Settings", "hide_footer_signup", 1)
	frappe.website.utils.clear_website_cache()
	return True


def remove_app_items():
	"""On uninstall: the app's rows leave the menu (Frappe keeps standard rows of removed apps)."""
	settings = frappe.get_single("Portal Settings")
	routes = app_routes()
	kept = [row for row in settings.menu if row.route not in routes]
	if len(kept) != len(settings.menu):
		settings.menu = kept
		settings.save(ignore_permissions=True)
