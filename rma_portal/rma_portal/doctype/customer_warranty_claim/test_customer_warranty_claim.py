# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Integration tests of warranty claims: filing rules, status actions, files, the customer boundary
and the claim PDF.

The data is made here (two customers of our own, items, invoices) and committed; every run adds
its own invoices and claims and no test depends on what earlier runs left.
"""

import io

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from rma_portal import access
from rma_portal.api import warranty as api
from rma_portal.rma_portal.doctype.customer_warranty_claim.customer_warranty_claim import (
	has_website_permission,
)
from rma_portal.services.warranty import warranty_claims as claims
from rma_portal.tests import records
from rma_portal.tests.cases import AsAdministrator
from rma_portal.tests.records import linked_doctypes

test_ignore = linked_doctypes(
	"Customer Warranty Claim"
)  # no ERPNext "_Test" records: the tests make their own

ITEM = "WC-TEST-PUMP"
OTHER_ITEM = "WC-TEST-VALVE"
NEVER_SOLD = "WC-TEST-NEVER"
SERIAL_ITEM = "WC-TEST-SERIAL"

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _company() -> str:
	return records.company()


def _make_item(code: str, serial: bool = False):
	records.make_item(code, serial=serial)


# The two dealers of the warranty tests: (customer, user), made once (see _make_customer).
DEALER = ("WC Test Dealer", "wc-test-dealer@example.com")
OTHER_DEALER = ("WC Other Dealer", "wc-other-dealer@example.com")


def _make_customer(name: str, email: str) -> tuple[str, str]:
	"""The same two customers on every run (made once, looked up after): Frappe throttles user creation
	(60 an hour per site), which several suites making fresh users on one test site soon hit.
	Each run makes its own invoices and claims, and no test counts what earlier runs left."""
	from rma_portal.demo.data import make_customer

	make_customer(name, email, "Test", name.split()[1])
	return name, email


def _invoice(customer: str, items: list[str], is_return_of: str | None = None) -> str:
	"""A submitted Sales Invoice (no stock update) of `items`, one each at 10."""
	company = _company()
	si = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": company,
			"posting_date": add_days(today(), -30),
			"set_posting_time": 1,
			"due_date": today(),
			"items": [{"item_code": code, "qty": 1, "rate": 10} for code in items],
		}
	)
	si.insert(ignore_permissions=True)
	si.submit()
	return si.name


def _credit_note(invoice: str) -> str:
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	ret = make_return_doc("Sales Invoice", invoice)
	ret.payment_schedule = []
	ret.insert(ignore_permissions=True)
	ret.submit()
	return ret.name


def _private_file(content: bytes, filename: str) -> str:
	"""A private File not attached to anything, as the desk's Attach dialog leaves it."""
	file_doc = frappe.get_doc({"doctype": "File", "file_name": filename, "is_private": 1, "content": content})
	file_doc.insert(ignore_permissions=True)
	return file_doc.file_url


def _dealer_who_bought_item() -> tuple[str, str, str]:
	"""DEALER's customer and user, with an invoice for ITEM: the claim tests' usual dealer."""
	frappe.set_user("Administrator")
	_make_item(ITEM)
	customer, user = _make_customer(*DEALER)
	return customer, user, _invoice(customer, [ITEM])


class TestCustomerWarrantyClaim(AsAdministrator):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		for code in (ITEM, OTHER_ITEM, NEVER_SOLD):
			_make_item(code)
		_make_item(SERIAL_ITEM, serial=True)
		cls.customer, cls.user = _make_customer(*DEALER)
		cls.other_customer, cls.other_user = _make_customer(*OTHER_DEALER)
		cls.invoice = _invoice(cls.customer, [ITEM])
		cls.other_invoice = _invoice(cls.other_customer, [ITEM, OTHER_ITEM])
		cls.serial = f"WC-SN-{frappe.generate_hash(length=8)}"
		frappe.get_doc({"doctype": "Serial No", "serial_no": cls.serial, "item_code": SERIAL_ITEM}).insert(
			ignore_permissions=True
		)
		frappe.db.commit()

	def _claim(self, **kwargs) -> str:
		kwargs.setdefault("description", "The pump stops after two minutes.")
		return claims.create_claim(self.customer, self.user, kwargs.pop("item_code", ITEM), **kwargs)

	# -- filing ------------------------------------------------------------------------------------

	def test_item_not_purchased_rejected_with_all_errors_together(self):
		before = frappe.db.count(claims.DOCTYPE)
		with self.assertRaises(claims.ClaimError) as caught:
			claims.create_claim(
				self.customer,
				self.user,
				NEVER_SOLD,
				"",
				serial_no="NO-SUCH-SERIAL",
				purchase_date=add_days(today(), 3),
				files=[{"filename": "virus.exe", "content": b"MZ..."}],
			)
		errors = caught.exception.errors
		# the serial number is checked against the item's brand once the item is one the customer bought
		self.assertEqual(len(errors), 4, errors)
		text = "\n".join(errors)
		for expected in (
			"Item:",
			NEVER_SOLD,
			"Problem description",
			"Purchase date",
			"virus.exe",
		):
			self.assertIn(expected, text)
		self.assertEqual(frappe.db.count(claims.DOCTYPE), before)

	def test_other_customers_invoice_rejected(self):
		with self.assertRaises(claims.ClaimError) as caught:
			self._claim(sales_invoice=self.other_invoice)
		self.assertIn("Sales Invoice", caught.exception.errors[0])
		self.assertIn(self.other_invoice, caught.exception.errors[0])
		# an invoice of the customer without the item
		invoice = _invoice(self.customer, [OTHER_ITEM])
		with self.assertRaises(claims.ClaimError) as caught:
			self._claim(sales_invoice=invoice)
		self.assertIn("does not contain", caught.exception.errors[0])

	def test_serial_of_another_item_rejected(self):
		with self.assertRaises(claims.ClaimError) as caught:
			self._claim(serial_no=self.serial)
		self.assertIn("Serial number", caught.exception.errors[0])
		self.assertIn("belongs to another product", caught.exception.errors[0])

	def test_purchase_date_typed_in_the_users_date_format(self):
		# the format Frappe reads for this request (System Settings' date format, kept per request)
		self.addCleanup(setattr, frappe.local, "user_date_format", None)
		frappe.local.user_date_format = "dd.mm.yyyy"
		day = getdate(add_days(today(), -40))
		name = self._claim(purchase_date=day.strftime("%d.%m.%Y"))
		self.assertEqual(getdate(frappe.db.get_value(claims.DOCTYPE, name, "purchase_date")), day)
		for typed, expected in (
			("31.02.2026", "does not exist"),
			("last week", "is not a date; write it like"),
		):
			with self.assertRaises(claims.ClaimError) as caught:
				self._claim(purchase_date=typed)
			self.assertIn("Purchase date", caught.exception.errors[0])
			self.assertIn(expected, caught.exception.errors[0])
			self.assertIn(typed, caught.exception.errors[0])

	def test_user_of_another_customer_cannot_file_for_it(self):
		with self.assertRaises(frappe.PermissionError):
			claims.create_claim(self.customer, self.other_user, ITEM, "Broken")

	def test_claim_filed_with_private_files_and_purchase_date_from_invoice(self):
		name = self._claim(
			sales_invoice=self.invoice,
			files=[{"filename": "photo 1.png", "content": PNG}, {"filename": "proof.pdf", "content": PDF}],
		)
		doc = frappe.get_doc(claims.DOCTYPE, name)
		self.assertRegex(name, r"^WC-\d{4}-\d{5}$")
		self.assertEqual(doc.status, "Received")
		self.assertEqual(doc.portal_user, self.user)
		self.assertEqual(getdate(doc.purchase_date), getdate(add_days(today(), -30)))
		self.assertEqual([row.side for row in doc.attachments], ["Customer", "Customer"])
		for row in doc.attachments:
			self.assertTrue(row.file.startswith("/private/files/"), row.file)
			file_doc = frappe.get_doc("File", {"file_url": row.file, "attached_to_name": name})
			self.assertEqual(file_doc.attached_to_doctype, claims.DOCTYPE)
			self.assertTrue(file_doc.is_private)
		self.assertEqual(len(doc.status_log), 1)

	def test_bad_uploads_rejected(self):
		cases = [
			({"filename": "photo.jpg", "content": PNG}, "not a valid JPG"),  # content does not match
			({"filename": "notes.txt", "content": b"hello"}, "only JPG, PNG and PDF"),
			(
				{"filename": "big.pdf", "content": b"%PDF-" + b"0" * claims.MAX_FILE_BYTES},
				"larger than 10 MB",
			),
			({"filename": "empty.png", "content": b""}, "empty"),
		]
		for upload, expected in cases:
			with self.assertRaises(claims.ClaimError) as caught:
				self._claim(files=[upload])
			self.assertIn(expected, caught.exception.errors[0])
			self.assertIn(upload["filename"], caught.exception.errors[0])
		with self.assertRaises(claims.ClaimError) as caught:
			self._claim(
				files=[{"filename": f"p{n}.png", "content": PNG} for n in range(claims.MAX_FILES + 1)]
			)
		self.assertIn("at most", caught.exception.errors[0])

	def test_purchased_items_list_the_history(self):
		items = {row["item_code"]: row for row in claims.purchased_items(self.customer)}
		self.assertIn(ITEM, items)
		self.assertNotIn(NEVER_SOLD, items)
		invoices = claims.item_invoices(self.customer, ITEM)
		self.assertIn(self.invoice, [inv["name"] for inv in invoices])
		self.assertEqual(
			invoices, sorted(invoices, key=lambda i: (i["posting_date"], i["name"]), reverse=True)
		)
		self.assertEqual(claims.item_invoices(self.customer, NEVER_SOLD), [])
		theirs = [inv["name"] for inv in claims.item_invoices(self.other_customer, ITEM)]
		self.assertIn(self.other_invoice, theirs)
		self.assertNotIn(self.invoice, theirs)  # only the asking customer's invoices

	# -- status rules ------------------------------------------------------------------------------

	def test_status_rules(self):
		name = self._claim()
		with self.assertRaises(claims.StatusError):  # grant straight from Received
			claims.grant(name, "ok")
		with self.assertRaises(claims.StatusError):
			claims.refuse(name, "no")
		claims.start_processing(name)
		self.assertEqual(frappe.db.get_value(claims.DOCTYPE, name, "status"), "In processing")
		with self.assertRaises(claims.ClaimError) as caught:  # refuse without the supplier response
			claims.refuse(name, "Wear and tear")
		self.assertIn("Supplier response", caught.exception.errors[0])
		with self.assertRaises(claims.ClaimError):  # another customer's invoice as credit document
			claims.grant(name, "ok", credit_document=self.other_invoice)

		credit = _credit_note(self.invoice)
		claims.grant(name, "Replaced under warranty", credit_document=credit)
		doc = frappe.get_doc(claims.DOCTYPE, name)
		self.assertEqual(doc.status, "Granted")
		self.assertEqual(doc.credit_document, credit)
		self.assertEqual(doc.decision_note, "Replaced under warranty")
		self.assertEqual(getdate(doc.handling_date), getdate(today()))
		self.assertEqual([row.status for row in doc.status_log], ["Received", "In processing", "Granted"])
		with self.assertRaises(claims.StatusError):  # final
			claims.refuse(name, "too late")
		kinds = [d["kind"] for d in claims.claim_detail(self.customer, name)["documents"]]
		self.assertIn("credit", kinds)

	def test_refuse_with_supplier_response(self):
		name = self._claim()
		claims.start_processing(name)
		response = _private_file(PDF, "supplier-response.pdf")
		with self.assertRaises(claims.ClaimError):  # a reason is needed too
			claims.refuse(name, "", supplier_response=response)
		claims.refuse(name, "Damage caused by misuse", supplier_response=response)
		doc = frappe.get_doc(claims.DOCTYPE, name)
		self.assertEqual(doc.status, "Refused")
		self.assertTrue(doc.supplier_response.startswith("/private/files/"))
		self.assertEqual(
			frappe.db.get_value("File", {"file_url": doc.supplier_response}, "attached_to_name"), name
		)
		_filename, content = claims.document_content(name, "response")
		self.assertEqual(content, PDF)

	def test_status_cannot_be_edited_directly(self):
		name = self._claim()
		doc = frappe.get_doc(claims.DOCTYPE, name)
		doc.status = "Granted"
		self.assertRaises(frappe.ValidationError, doc.save)
		doc.reload()
		doc.remark = "We are looking into it."  # the remark is free to edit
		doc.save()

	def test_goods_received(self):
		name = self._claim()
		claims.set_goods_received(name)
		doc = frappe.get_doc(claims.DOCTYPE, name)
		self.assertTrue(doc.goods_received)
		self.assertEqual(getdate(doc.goods_received_on), getdate(today()))
		self.assertEqual(doc.status, "Received")

	# -- customer boundary -------------------------------------------------------------------------

	def test_company_boundary(self):
		name = self._claim(files=[{"filename": "photo.png", "content": PNG}])
		row = frappe.get_doc(claims.DOCTYPE, name).attachments[0]
		self.assertTrue(access.can("warranty.read", self.customer, self.user))
		self.assertFalse(access.can("warranty.read", self.customer, self.other_user))
		claim_doc = frappe.get_doc(claims.DOCTYPE, name)
		self.assertFalse(has_website_permission(claim_doc, user=self.other_user))
		self.assertTrue(has_website_permission(claim_doc, user=self.user))
		with self.assertRaises(frappe.PermissionError):
			claims.claim_detail(self.other_customer, name)

		frappe.set_user(self.other_user)
		access.clear_cache()
		with self.assertRaises(frappe.PermissionError):
			api.get_claim(name)
		for kind, ref in (("claim", None), ("attachment", row.name)):
			with self.assertRaises(frappe.PermissionError):
				api.download(name, kind, ref)
		self.assertNotIn(name, [r["name"] for r in api.list_claims()["rows"]])
		file_doc = frappe.get_doc("File", {"file_url": row.file, "attached_to_name": name})
		self.assertFalse(file_doc.is_downloadable())  # /private/files/... is closed too
		self.assertFalse(frappe.has_permission(claims.DOCTYPE, "read", name))

		frappe.set_user(self.user)
		access.clear_cache()
		self.assertEqual(api.get_claim(name)["name"], name)
		self.assertIn(name, [r["name"] for r in api.list_claims()["rows"]])
		api.download(name, "attachment", row.name)
		self.assertEqual(frappe.local.response.filecontent, PNG)
		with self.assertRaises(frappe.DoesNotExistError):  # a row of another claim is not served
			other = claims.create_claim(
				self.other_customer, self.other_user, ITEM, "x", files=[{"filename": "o.png", "content": PNG}]
			)
			api.download(name, "attachment", frappe.get_doc(claims.DOCTYPE, other).attachments[0].name)
		with self.assertRaises(frappe.PermissionError):  # staff actions are not for portal users
			api.start_processing(name)

	# -- documents ---------------------------------------------------------------------------------

	def test_pdf_contains_the_claim_number(self):
		from pypdf import PdfReader

		name = self._claim(serial_no=None, description="Motor <b>noise</b> < 5 s & smoke")
		pdf = claims.make_claim_pdf(name)
		self.assertTrue(pdf.startswith(b"%PDF"))
		text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
		self.assertIn(name, text)
		self.assertIn(ITEM, text)
		self.assertIn("Motor noise < 5 s & smoke", text)  # markup dropped on save, the rest as typed

	def test_received_mail_queued_or_noted(self):
		name = self._claim()
		queued = frappe.db.exists(
			"Email Queue", {"reference_doctype": claims.DOCTYPE, "reference_name": name}
		)
		noted = frappe.db.exists(
			"Comment", {"reference_doctype": claims.DOCTYPE, "reference_name": name, "comment_type": "Info"}
		)
		self.assertTrue(queued or noted)
		subject, body = claims.render_mail("Warranty Claim Received", frappe.get_doc(claims.DOCTYPE, name))
		self.assertIn(name, subject)
		self.assertIn("/warranty/view?name=" + name, body)
