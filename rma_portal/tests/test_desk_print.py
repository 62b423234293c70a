"""The desk's print formats: an RMA and a warranty claim print the portal's own documents (number,
lines, the company's letter head), and the credit notes and return Delivery Notes the app makes print
the RMA's number with ERPNext's standard format.

Rendered through Frappe's print view (frappe.get_print), as the desk's print preview and PDF do.
"""

import re

import frappe
from frappe import _

from rma_portal.compat import IntegrationTestCase
from rma_portal.demo.data import CUSTOMERS

CUSTOMER = "Demo Dealer"
DEALER = CUSTOMERS[CUSTOMER][0]


def _text(html: str) -> str:
	return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class TestDeskPrintFormats(IntegrationTestCase):
	def _print(self, doctype: str, name: str, print_format: str, **kwargs) -> str:
		return frappe.get_print(doctype, name, print_format=print_format, **kwargs)

	def test_print_formats_are_standard_of_the_app(self):
		for name, doctype in (
			("RMA Return Form", "RMA"),
			("Customer Warranty Claim", "Customer Warranty Claim"),
		):
			values = frappe.db.get_value(
				"Print Format", name, ["doc_type", "standard", "module", "disabled"], as_dict=True
			)
			self.assertEqual(
				(values.doc_type, values.standard, values.module, values.disabled),
				(doctype, "Yes", "RMA Portal", 0),
			)

	def test_rma_prints_its_number_lines_and_label(self):
		name = frappe.db.get_value("RMA", {"status": "Received", "kind": "Return"}, "name")
		self.assertTrue(name, "the demo has a received return")
		rma = frappe.get_doc("RMA", name)
		text = _text(self._print("RMA", name, "RMA Return Form"))
		self.assertIn(name, text)
		self.assertIn(rma.customer_name or rma.customer, text)
		for row in rma.items:
			self.assertIn(row.item_code, text)
		html = self._print("RMA", name, "RMA Return Form")
		self.assertIn('class="rma-form"', html)
		self.assertIn('class="rma-label"', html)
		self.assertIn("data:image/png;base64,", html, "the label's barcode")

	def test_claim_prints_its_number_item_and_status(self):
		from rma_portal.services.warranty import warranty_claims

		item = warranty_claims.purchased_items(CUSTOMER)[0]["item_code"]
		name = warranty_claims.create_claim(CUSTOMER, DEALER, item, "Desk print test: stops after an hour")
		text = _text(self._print("Customer Warranty Claim", name, "Customer Warranty Claim"))
		for value in (name, item, "Desk print test: stops after an hour", _("Received")):
			self.assertIn(value, text)

	def test_company_letter_head_comes_first(self):
		name = frappe.db.get_value("RMA", {"kind": "Return"}, "name")
		company = frappe.db.get_value("RMA", name, "company")
		head = frappe.get_doc(
			{
				"doctype": "Letter Head",
				"letter_head_name": "RMA Test Head " + frappe.generate_hash(length=6),
				"source": "HTML",
				"content": "<div>Letter head of {{ doc.company }}</div>",
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Company", company, "default_letter_head", head.name)
		html = self._print("RMA", name, "RMA Return Form")
		self.assertIn(f"Letter head of {company}", _text(html))
		self.assertLess(html.index("Letter head of"), html.index('class="rma-form"'))
		without = _text(self._print("RMA", name, "RMA Return Form", no_letterhead=1))
		self.assertNotIn("Letter head of", without)

	def test_credit_note_and_return_delivery_print_the_rma(self):
		for doctype in ("Sales Invoice", "Delivery Note"):
			with self.subTest(doctype=doctype):
				name, rma = frappe.db.get_value(
					doctype, {"docstatus": 1, "is_return": 1, "rma": ["is", "set"]}, ["name", "rma"]
				) or (None, None)  # the demo's invoiced return: its return note and credit note
				self.assertTrue(name, f"the demo has a return {doctype} of an RMA")
				text = _text(self._print(doctype, name, "Standard"))
				self.assertRegex(text, rf"RMA:? {re.escape(rma)}")
