"""Install, migrate and uninstall steps: what the app adds to a site outside its own DocTypes."""

import frappe

from rma_portal.services.accounts import registration
from rma_portal.services.history import delivered_lines, fill, list_indexes, open_order_lines, purchased_items
from rma_portal.services.policy import approval
from rma_portal.services.portal import portal_menu
from rma_portal.setup_data import EMAIL_TEMPLATES, ROLES, custom_fields


def after_install():
	make_custom_fields()  # first: the fill below reads them (Delivery Note.rma)
	delivered_lines.ensure_page_index()  # indexes before the fill: it reads and writes per customer
	purchased_items.ensure_index()
	open_order_lines.ensure_indexes()
	list_indexes.ensure_indexes()
	# a site with a history: its delivered lines (return candidates), the items each customer bought
	# and the pending order lines so far, per customer in committed batches, resumable (history/fill.py)
	fill.fill_all()
	registration.open_signups()
	make_roles()
	make_email_templates()
	approval.set_default_review_time()
	portal_menu.set_up_menu()
	hide_error_tracebacks()


def after_migrate():
	delivered_lines.ensure_page_index()
	purchased_items.ensure_index()
	open_order_lines.ensure_indexes()
	list_indexes.ensure_indexes()
	make_roles()
	make_custom_fields()
	make_email_templates()
	approval.set_default_review_time()
	portal_menu.arrange_menu()
	hide_error_tracebacks()


def before_uninstall():
	"""Remove what the app added to other DocTypes, so uninstall leaves the site clean.

	Frappe removes the app's own DocTypes; custom fields on ERPNext DocTypes and the roles
	are ours to remove.
	"""
	for doctype, fields in custom_fields().items():
		for field in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	for role in ROLES:
		if frappe.db.exists("Role", role):
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
	for template in EMAIL_TEMPLATES.values():
		if frappe.db.exists("Email Template", template):
			frappe.delete_doc("Email Template", template, ignore_permissions=True, force=True)
	portal_menu.remove_app_items()
	list_indexes.drop_erpnext_indexes()
	fill.forget_markers()  # an unfinished fill's place (global defaults)
	# the scheduler's job types (hooks.py scheduler_events): Frappe's uninstall keeps them until the
	# next migrate, and the scheduler queues each one meanwhile, to fail as an app not installed
	for job in frappe.get_all("Scheduled Job Type", {"method": ("like", "rma_portal.%")}, pluck="name"):
		frappe.delete_doc("Scheduled Job Type", job, ignore_permissions=True, force=True)
	# Frappe's own sign-up would be open again without the app's override
	registration.close_signups()


def before_tests():
	"""A fresh test site needs ERPNext's setup wizard completed before any test record is made.

	Frappe runs every app's hook when `run-tests` is given no --app, so this changes nothing else:
	no flags for the process, no fiscal years, no settings (the demo command makes those). Our own
	test modules keep Frappe from building ERPNext's "_Test" records (`test_ignore`)."""
	from rma_portal.demo.company import complete_setup_wizard

	complete_setup_wizard()


def hide_error_tracebacks():
	"""System Settings' "Show Full Error and Allow Reporting of Issues to the Developer" off: with it
	on, Frappe answers a failed login (before any hook of the app runs) with the server's traceback,
	also to guests. Errors stay in the Error Log; a developer's `bench serve` still shows them."""
	frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)


def make_roles():
	for role, desk_access in ROLES.items():
		if not frappe.db.exists("Role", role):
			frappe.get_doc({"doctype": "Role", "role_name": role, "desk_access": desk_access}).insert(
				ignore_permissions=True
			)


def make_custom_fields():
	from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

	create_custom_fields(custom_fields(), update=True)


def make_email_templates():
	"""Create the e-mails' Email Templates that do not exist yet.

	Not fixtures: Frappe re-imports fixtures on every migrate, which would undo staff's edits.
	"""
	import json

	with open(frappe.get_app_path("rma_portal", "data", "email_templates.json")) as f:
		templates = json.load(f)
	for template in templates:
		if not frappe.db.exists("Email Template", template["name"]):
			doc = frappe.get_doc({key: value for key, value in template.items() if key != "modified"})
			doc.insert(ignore_permissions=True)
