# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Integration tests of service RMAs: validation rules, creation, CSV import, look-ups and access.

Own data with unique names (brands, items, customers, types), made once per class and committed
like the other integration tests of the app. Building PDFs is switched off except in the test
that checks the return form of a service RMA.
"""

import random
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, formatdate, getdate, today
from stdnum import ean as stdnum_ean

from rma_portal.api import service as api
from rma_portal.services.returns import rma_lists
from rma_portal.services.service import service_csv, service_rma
from rma_portal.tests.records import service_line, submitted_invoice

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _gtin() -> str:
	first12 = "29" + "".join(random.choice("0123456789") for _ in range(10))
	return first12 + stdnum_ean.calc_check_digit(first12)


def _proof(name="invoice.pdf", content=PDF, kind="Proof of purchase") -> dict:
	return {"kind": kind, "file_name": name, "content": content}


def _no_documents():
	return patch("rma_portal.services.service.service_rma.enqueue_documents")


class TestServiceRMA(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		from rma_portal.demo.data import make_customer

		sfx = frappe.generate_hash(length=6)
		cls.sfx = sfx
		cls.brand_serial = f"SvcSerial {sfx}"
		cls.brand_plain = f"SvcPlain {sfx}"
		for brand, required in ((cls.brand_serial, 1), (cls.brand_plain, 0)):
			frappe.get_doc({"doctype": "Brand", "brand": brand, "rma_serial_no_required": required}).insert(
				ignore_permissions=True
			)
		# key -> (brand, warranty days or None)
		spec = {
			"tool": (cls.brand_serial, 730),
			"lamp": (cls.brand_plain, 365),
			"short": (cls.brand_plain, 30),
			"noperiod": (cls.brand_plain, None),
			"unsold": (cls.brand_plain, 365),
			"faulty": (cls.brand_plain, 365),
			"twice": (cls.brand_plain, 30),
		}
		cls.items, cls.eans = {}, {}
		for key, (brand, days) in spec.items():
			code = f"SVC-{key.upper()}-{sfx}"
			cls.items[key], cls.eans[key] = code, _gtin()
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": f"Service test {key}",
					"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
					"stock_uom": "Nos",
					"is_stock_item": 0,
					"is_sales_item": 1,
					"brand": brand,
					"warranty_period": str(days) if days is not None else None,
					"barcodes": [{"barcode": cls.eans[key], "barcode_type": "EAN"}],
				}
			).insert(ignore_permissions=True)
		cls.fault = f"SvcFault {sfx}"
		cls.brand_fault = f"SvcBrandFault {sfx}"
		frappe.get_doc(
			{
				"doctype": "RMA Fault Type",
				"fault_name": cls.fault,
				"items": [{"item_code": cls.items["faulty"]}],
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{"doctype": "RMA Fault Type", "fault_name": cls.brand_fault, "brand": cls.brand_serial}
		).insert(ignore_permissions=True)
		cls.type_any = f"SvcRepair {sfx}"
		cls.type_brand = f"SvcBrandOnly {sfx}"
		cls.type_noproof = f"SvcDOA {sfx}"
		for name, brand, proof in (
			(cls.type_any, None, 1),
			(cls.type_brand, cls.brand_serial, 1),
			(cls.type_noproof, None, 0),
		):
			frappe.get_doc(
				{
					"doctype": "RMA Type",
					"type_name": name,
					"brand": brand,
					"waives_proof_of_purchase": 0 if proof else 1,
				}
			).insert(ignore_permissions=True)

		cls.customer, cls.user = f"Svc Dealer {sfx}", f"svc-dealer-{sfx}@example.com"
		cls.other, cls.other_user = f"Svc Other {sfx}", f"svc-other-{sfx}@example.com"
		make_customer(cls.customer, cls.user, "Svc", "Dealer")
		make_customer(cls.other, cls.other_user, "Svc", "Other")
		# the last purchase of each item: a valid purchase date for its lines
		cls.bought_on = {
			key: getdate(add_days(today(), days))
			for key, days in {"tool": -10, "lamp": -5, "short": -60, "noperiod": -3, "faulty": -3}.items()
		}
		cls.first_lamp = getdate(add_days(today(), -100))
		cls.last_lamp = getdate(add_days(today(), -5))
		cls._invoice(cls.customer, cls.items["tool"], add_days(today(), -10), qty=3)
		cls._invoice(cls.customer, cls.items["lamp"], cls.first_lamp)
		cls._invoice(cls.customer, cls.items["lamp"], cls.last_lamp)
		cls._invoice(cls.customer, cls.items["short"], add_days(today(), -60))
		cls._invoice(cls.customer, cls.items["noperiod"], add_days(today(), -3))
		cls._invoice(cls.customer, cls.items["faulty"], add_days(today(), -3))
		cls._invoice(cls.customer, cls.items["twice"], add_days(today(), -100))
		cls._invoice(cls.customer, cls.items["twice"], add_days(today(), -5))
		cls._invoice(cls.other, cls.items["lamp"], add_days(today(), -3))
		frappe.db.commit()

	@classmethod
	def _invoice(cls, customer, item_code, posting_date, qty=1):
		return submitted_invoice(customer, item_code, posting_date, qty=qty)

	def setUp(self):
		frappe.set_user("Administrator")
		from rma_portal import access

		access.clear_cache()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.request = None

	# helpers ---------------------------------------------------------------------------------

	def line(self, key="lamp", **values):
		purchase_date = self.bought_on.get(key, getdate(add_days(today(), -2)))
		return service_line(self.eans[key], purchase_date, **values)

	def messages(self, lines, rma_type=None, attachments=None, customer=None):
		errors = service_rma.validate_service_lines(
			customer or self.customer,
			lines,
			rma_type or self.type_any,
			[_proof()] if attachments is None else attachments,
		)
		return [e["message"] for e in errors]

	def rma_count(self, customer=None):
		return frappe.db.count("RMA", {"customer": customer or self.customer})

	# validation ------------------------------------------------------------------------------

	def test_valid_lines_have_no_errors(self):
		lines = [
			self.line("lamp"),
			self.line("tool", serial_no=f"SN-{self.sfx}-1", fault_type=self.brand_fault),
			self.line("faulty", fault_type=self.fault, service_expectation="diagnosis"),
		]
		self.assertEqual(self.messages(lines), [])

	def test_purchase_history_and_support_period(self):
		lines = [
			self.line("unsold"),  # never bought by this customer
			self.line("short"),  # bought 60 days ago, 30 days of support
			self.line("noperiod"),  # no warranty period on the item
			self.line("lamp", ean="2900000000000"),  # wrong check digit
			self.line("lamp"),
		]
		messages = self.messages(lines)
		self.assertIn(
			f"Line 1 — EAN/GTIN-13: {lines[0]['ean']} is not a product you bought from us", messages
		)
		ended = formatdate(add_days(self.bought_on["short"], 30))
		self.assertIn(
			f"Line 2 — EAN/GTIN-13: {lines[1]['ean']}: the support period ended on {ended}", messages
		)
		self.assertIn(
			f"Line 3 — EAN/GTIN-13: {lines[2]['ean']}: this product has no support period, so it cannot be sent in",
			messages,
		)
		self.assertTrue(
			any(m.startswith("Line 4 — EAN/GTIN-13:") and "not a valid GTIN-13" in m for m in messages)
		)
		self.assertFalse(any(m.startswith("Line 5") for m in messages))
		# another customer bought the lamp too, but not the tool
		other_bought_on = add_days(today(), -3)
		self.assertEqual(
			self.messages([self.line("lamp", purchase_date=other_bought_on)], customer=self.other), []
		)
		self.assertTrue(self.messages([self.line("tool", serial_no="X1")], customer=self.other))

	def test_support_period_counts_from_last_purchase(self):
		result = service_rma.warranty_check(self.customer, self.eans["lamp"])
		self.assertTrue(result["purchased"])
		self.assertEqual(result["first_purchase"], self.first_lamp)
		self.assertEqual(result["last_purchase"], self.last_lamp)
		self.assertEqual(result["warranty_end"], getdate(add_days(self.last_lamp, 365)))
		self.assertTrue(result["in_warranty"])
		# 300 days after the last purchase still in; 366 days after, out
		self.assertTrue(
			service_rma.warranty_check(self.customer, self.eans["lamp"], on=add_days(self.last_lamp, 365))[
				"in_warranty"
			]
		)
		self.assertFalse(
			service_rma.warranty_check(self.customer, self.eans["lamp"], on=add_days(self.last_lamp, 366))[
				"in_warranty"
			]
		)
		self.assertFalse(service_rma.warranty_check(self.customer, self.eans["short"])["in_warranty"])
		self.assertFalse(service_rma.warranty_check(self.customer, self.eans["unsold"])["purchased"])
		self.assertFalse(service_rma.warranty_check(self.customer, "123")["valid"])

	def test_support_period_counts_from_the_purchase_date_given(self):
		"""Bought 100 and 5 days ago, 30 days of support: the unit bought first is out, the second in."""
		first, last = add_days(today(), -100), add_days(today(), -5)
		ended = formatdate(add_days(first, 30))
		self.assertEqual(
			self.messages([self.line("twice", purchase_date=str(first))]),
			[f"Line 1 — EAN/GTIN-13: {self.eans['twice']}: the support period ended on {ended}"],
		)
		self.assertEqual(self.messages([self.line("twice", purchase_date=str(last))]), [])

	def test_brand_restricted_type(self):
		messages = self.messages(
			[self.line("lamp"), self.line("tool", serial_no=f"SN-{self.sfx}-B", fault_type=self.brand_fault)],
			rma_type=self.type_brand,
		)
		self.assertEqual(
			messages, [f"Line 1 — RMA type: {self.type_brand} is reserved for {self.brand_serial} products"]
		)

	def test_serial_required_by_brand(self):
		messages = self.messages([self.line("tool", fault_type=self.brand_fault), self.line("lamp")])
		self.assertEqual(len(messages), 1)
		self.assertTrue(messages[0].startswith("Line 1 — Serial number: no value given"))
		# one unit per serial number, and not twice in a request
		messages = self.messages(
			[
				self.line("tool", serial_no="DUP", qty=2, fault_type=self.brand_fault),
				self.line("tool", serial_no="DUP", fault_type=self.brand_fault),
			]
		)
		self.assertTrue(any(m.startswith("Line 1 — Quantity:") for m in messages))
		self.assertTrue(
			any(m.startswith("Line 2 — Serial number: DUP is already in line 1") for m in messages)
		)

	def test_fault_type_rules(self):
		messages = self.messages(
			[
				self.line("faulty"),  # defines fault types: required
				self.line("faulty", fault_type=self.brand_fault),  # not one of its fault types
				self.line("lamp", fault_type=self.fault),  # defines none
				self.line("faulty", fault_type=self.fault),  # fine
			]
		)
		self.assertEqual([m.split(":")[0] for m in messages], [f"Line {n} — Fault type" for n in (1, 2, 3)])
		info = service_rma.warranty_check(self.customer, self.eans["faulty"])
		self.assertEqual(info["fault_types"], [self.fault])
		self.assertEqual(
			service_rma.warranty_check(self.customer, self.eans["tool"])["fault_types"], [self.brand_fault]
		)

	def test_proof_of_purchase_mandatory(self):
		missing = "Attachment: a required attachment (proof of purchase) is missing"
		self.assertIn(missing, self.messages([self.line()], attachments=[]))
		self.assertIn(missing, self.messages([self.line()], attachments=[_proof("p.png", PNG, kind="Photo")]))
		self.assertEqual(self.messages([self.line()], rma_type=self.type_noproof, attachments=[]), [])
		fake = self.messages([self.line()], attachments=[_proof("invoice.pdf", b"<html>not a pdf</html>")])
		self.assertIn("Attachment: invoice.pdf is not a JPEG, PNG or PDF file", fake)

	def test_required_fields_and_dates_all_reported_together(self):
		lines = [
			self.line("lamp", problem_description="", service_expectation=""),
			self.line("lamp", purchase_date=add_days(today(), 1), qty=0),
			self.line("lamp", purchase_date=add_days(self.first_lamp, -1), service_expectation="Magic"),
		]
		errors = service_rma.validate_service_lines(self.customer, lines, None, [])
		messages = [e["message"] for e in errors]
		self.assertIn("RMA type: no value given", messages)
		self.assertIn("Line 1 — Problem description: no value given", messages)
		self.assertIn("Line 1 — Service expectation: no value given", messages)
		self.assertTrue(any(m.startswith("Line 2 — Purchase date:") and "future" in m for m in messages))
		self.assertTrue(any(m.startswith("Line 2 — Quantity:") for m in messages))
		self.assertTrue(
			any(m.startswith("Line 3 — Purchase date:") and "first bought" in m for m in messages)
		)
		self.assertTrue(any(m.startswith("Line 3 — Service expectation:") for m in messages))
		fields = {(e["line"], e["field"]) for e in errors}
		self.assertIn((1, "problem_description"), fields)
		self.assertIn((None, "rma_type"), fields)

	def test_lookups_are_aggregated(self):
		"""The number of queries does not grow with the number of lines."""
		calls = []
		original = frappe.db.sql

		def counting(*args, **kwargs):
			calls.append(args[0] if args else "")
			return original(*args, **kwargs)

		def count(lines):
			calls.clear()
			with patch.object(frappe.db, "sql", side_effect=counting):
				service_rma.validate_service_lines(self.customer, lines, self.type_any, [_proof()])
			return len(calls)

		one = count([self.line("tool", serial_no="AGG-1", fault_type=self.brand_fault)])
		many = count(
			[
				self.line("lamp"),
				self.line("short"),
				self.line("unsold"),
				self.line("faulty", fault_type=self.fault),
			]
			+ [self.line("tool", serial_no=f"AGG-{n}", fault_type=self.brand_fault) for n in range(10)]
		)
		self.assertEqual(one, many)
		self.assertLessEqual(many, 8)

	# creating ------------------------------------------------------------------------------------

	def test_create_service_rma(self):
		serial = f"SN-{self.sfx}-C"
		with _no_documents() as enqueue:
			name = service_rma.create_service_rma(
				self.customer,
				self.user,
				{
					"rma_type": self.type_any,
					"customer_rma_no": f"OWN-{self.sfx}",
					"package_contents": "Tool, case",
				},
				[self.line("tool", serial_no=serial, fault_type=self.brand_fault), self.line("lamp", qty=2)],
				[_proof(), _proof("photo.png", PNG, kind="Photo")],
			)
		enqueue.assert_called_once_with([name])
		doc = frappe.get_doc("RMA", name)
		self.assertEqual(
			(doc.kind, doc.status, doc.customer, doc.rma_type),
			("Service", "Expected", self.customer, self.type_any),
		)
		self.assertEqual(doc.customer_rma_no, f"OWN-{self.sfx}")
		self.assertEqual(
			[(r.item_code, r.qty_requested, r.serial_no or None) for r in doc.items],
			[
				(self.items["tool"], 1, serial),
				(self.items["lamp"], 2, None),
			],
		)
		self.assertEqual(doc.items[0].warranty_end, getdate(add_days(today(), -10 + 730)))
		self.assertEqual(doc.status_log[0].status, "Expected")
		self.assertEqual(sorted(a.kind for a in doc.attachments), ["Photo", "Proof of purchase"])
		files = frappe.get_all(
			"File",
			filters={
				"attached_to_doctype": "RMA",
				"attached_to_name": name,
				"attached_to_field": "attachments",
			},
			fields=["is_private"],
		)
		self.assertEqual([f.is_private for f in files], [1, 1])

		# a serial in an open request cannot be sent in again
		messages = self.messages([self.line("tool", serial_no=serial, fault_type=self.brand_fault)])
		self.assertEqual(messages, [f"Line 1 — Serial number: {serial} is already in open request {name}"])

		# look-ups
		self.assertEqual([r.name for r in service_rma.search_rmas(self.customer, f"OWN-{self.sfx}")], [name])
		self.assertEqual([r.name for r in service_rma.search_rmas(self.customer, serial)], [name])
		self.assertEqual([r.name for r in service_rma.search_rmas(self.customer, name)], [name])
		self.assertEqual(service_rma.search_rmas(self.other, name), [])
		found = service_rma.serial_lookup(self.customer, serial)
		self.assertFalse(found["found"])  # no Serial No record: only the earlier request is listed
		self.assertEqual([r.name for r in found["requests"]], [name])

	def create(self, own, serial):
		with _no_documents():
			return service_rma.create_service_rma(
				self.customer,
				self.user,
				{"rma_type": self.type_any, "customer_rma_no": own},
				[self.line("tool", serial_no=serial, fault_type=self.brand_fault)],
				[_proof()],
			)

	def test_search_finds_a_whole_number_in_every_request_and_a_part_in_the_newest(self):
		part = f"DEEP-{self.sfx}"
		older = self.create(f"{part}-OLD", f"DSN-{self.sfx}-OLD")
		frappe.db.set_value("RMA", older, "customer_reference", f"PO-{self.sfx}-OLD")
		newer = self.create(f"{part}-NEW", f"DSN-{self.sfx}-NEW")

		def names(text):
			return [r.name for r in service_rma.search_rmas(self.customer, text)]

		self.assertEqual(names(part), [newer, older])
		self.assertEqual(names(f"DSN-{self.sfx}-"), [newer, older])
		with patch("rma_portal.services.service.service_lookups.SEARCH_DEPTH", 1):
			# a part: only in the newest request; the whole number: in any
			self.assertEqual(names(part), [newer])
			self.assertEqual(names(f"DSN-{self.sfx}-"), [newer])
			for whole in (older, f"{part}-OLD", f"DSN-{self.sfx}-OLD", f"PO-{self.sfx}-OLD", older.lower()):
				self.assertEqual(names(whole), [older], whole)
			self.assertEqual(service_rma.search_rmas(self.other, older), [])

	def test_the_kept_count_of_requests_follows_a_new_one(self):
		counts = [rma_lists.list_rmas(self.customer, kind=kind)["total"] for kind in (None, "Service")]
		self.assertEqual(
			counts[0], frappe.db.count("RMA", {"customer": self.customer, "docstatus": ["<", 2]})
		)
		self.create(f"COUNT-{self.sfx}", f"CSN-{self.sfx}")
		for kind, before in zip((None, "Service"), counts, strict=True):
			self.assertEqual(rma_lists.list_rmas(self.customer, kind=kind)["total"], before + 1)

	def test_create_raises_with_all_errors_and_saves_nothing(self):
		before = self.rma_count()
		with self.assertRaises(service_rma.ServiceRequestError) as ctx:
			service_rma.create_service_rma(
				self.customer,
				self.user,
				{"rma_type": self.type_any},
				[self.line("unsold"), self.line("tool")],
				[],
			)
		self.assertGreaterEqual(len(ctx.exception.errors), 3)
		self.assertEqual(self.rma_count(), before)

	def test_serial_lookup_with_serial_no_record(self):
		serial = f"SNREC-{self.sfx}"
		doc = frappe.get_doc({"doctype": "Serial No", "serial_no": serial, "item_code": self.items["tool"]})
		doc.name = serial
		doc.db_insert()
		found = service_rma.serial_lookup(self.customer, serial)
		self.assertTrue(found["found"])
		self.assertEqual(found["item_code"], self.items["tool"])
		self.assertTrue(found["in_warranty"])
		self.assertFalse(service_rma.serial_lookup(self.other, serial)["found"])  # the other never bought it
		messages = self.messages([self.line("lamp", serial_no=serial)])
		self.assertEqual(messages, [f"Line 1 — Serial number: {serial} belongs to another product"])

	def test_documents_render_for_service_rma(self):
		name = service_rma.create_service_rma(
			self.customer,
			self.user,
			{"rma_type": self.type_noproof},
			[self.line("lamp", problem_description="Flickers <b>badly</b> at < 5 V")],
			[],
		)
		self.assertTrue(frappe.db.get_value("RMA", name, "documents"))
		from rma_portal.services.returns.documents import FORM_TEMPLATE, documents_context

		html = frappe.render_template(FORM_TEMPLATE, documents_context(frappe.get_doc("RMA", name), b""))
		self.assertIn(self.eans["lamp"], html)
		self.assertIn("Flickers badly at &lt; 5 V", html)  # markup dropped on save, the rest escaped

	# CSV import ----------------------------------------------------------------------------------

	def csv(self, rows):
		lines = ["own RMA number,EAN,serial number,sale date,problem,expectation"]
		for row in rows:
			lines.append(",".join(f'"{cell}"' for cell in row))
		return ("\n".join(lines) + "\n").encode()

	def csv_rows(self, bad_ean=None):
		on = self.bought_on
		return [
			[f"G-{self.sfx}", self.eans["lamp"], "", on["lamp"], "No light, fuse ok", "Repair", ""],
			[
				f"G-{self.sfx}",
				self.eans["tool"],
				f"CSV-{frappe.generate_hash(length=8)}",
				on["tool"],
				"Does not charge",
				"Replacement",
				self.brand_fault,
			],
			["", bad_ean or self.eans["faulty"], "", on["faulty"], "Broken, see photo", "credit", self.fault],
		]

	def test_csv_one_bad_row_saves_nothing(self):
		before = self.rma_count()
		with _no_documents():
			result = service_csv.import_service_csv(
				self.customer,
				self.user,
				self.csv(self.csv_rows(bad_ean=self.eans["unsold"])),
				self.type_any,
				_proof(),
			)
		self.assertFalse(result["ok"])
		self.assertEqual(result["created"], [])
		self.assertEqual([(e["row"], e["column"]) for e in result["errors"]], [(4, "ean")])
		self.assertIn("Row 4 — EAN/GTIN-13:", result["errors"][0]["message"])
		self.assertEqual(self.rma_count(), before)

	def test_csv_all_good_creates_all_grouped_by_own_number(self):
		before = self.rma_count()
		with _no_documents() as enqueue:
			result = service_csv.import_service_csv(
				self.customer, self.user, self.csv(self.csv_rows()), self.type_any, _proof()
			)
		self.assertTrue(result["ok"], result["errors"])
		self.assertEqual([c["rows"] for c in result["created"]], [[2, 3], [4]])
		self.assertEqual(self.rma_count(), before + 2)
		enqueue.assert_called_once()
		grouped = frappe.get_doc("RMA", result["created"][0]["name"])
		self.assertEqual(grouped.customer_rma_no, f"G-{self.sfx}")
		self.assertEqual(len(grouped.items), 2)
		self.assertEqual(grouped.items[1].service_expectation, "Replacement")
		self.assertEqual(
			frappe.get_doc("RMA", result["created"][1]["name"]).items[0].service_expectation, "Credit"
		)
		self.assertEqual([a.kind for a in grouped.attachments], ["Proof of purchase"])

	def test_csv_import_by_the_portal_user_gives_every_request_the_customers_address(self):
		"""The portal user may not read Address documents through Frappe; the address is still the
		customer's own, found once for the whole file."""
		address = frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": self.customer,
				"address_type": "Shipping",
				"address_line1": f"Dock {self.sfx}",
				"city": "Testdorp",
				"country": frappe.db.get_value("Country", {}, "name"),
				"is_shipping_address": 1,
				"links": [{"link_doctype": "Customer", "link_name": self.customer}],
			}
		).insert(ignore_permissions=True)
		frappe.set_user(self.user)
		with _no_documents():
			result = service_csv.import_service_csv(
				self.customer, self.user, self.csv(self.csv_rows()), self.type_any, _proof()
			)
		self.assertTrue(result["ok"], result["errors"])
		addresses = [
			frappe.db.get_value("RMA", c["name"], "return_address_customer") for c in result["created"]
		]
		self.assertEqual(len(addresses), 2)
		for text in addresses:
			self.assertIn(f"Dock {self.sfx}", text or "")
		frappe.set_user("Administrator")
		address.delete(ignore_permissions=True, force=True)

	def test_csv_proof_required_and_file_errors(self):
		result = service_csv.import_service_csv(
			self.customer, self.user, self.csv(self.csv_rows()), self.type_any
		)
		self.assertFalse(result["ok"])
		self.assertIn(
			"Attachment: a required attachment (proof of purchase) is missing",
			[e["message"] for e in result["errors"]],
		)
		result = service_csv.import_service_csv(self.customer, self.user, b"a,b\n", self.type_noproof)
		self.assertFalse(result["ok"])
		self.assertTrue(all(e["row"] == 1 for e in result["errors"]))

	def test_csv_exception_rolls_back_everything(self):
		before = self.rma_count()
		real_insert = service_rma.insert_service_rma
		calls = []

		def failing(*args, **kwargs):
			calls.append(1)
			if len(calls) == 2:
				raise RuntimeError("disk full")
			return real_insert(*args, **kwargs)

		with _no_documents(), patch.object(service_rma, "insert_service_rma", side_effect=failing):
			with self.assertRaises(RuntimeError):
				service_csv.import_service_csv(
					self.customer, self.user, self.csv(self.csv_rows()), self.type_any, _proof()
				)
		self.assertEqual(self.rma_count(), before)

	def test_csv_background_job_reports_progress(self):
		rows = [["", self.eans["lamp"], "", self.last_lamp, f"Problem {n}", "Diagnosis"] for n in range(12)]
		token = "t" + frappe.generate_hash(length=10)
		service_csv._set_status(token, {"user": self.user, "status": "queued", "percent": 0})
		seen = []
		with _no_documents(), patch("frappe.publish_progress", side_effect=lambda *a, **k: seen.append(a[0])):
			result = service_csv.run_service_csv_job(
				token, self.customer, self.user, self.csv(rows), self.type_noproof
			)
		self.assertTrue(result["ok"])
		self.assertEqual(len(result["created"]), 12)
		self.assertEqual(seen[-1], 100)
		frappe.db.commit()  # the job runner commits; the final state is stored after that
		state = service_csv.import_status(token, self.user)
		self.assertEqual((state["status"], len(state["created"])), ("done", 12))
		self.assertIsNone(service_csv.import_status(token, self.other_user))

	def test_csv_import_queue_and_documents_in_one_job(self):
		"""Imports go to the short queue (taken first), a file's documents to one long-queue job."""
		with patch("frappe.enqueue") as enqueue:
			service_rma.enqueue_documents([f"RMA/{n}" for n in range(30)])
		enqueue.assert_called_once()
		self.assertEqual(enqueue.call_args.kwargs["queue"], "long")
		self.assertEqual(len(enqueue.call_args.kwargs["names"]), 30)
		frappe.set_user(self.user)
		with patch("frappe.enqueue") as enqueue:
			service_csv.enqueue_service_csv(self.customer, self.user, b"x", self.type_any)
		self.assertEqual(enqueue.call_args.kwargs["queue"], "short")

	# access ----------------------------------------------------------------------------------

	def test_guest_gets_permission_error_everywhere(self):
		frappe.set_user("Guest")
		calls = [
			lambda: api.submit_request(header={}, lines=[]),
			lambda: api.check_ean(self.eans["lamp"]),
			lambda: api.lookup_serial("X"),
			lambda: api.search("RMA"),
			lambda: api.import_csv(rma_type=self.type_any, csv_text="x"),
			lambda: api.import_status("x"),
			lambda: api.download_attachment("RMA/1", "x"),
			lambda: api.rma_types(),
		]
		for call in calls:
			with self.assertRaises(frappe.PermissionError):
				call()

	def test_company_boundary(self):
		with _no_documents():
			name = service_rma.create_service_rma(
				self.customer,
				self.user,
				{"rma_type": self.type_any, "customer_rma_no": f"BOUND-{self.sfx}"},
				[self.line("tool", serial_no=f"BOUND-{self.sfx}", fault_type=self.brand_fault)],
				[_proof()],
			)
		row = frappe.db.get_value("RMA Attachment", {"parent": name}, "name")
		frappe.set_user(self.user)
		frappe.local.response = frappe._dict()
		api.download_attachment(name, row)  # the owner may
		self.assertEqual(frappe.local.response.filecontent, PDF)

		frappe.set_user(self.other_user)
		with self.assertRaises(frappe.PermissionError):
			api.download_attachment(name, row)
		self.assertEqual(api.search(name), [])
		self.assertEqual(api.search(f"BOUND-{self.sfx}"), [])
		self.assertEqual(api.lookup_serial(f"BOUND-{self.sfx}")["requests"], [])
		self.assertFalse(api.check_ean(self.eans["tool"])["purchased"])
		result = api.submit_request(
			header={"rma_type": self.type_noproof},
			lines=[self.line("tool", serial_no="OTHER-1", fault_type=self.brand_fault)],
		)
		self.assertFalse(result["ok"])
		self.assertIn("not a product you bought from us", result["errors"][0]["message"])
		# a service call for another customer is refused even when called directly
		with self.assertRaises(frappe.PermissionError):
			service_rma.create_service_rma(
				self.customer, self.other_user, {"rma_type": self.type_noproof}, [self.line()], []
			)
		with self.assertRaises(frappe.PermissionError):
			service_csv.import_service_csv(
				self.customer, self.other_user, self.csv(self.csv_rows()), self.type_noproof
			)
		token = service_csv.enqueue_service_csv.__name__  # any token of someone else: not found
		with self.assertRaises(frappe.PermissionError):
			api.import_status(token)

	def test_api_import_csv_inline_and_errors(self):
		frappe.set_user(self.user)
		import io

		from werkzeug.test import EnvironBuilder

		data = self.csv(self.csv_rows(bad_ean=self.eans["short"]))
		builder = EnvironBuilder(
			method="POST",
			data={
				"csv": (io.BytesIO(data), "requests.csv"),
				"proof_of_purchase": (io.BytesIO(PDF), "invoice.pdf"),
			},
		)
		frappe.local.request = builder.get_request()
		before = self.rma_count()
		result = api.import_csv(rma_type=self.type_any)
		self.assertFalse(result["ok"])
		self.assertEqual(result["errors"][0]["row"], 4)
		self.assertEqual(self.rma_count(), before)

		builder = EnvironBuilder(
			method="POST",
			data={
				"csv": (io.BytesIO(self.csv(self.csv_rows())), "requests.csv"),
				"proof_of_purchase": (io.BytesIO(PDF), "invoice.pdf"),
			},
		)
		frappe.local.request = builder.get_request()
		with _no_documents():
			result = api.import_csv(rma_type=self.type_any)
		self.assertTrue(result["ok"], result.get("errors"))
		self.assertEqual(len(result["created"]), 2)
		self.assertTrue(result["created"][0]["url"].startswith("/rma/view?name="))

		frappe.local.request = EnvironBuilder(
			method="POST", data={"csv": (io.BytesIO(b"MZ\x00\x00binary"), "evil.csv")}
		).get_request()
		result = api.import_csv(rma_type=self.type_any)
		self.assertFalse(result["ok"])
		self.assertIn("not a CSV file", result["errors"][0]["message"])
