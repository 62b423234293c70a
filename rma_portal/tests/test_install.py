"""What installing rma_portal puts on a site: DocTypes, roles, custom fields, hooks."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.setup_data import ROLES, custom_fields

APP_DOCTYPES = (
	"RMA",
	"RMA Item",
	"RMA Return Reason",
	"RMA Status Log",
	"RMA Settings",
	"RMA Type",
	"RMA Fault Type",
	"RMA Attachment",
	"Customer Warranty Claim",
	"Warranty Claim Attachment",
)


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


class TestEmailTemplates(FrappeTestCase):
	def test_templates_exist_and_staff_edits_survive_migrate(self):
		from rma_portal.install import after_migrate
		from rma_portal.setup_data import EMAIL_TEMPLATES

		for name in EMAIL_TEMPLATES.values():
			self.assertTrue(frappe.db.exists("Email Template", name), name)
		# Fixtures would be re-imported over staff's edits on every migrate.
		fixtures = frappe.get_hooks("fixtures", app_name="rma_portal")
		self.assertFalse(
			[f for f in fixtures if (f.get("dt") if isinstance(f, dict) else f) == "Email Template"]
		)
		template = frappe.get_doc("Email Template", EMAIL_TEMPLATES["Received"])
		template.subject = "Edited by staff: {{ doc.name }}"
		template.save(ignore_permissions=True)
		after_migrate()
		self.assertEqual(
			frappe.db.get_value("Email Template", template.name, "subject"), "Edited by staff: {{ doc.name }}"
		)
		frappe.db.rollback()
