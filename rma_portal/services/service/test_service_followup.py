# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Integration tests: what the dealer follows after filing.

The conversation on a service request and on a warranty claim (Frappe Communications both ways,
files only of that document), the appeal of a refused claim (once, with new files), the /service
list's filters and CSV export, the warranty claims' filters and export, and uploaded file names.
"""

import frappe
from frappe.core.doctype.communication.email import make as make_communication
from frappe.utils import add_days, today

from rma_portal.rma_portal.doctype.customer_warranty_claim.test_customer_warranty_claim import (
	ITEM,
	OTHER_DEALER,
	PDF,
	PNG,
	_dealer_who_bought_item,
	_make_customer,
	_private_file,
)
from rma_portal.services.service import service_list
from rma_portal.services.shared import conversation
from rma_portal.services.warranty import warranty_claims as claims
from rma_portal.tests.cases import AsAdministrator
from rma_portal.tests.records import insert_rows, item_row, queries_asked


def _rebrand_item() -> str:
	"""ITEM moved to a brand of its own (the caller rolls it back); the brand's name."""
	if not frappe.db.exists("Brand", "RMA Test Kept Brand"):
		frappe.get_doc({"doctype": "Brand", "brand": "RMA Test Kept Brand"}).insert()
	frappe.db.set_value("Item", ITEM, "brand", "RMA Test Kept Brand")
	return "RMA Test Kept Brand"


class TestServiceFollowUp(AsAdministrator):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer, cls.user, _sold = _dealer_who_bought_item()
		cls.other_customer, cls.other_user = _make_customer(*OTHER_DEALER)
		frappe.db.commit()

	def _claim(self, files=None) -> str:
		return claims.create_claim(
			self.customer,
			self.user,
			ITEM,
			"The pump stops after two minutes.",
			files=files or [],
		)

	def _refused(self) -> str:
		name = self._claim()
		claims.start_processing(name)
		claims.refuse(name, "Damage caused by misuse", supplier_response=_private_file(PDF, "response.pdf"))
		return name

	# the conversation --------------------------------------------------------------------------

	def test_conversation_both_ways_with_files(self):
		name = self._claim()
		made = conversation.post_message(
			"Customer Warranty Claim",
			name,
			self.user,
			"Photo of the <b>label</b> attached",
			[{"file_name": "label photo.png", "content": PNG}],
		)
		make_communication(
			doctype="Customer Warranty Claim",
			name=name,
			content="Thank you, we look at it.",
			recipients=self.user,
			send_email=False,
			sent_or_received="Sent",
		)
		rows = conversation.messages("Customer Warranty Claim", name)
		self.assertEqual(
			[(r.from_us, r.text) for r in rows],
			[(False, "Photo of the label attached"), (True, "Thank you, we look at it.")],
		)
		self.assertEqual(rows[0].name, made)
		self.assertEqual([f.file_name for f in rows[0].files], ["label photo.png"])
		file_name, content = conversation.file_content("Customer Warranty Claim", name, rows[0].files[0].name)
		self.assertEqual((file_name, content), ("label photo.png", PNG))
		other = self._claim()  # a file is served only with the document its message is on
		with self.assertRaises(frappe.DoesNotExistError):
			conversation.file_content("Customer Warranty Claim", other, rows[0].files[0].name)

	def test_message_rules(self):
		name = self._claim()
		with self.assertRaises(frappe.ValidationError):
			conversation.post_message("Customer Warranty Claim", name, self.user, "   ")
		with self.assertRaises(frappe.ValidationError):
			conversation.post_message(
				"Customer Warranty Claim",
				name,
				self.user,
				"x",
				[{"file_name": "a.exe", "content": b"MZ\x90"}],
			)
		with self.assertRaises(frappe.PermissionError):
			conversation.post_message("Sales Invoice", "X", self.user, "hello")

	def test_other_customer_cannot_read_or_post(self):
		from rma_portal.api import conversation as api

		name = self._claim()
		frappe.set_user(self.other_user)
		with self.assertRaises(frappe.PermissionError):
			api.post_message("Customer Warranty Claim", name, "hello")
		with self.assertRaises(frappe.PermissionError):
			api.download_file("Customer Warranty Claim", name, "anything")
		frappe.set_user(self.user)
		api.post_message("Customer Warranty Claim", name, "hello")
		self.assertEqual(len(conversation.messages("Customer Warranty Claim", name)), 1)

	# the appeal --------------------------------------------------------------------------------

	def test_refused_claim_is_appealed_once_with_new_files(self):
		name = self._refused()
		with self.assertRaises(claims.ClaimError):  # new files are needed
			claims.appeal(self.customer, name, self.user, "The damage was there on delivery", [])
		doc = claims.appeal(
			self.customer,
			name,
			self.user,
			"The damage was there on delivery",
			[{"filename": "delivery photo.png", "content": PNG}],
		)
		self.assertEqual(doc.status, "In processing")
		self.assertEqual(doc.appeal_note, "The damage was there on delivery")
		self.assertEqual([r.description for r in doc.attachments if r.side == "Customer"], ["Appeal"])
		names = claims.uploaded_names(name, [r.file for r in doc.attachments])
		self.assertEqual(list(names.values()), ["delivery photo.png"])  # as uploaded
		claims.refuse(name, "Still misuse")
		with self.assertRaises(claims.ClaimError):  # once only
			claims.appeal(self.customer, name, self.user, "Again", [{"filename": "b.png", "content": PNG}])
		with self.assertRaises(frappe.PermissionError):  # another customer's claim
			claims.appeal(self.other_customer, self._refused(), self.other_user, "x", [])

	def test_only_a_refused_claim_is_appealed(self):
		name = self._claim()
		with self.assertRaises(claims.StatusError):
			claims.appeal(self.customer, name, self.user, "Why", [{"filename": "a.png", "content": PNG}])

	# lists -------------------------------------------------------------------------------------

	def test_claim_filters_and_export(self):
		name = self._claim()
		rows = claims.list_claims(self.customer, status="Received", from_date=today(), to_date=today())[
			"rows"
		]
		self.assertIn(name, [r.name for r in rows])
		rows = claims.list_claims(self.customer, from_date=add_days(today(), 1))["rows"]
		self.assertNotIn(name, [r.name for r in rows])
		brand = frappe.db.get_value("Item", ITEM, "brand")
		if not brand:
			self.assertEqual(claims.list_claims(self.customer, brand="No Such Brand")["rows"], [])
		csv_text = claims.export_claims(self.customer, status="Received").decode("utf-8-sig")
		self.assertIn(name, csv_text)
		self.assertEqual(csv_text.splitlines()[0].split(",")[0], "Claim no.")
		self.assertNotIn(name, claims.export_claims(self.other_customer).decode("utf-8-sig"))

	def test_service_list_filters_are_checked(self):
		with self.assertRaises(frappe.ValidationError):
			service_list.service_requests(self.customer, {"status": "Nonsense"})
		with self.assertRaises(frappe.ValidationError):
			service_list.service_requests(self.customer, {"from_date": "31.31.2026"})
		self.assertEqual(service_list.service_requests(self.customer, {"brand": "No Such Brand"})["rows"], [])

	def test_the_brand_filters_options_are_kept_and_follow_an_items_brand(self):
		"""service_list.brands_of is kept between changes (query.kept): a second view does not read
		the requests' lines again, and an item's new brand is offered at once."""
		from frappe.utils import now

		when, request = now(), f"RMA-KEPT-{frappe.generate_hash(length=8)}"
		try:
			# a service request of the customer with one line of ITEM, straight into the tables
			insert_rows(
				"RMA",
				[
					{
						"name": request,
						"customer": self.customer,
						"kind": "Service",
						"creation": when,
						"modified": when,
					}
				],
			)
			insert_rows("RMA Item", [item_row(request, "RMA", 1, when, item_code=ITEM)])
			first = service_list.brands_of(self.customer)
			self.assertEqual(first, service_list._brands_of(self.customer))
			with queries_asked() as asked:
				self.assertEqual(service_list.brands_of(self.customer), first)
			self.assertFalse([query for query in asked if "distinct it.brand" in query], asked)
			self.assertIn(_rebrand_item(), service_list.brands_of(self.customer))
		finally:
			frappe.db.rollback()
		self.assertEqual(service_list.brands_of(self.customer), service_list._brands_of(self.customer))

	def test_the_claims_brand_options_are_kept_and_follow_an_items_brand(self):
		"""warranty_claims.claim_brands is kept between changes (query.kept): a second view does not
		read the claims again, and a claimed item's new brand is offered at once."""
		self._claim()
		first = claims.claim_brands(self.customer)
		self.assertEqual(first, claims._claim_brands(self.customer))
		with queries_asked() as asked:
			self.assertEqual(claims.claim_brands(self.customer), first)
		self.assertFalse([query for query in asked if "distinct i.brand" in query], asked)
		try:
			self.assertIn(_rebrand_item(), claims.claim_brands(self.customer))
		finally:
			frappe.db.rollback()
