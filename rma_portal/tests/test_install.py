"""What installing rma_portal puts on a site: DocTypes, roles, custom fields, hooks."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.setup_data import ROLES, custom_fields

APP_DOCTYPES = ("RMA", "RMA Item", "RMA Return Reason", "RMA Status Log", "RMA Settings")


class TestInstall(FrappeTestCase):
	def test_app_is_installed_after_erpnext(self):
		apps = frappe.get_installed_apps()
		self.assertIn("rma_portal", apps)
		self.assertLess(apps.index("erpnext"), apps.index("rma_portal"))

	def test_doctypes_belong_to_the_module(self):
		for doctype in APP_DOCTYPES:
			self.assertEqual(frappe.db.get_value("DocType", doctype, "module"), "RMA Portal", doctype)

	def test_roles_exist(self):
		for role in ROLES:
			self.assertTrue(frappe.db.exists("Role", role), role)

	def test_custom_fields_exist(self):
		for doctype, fields in custom_fields().items():
			for field in fields:
				self.assertTrue(
					frappe.db.exists("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]}),
					f"{doctype}.{field['fieldname']}",
				)
				self.assertTrue(frappe.get_meta(doctype).has_field(field["fieldname"]))

	def test_hooks_load(self):
		self.assertIn("frappe/erpnext", frappe.get_hooks("required_apps", app_name="rma_portal"))
		for hook in ("after_install", "before_uninstall", "before_tests"):
			for path in frappe.get_hooks(hook, app_name="rma_portal"):
				self.assertTrue(callable(frappe.get_attr(path)), path)
		perms = frappe.get_hooks("has_website_permission")
		self.assertIn("rma_portal.access.has_rma_permission", perms.get("RMA", []))

	def test_rma_staff_role_can_write_rmas(self):
		roles = {p.role for p in frappe.get_meta("RMA").permissions if p.write}
		self.assertIn("RMA Manager", roles)
		self.assertNotIn("Customer", roles)
