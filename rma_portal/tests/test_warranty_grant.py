"""Granting a warranty claim with what the desk's dialog offers besides a submitted credit note: a
file (the supplier's credit, a scan), and the refusal of a draft invoice or of another document's
file. Data as in test_customer_warranty_claim (its customers, items and invoices, committed)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.rma_portal.doctype.customer_warranty_claim.test_customer_warranty_claim import (
	ITEM,
	PDF,
	_dealer_who_bought_item,
	_invoice,
	_private_file,
)
from rma_portal.services.warranty import warranty_claims as claims


class TestWarrantyGrant(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer, cls.user, cls.invoice = _dealer_who_bought_item()
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")
		self.claim = claims.create_claim(self.customer, self.user, ITEM, description="It stopped.")
		claims.start_processing(self.claim)

	def tearDown(self):
		frappe.db.rollback()

	def status(self) -> str:
		return frappe.db.get_value(claims.DOCTYPE, self.claim, "status")

	def test_a_draft_invoice_is_no_credit_document(self):
		draft = frappe.copy_doc(frappe.get_doc("Sales Invoice", self.invoice))
		draft.docstatus = 0  # copy_doc keeps it in tests
		draft.insert(ignore_permissions=True)  # the customer's own invoice, not submitted
		self.assertEqual(frappe.db.get_value("Sales Invoice", draft.name, "docstatus"), 0)
		with self.assertRaises(claims.ClaimError) as caught:
			claims.grant(self.claim, "ok", credit_document=draft.name)
		self.assertIn(draft.name, caught.exception.errors[0])
		self.assertEqual(self.status(), "In processing")

	def test_granted_with_a_file_the_file_becomes_the_claims_private_document(self):
		url = _private_file(PDF, "supplier-credit.pdf")
		claims.grant(self.claim, "Credited by the supplier", credit_document_file=url)
		doc = frappe.get_doc(claims.DOCTYPE, self.claim)
		self.assertEqual((doc.status, doc.credit_document), ("Granted", None))
		self.assertTrue(doc.credit_document_file.startswith("/private/files/"))
		attached = frappe.db.get_value(
			"File",
			{"file_url": doc.credit_document_file},
			["attached_to_doctype", "attached_to_name", "is_private"],
			as_dict=True,
		)
		self.assertEqual(
			(attached.attached_to_doctype, attached.attached_to_name, attached.is_private),
			(claims.DOCTYPE, self.claim, 1),
		)
		_name, content = claims.document_content(self.claim, "credit_file")
		self.assertEqual(content, PDF)

	def test_another_documents_file_is_refused(self):
		other = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "someone-elses.pdf",
				"content": PDF,
				"is_private": 1,
				"attached_to_doctype": "Sales Invoice",
				"attached_to_name": self.invoice,
			}
		).insert(ignore_permissions=True)
		with self.assertRaises(claims.ClaimError) as caught:
			claims.grant(self.claim, "ok", credit_document_file=other.file_url)
		self.assertIn("belongs to another document", caught.exception.errors[0])
		self.assertEqual(self.status(), "In processing")
		self.assertEqual(frappe.db.get_value("File", other.name, "attached_to_name"), self.invoice)
