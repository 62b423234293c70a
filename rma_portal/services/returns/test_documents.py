"""Integration tests of the RMA documents (return form + label PDF) and the RMA e-mails.

Run: bench --site TEST_SITE run-tests --module rma_portal.services.returns.test_documents
The barcode test needs `pdftoppm` (poppler-utils) and the `zxing-cpp` Python package; it is skipped,
saying which one is missing, when they are not there.
"""

import io
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from pypdf import PdfReader

from rma_portal.services.returns import documents
from rma_portal.services.shared import notify
from rma_portal.setup_data import EMAIL_TEMPLATES

RETURN_ADDRESS = "Test Returns Department\nDock 7, Teststraat 1\n9999 ZZ Testdorp\nNetherlands"
CONTACT = "rma-docs-contact@example.com"
COPY = "rma-docs-copy@example.com"


def ensure_email_templates():
	"""The app's Email Templates, as install and migrate make them."""
	from rma_portal.install import make_email_templates

	make_email_templates()


def ensure_outgoing_email_account():
	"""frappe.sendmail needs a default outgoing account; nothing is sent in tests (rolled back after)."""
	if frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
		return
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "_Test RMA Outgoing",
			"email_id": "rma-outgoing@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "smtp.example.com",
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)


def make_rma(**overrides):
	customer = frappe.get_all("Customer", fields=["name", "customer_name"], limit=1, order_by="creation")[0]
	item = frappe.get_all(
		"Item", filters={"disabled": 0, "has_variants": 0}, fields=["name", "item_name", "stock_uom"], limit=1
	)[0]
	company = frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
	reason = frappe.db.get_value("RMA Return Reason", {}, "name")
	values = {
		"doctype": "RMA",
		"kind": "Return",
		"status": "Expected",
		"customer": customer.name,
		"customer_name": customer.customer_name,
		"company": company,
		"currency": frappe.get_cached_value("Company", company, "default_currency"),
		"submitted_on": frappe.utils.now_datetime(),
		"customer_reference": "PO-DOCS-42",
		"contact_email": CONTACT,
		"copy_email": COPY,
		"return_address": RETURN_ADDRESS,
		"fee_amount": 2.5,
		"items": [
			{
				"item_code": item.name,
				"item_name": item.item_name,
				"customer_item_code": "CUST-XY-1",
				"qty_requested": 2,
				"rate": 10,
				"uom": item.stock_uom,
				"return_reason": reason,
			}
		],
	}
	values.update(overrides)
	return frappe.get_doc(values).insert(ignore_permissions=True)


def queued_mails(rma_name):
	mails = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "RMA", "reference_name": rma_name},
		fields=["name", "attachments", "message"],
		order_by="creation",
	)
	for mail in mails:
		mail.recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": mail.name}, pluck="recipient"
		)
		mail.attachment_list = json.loads(mail.attachments or "[]")
	return mails


class TestRMADocuments(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_email_templates()
		ensure_outgoing_email_account()

	def setUp(self):
		self.rma = make_rma()

	def tearDown(self):
		# the rows are rolled back after the class; the PDFs on disk are not
		for name in frappe.get_all(
			"File", filters={"attached_to_doctype": "RMA", "attached_to_name": self.rma.name}, pluck="name"
		):
			frappe.delete_doc("File", name, ignore_permissions=True, force=True)

	def test_documents_are_a_private_file_on_the_rma(self):
		file_url = documents.make_documents(self.rma.name)

		self.assertEqual(frappe.db.get_value("RMA", self.rma.name, "documents"), file_url)
		self.assertEqual(frappe.db.get_value("RMA", self.rma.name, "status"), "Expected")
		file_doc = frappe.get_doc("File", {"file_url": file_url})
		self.assertTrue(file_doc.is_private)
		self.assertTrue(file_url.startswith("/private/files/"))
		self.assertEqual(file_doc.attached_to_doctype, "RMA")
		self.assertEqual(file_doc.attached_to_name, self.rma.name)
		# a file left on disk by a rolled-back run makes Frappe add a suffix: RMA-00001-SR-2026<hash>.pdf
		self.assertTrue(file_doc.file_name.startswith(self.rma.name.replace("/", "-")))
		self.assertTrue(file_doc.file_name.endswith(".pdf"))

	def test_pdf_has_form_and_label_with_number_and_address(self):
		_filename, content = documents.get_documents_content(self.rma.name)
		reader = PdfReader(io.BytesIO(content))

		self.assertGreaterEqual(len(reader.pages), 2)
		form_text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages[:-1])
		label_text = " ".join(reader.pages[-1].extract_text().split())
		for text in (form_text, label_text):
			self.assertIn(self.rma.name, text)
			self.assertIn("Test Returns Department", text)
			self.assertIn("9999 ZZ Testdorp", text)
		self.assertIn("CUST-XY-1", form_text)
		self.assertIn("PO-DOCS-42", form_text)
		self.assertIn("not processed", form_text)
		# the label page is A6 (105 x 148 mm = 298 x 420 pt)
		self.assertAlmostEqual(float(reader.pages[-1].mediabox.width), 298, delta=3)

	def test_label_barcode_decodes_to_the_rma_number(self):
		try:
			import zxingcpp
		except ImportError:
			self.skipTest("zxing-cpp is not installed in the bench env (pip install zxing-cpp)")
		if not shutil.which("pdftoppm"):
			self.skipTest("pdftoppm is not installed (apt-get install poppler-utils)")
		from PIL import Image

		_filename, content = documents.get_documents_content(self.rma.name)
		pages = len(PdfReader(io.BytesIO(content)).pages)
		with tempfile.TemporaryDirectory() as tmp:
			pdf = Path(tmp, "docs.pdf")
			pdf.write_bytes(content)
			last = str(pages)
			command = [
				"pdftoppm",
				"-r",
				"200",
				"-gray",
				"-png",
				"-f",
				last,
				"-l",
				last,
				pdf,
				Path(tmp, "label"),
			]
			subprocess.run(command, check=True)
			image = Image.open(next(Path(tmp).glob("label*.png")))
			results = zxingcpp.read_barcodes(image)

		self.assertEqual(
			[(result.format, result.text) for result in results],
			[(zxingcpp.BarcodeFormat.Code128, self.rma.name)],
		)

	def test_making_documents_again_replaces_the_file(self):
		first = documents.make_documents(self.rma.name)
		second = documents.make_documents(self.rma.name)

		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "RMA", "attached_to_name": self.rma.name},
			pluck="file_url",
		)
		self.assertEqual(files, [second])  # the first File (if its url differs) is gone
		self.assertTrue(first)
		self.assertEqual(frappe.db.get_value("RMA", self.rma.name, "documents"), second)

	def test_download_reads_the_stored_file(self):
		file_url = documents.make_documents(self.rma.name)
		filename, content = documents.get_documents_content(self.rma.name)

		self.assertEqual(filename, self.rma.name.replace("/", "-") + ".pdf")
		self.assertEqual(content, frappe.get_doc("File", {"file_url": file_url}).get_content())

	def test_download_before_the_job_builds_in_memory_and_writes_nothing(self):
		self.assertFalse(self.rma.documents)
		filename, content = documents.get_documents_content(self.rma.name)

		self.assertEqual(filename, self.rma.name.replace("/", "-") + ".pdf")
		self.assertTrue(content.startswith(b"%PDF"))
		self.assertFalse(frappe.db.get_value("RMA", self.rma.name, "documents"))
		self.assertFalse(
			frappe.db.exists("File", {"attached_to_doctype": "RMA", "attached_to_name": self.rma.name})
		)

	def test_enqueue_documents_runs_at_once_in_tests_and_confirms(self):
		documents.enqueue_documents(self.rma.name)

		file_url = frappe.db.get_value("RMA", self.rma.name, "documents")
		self.assertTrue(file_url)
		mails = queued_mails(self.rma.name)
		self.assertEqual(len(mails), 1)
		self.assertEqual(mails[0].attachment_list, [{"file_url": file_url}])

	def test_confirmation_goes_out_without_pdf_when_the_pdf_fails(self):
		with patch(
			"rma_portal.services.returns.documents.get_pdf", side_effect=OSError("wkhtmltopdf crashed")
		):
			documents.make_documents_and_confirm(self.rma.name)

		self.assertFalse(frappe.db.get_value("RMA", self.rma.name, "documents"))
		mails = queued_mails(self.rma.name)
		self.assertEqual(len(mails), 1)
		self.assertEqual(mails[0].attachment_list, [])

	def test_confirmation_goes_to_contact_and_copy_with_the_pdf(self):
		file_url = documents.make_documents(self.rma.name)
		self.assertTrue(notify.send_confirmation(self.rma.name))

		mails = queued_mails(self.rma.name)
		self.assertEqual(len(mails), 1)
		self.assertEqual(sorted(mails[0].recipients), sorted([CONTACT, COPY]))
		self.assertEqual(mails[0].attachment_list, [{"file_url": file_url}])
		self.assertIn(self.rma.name, mails[0].message)
		self.assertIn("Test Returns Department", mails[0].message)

	def test_status_mail_received(self):
		self.assertTrue(notify.send_status_mail(self.rma.name, "Received"))

		mails = queued_mails(self.rma.name)
		self.assertEqual(len(mails), 1)
		self.assertEqual(mails[0].recipients, [CONTACT])
		self.assertEqual(mails[0].attachment_list, [])
		self.assertIn("received", mails[0].message)
		self.assertIn(self.rma.name, mails[0].message)

	def test_status_mails_for_each_decision(self):
		self.rma.db_set({"decision_note": "Goods show signs of misuse", "credit_note": None})
		for status in ("Invoiced", "Rejected", "Cancelled"):
			self.assertTrue(notify.send_status_mail(self.rma.name, status))
		mails = queued_mails(self.rma.name)
		self.assertEqual(len(mails), 3)
		self.assertIn("Goods show signs of misuse", mails[1].message)

	def test_statuses_without_a_template_send_nothing(self):
		for status in ("Draft", "Expected", "Confirmation", "Claim Received", "Unknown"):
			self.assertFalse(notify.send_status_mail(self.rma.name, status))
		self.assertEqual(queued_mails(self.rma.name), [])

	def test_missing_address_is_logged_not_raised(self):
		self.rma.db_set({"contact_email": None, "copy_email": None, "portal_user": None})

		self.assertFalse(notify.send_confirmation(self.rma.name))
		self.assertFalse(notify.send_status_mail(self.rma.name, "Received"))
		self.assertEqual(queued_mails(self.rma.name), [])
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_doctype": "RMA", "reference_name": self.rma.name, "comment_type": "Info"},
			)
		)
