# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Integration tests: every handling closes a service request through ERPNext's documents.

Own items (one without and one with serial numbers), stock, and a customer who bought them with a
Sales Order, Delivery Note and Sales Invoice. One service request per handling, from filing to
Completed: the purchase it is tied to, the Delivery Note return at receipt, then the credit note,
replacement, repaired unit or rejected unit sent back, the paid repair quote accepted or declined;
amounts, stock and serial numbers checked on ERPNext's documents.
"""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, getdate, today

from rma_portal.services.returns import credit_note, lifecycle, outcome
from rma_portal.services.service import service_desk, service_purchase, service_rma
from rma_portal.services.shared import notify

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _gtin(n: int, sfx: str) -> str:
	from stdnum import ean

	digits = "".join(str(ord(c) % 10) for c in sfx)[:6].ljust(6, "0")
	first12 = f"28{digits}{n:04d}"
	return first12 + ean.calc_check_digit(first12)


def _stock(item_code: str, warehouse: str) -> float:
	return flt(frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty"))


class TestServiceOutcomes(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		from rma_portal.demo.data import make_customer

		sfx = frappe.generate_hash(length=6)
		cls.sfx = sfx
		cls.company = frappe.defaults.get_global_default("company")
		cls.warehouse = frappe.db.get_value("Warehouse", {"company": cls.company, "is_group": 0})
		cls.brand = f"H31Brand {sfx}"
		frappe.get_doc({"doctype": "Brand", "brand": cls.brand}).insert(ignore_permissions=True)
		cls.plain, cls.serial_item = f"H31-PLAIN-{sfx}", f"H31-SER-{sfx}"
		cls.repair_item, cls.charge_item = f"H31-REPAIR-{sfx}", f"H31-CHARGE-{sfx}"
		cls.eans = {cls.plain: _gtin(1, sfx), cls.serial_item: _gtin(2, sfx)}
		group = frappe.db.get_value("Item Group", {"is_group": 0}, "name")
		for code, stock, serial in (
			(cls.plain, 1, 0),
			(cls.serial_item, 1, 1),
			(cls.repair_item, 0, 0),
			(cls.charge_item, 0, 0),
		):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": code,
					"item_group": group,
					"stock_uom": "Nos",
					"is_stock_item": stock,
					"has_serial_no": serial,
					"serial_no_series": f"H31{sfx}.####" if serial else None,
					"brand": cls.brand,
					"warranty_period": "365" if stock else None,
					"barcodes": [{"barcode": cls.eans[code], "barcode_type": "EAN"}]
					if code in cls.eans
					else [],
				}
			).insert(ignore_permissions=True)
		receipt = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": cls.company,
				"posting_date": add_days(today(), -40),  # before the (backdated) sale
				"set_posting_time": 1,
				"items": [
					{"item_code": cls.plain, "qty": 20, "t_warehouse": cls.warehouse, "basic_rate": 40},
					{"item_code": cls.serial_item, "qty": 10, "t_warehouse": cls.warehouse, "basic_rate": 90},
				],
			}
		)
		receipt.insert(ignore_permissions=True)
		receipt.submit()
		cls.customer, cls.user = f"H31 Dealer {sfx}", f"h31-dealer-{sfx}@example.com"
		make_customer(cls.customer, cls.user, "H31", "Dealer")
		cls.sold_on = getdate(add_days(today(), -20))
		cls.order, cls.delivery, cls.invoice, cls.sold_serials = cls._sell()
		settings = frappe.get_single("RMA Settings")
		settings.repair_item, settings.handling_charge_item = cls.repair_item, cls.charge_item
		settings.handling_charge = 15
		settings.save(ignore_permissions=True)
		cls.rma_type = (
			frappe.get_doc({"doctype": "RMA Type", "type_name": f"H31 Service {sfx}"})
			.insert(ignore_permissions=True)
			.name
		)
		frappe.db.commit()

	@classmethod
	def _sell(cls):
		"""One order of 6 plain units at 100 and 4 serial units at 250: delivered and invoiced."""
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

		order = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": cls.customer,
				"company": cls.company,
				"transaction_date": cls.sold_on,
				"delivery_date": add_days(cls.sold_on, 2),
				"set_warehouse": cls.warehouse,
				"items": [
					{"item_code": cls.plain, "qty": 6, "rate": 100, "price_list_rate": 100},
					{"item_code": cls.serial_item, "qty": 4, "rate": 250, "price_list_rate": 250},
				],
			}
		)
		order.set_missing_values()
		order.insert(ignore_permissions=True)
		order.submit()
		serials = frappe.get_all(
			"Serial No",
			filters={"item_code": cls.serial_item, "status": "Active"},
			pluck="name",
			order_by="name",
			limit=4,
		)
		delivery = make_delivery_note(order.name)
		delivery.posting_date, delivery.set_posting_time = cls.sold_on, 1
		for item in delivery.items:
			if item.item_code == cls.serial_item:
				item.use_serial_batch_fields, item.serial_no = 1, "\n".join(serials)
		delivery.insert(ignore_permissions=True)
		delivery.submit()
		invoice = make_sales_invoice(delivery.name)
		invoice.posting_date, invoice.set_posting_time = cls.sold_on, 1
		invoice.due_date = add_days(cls.sold_on, 30)
		invoice.payment_schedule = []
		invoice.insert(ignore_permissions=True)
		invoice.submit()
		return order.name, delivery.name, invoice.name, serials

	def setUp(self):
		frappe.set_user("Administrator")

	# helpers ---------------------------------------------------------------------------------

	def file(self, item_code: str, expectation: str, serial: str | None = None) -> str:
		line = {
			"ean": self.eans[item_code],
			"qty": 1,
			"serial_no": serial or "",
			"purchase_date": str(self.sold_on),
			"problem_description": "Stops after a minute",
			"service_expectation": expectation,
		}
		with patch("rma_portal.services.service.service_rma.enqueue_documents"):
			return service_rma.create_service_rma(
				self.customer,
				self.user,
				{"rma_type": self.rma_type},
				[line],
				[{"kind": "Proof of purchase", "file_name": "invoice.pdf", "content": PDF}],
			)

	def receive(self, name: str, handling: str | None = None):
		row = frappe.get_doc("RMA", name).items[0]
		return lifecycle.receive(name, {row.name: 1}, {row.name: handling} if handling else None)

	def ship(self, name: str, report: str | None = "Motor replaced", **parcel):
		row = frappe.get_doc("RMA", name).items[0]
		return outcome.ship_outcomes(
			name,
			parcel=parcel
			or {"carrier": "DHL", "tracking_no": "JD0001", "tracking_url": "https://dhl.example/JD0001"},
			repair_reports={row.name: report} if report else None,
		)

	def assert_completed(self, name: str):
		doc = frappe.get_doc("RMA", name)
		self.assertEqual(doc.status, "Completed")
		self.assertEqual(doc.status_log[-1].status, "Completed")
		self.assertEqual([log.status for log in doc.status_log][:2], ["Expected", "Received"])
		return doc

	def assert_booked_back(self, row, serial: str | None = None):
		"""The unit came back with a return of the delivery it left with (its serial, when it has one)."""
		ret = frappe.get_doc("Delivery Note", row.return_delivery_note)
		self.assertEqual((ret.is_return, ret.return_against, ret.docstatus), (1, self.delivery, 1))
		self.assertEqual([(i.item_code, i.qty) for i in ret.items], [(row.item_code, -1)])
		if serial:
			self.assertEqual(frappe.db.get_value("Serial No", serial, "warehouse"), self.warehouse)

	# the purchase a service line refers to -------------------------------------------------

	def test_line_is_tied_to_its_purchase(self):
		name = self.file(self.serial_item, "Repair", serial=self.sold_serials[1])
		row = frappe.get_doc("RMA", name).items[0]
		self.assertEqual(
			(row.sales_order, row.delivery_note, row.sales_invoice, flt(row.rate)),
			(self.order, self.delivery, self.invoice, 250),
		)
		self.assertTrue(row.sales_order_item and row.delivery_note_item and row.sales_invoice_item)
		lifecycle.cancel(name, "test")

	def test_a_line_filed_untied_is_tied_at_receipt(self):
		"""A line whose purchase was not found when it was filed is tied at receipt: returns raises the
		RMA's before_receipt event, service ties its lines in it (hooks.py)."""
		name = self.file(self.plain, "Credit")
		row = frappe.get_doc("RMA", name).items[0]
		untied = [f for f in service_purchase.LINK_FIELDS if f not in ("rate", "uom")]  # not null
		frappe.db.set_value("RMA Item", row.name, dict.fromkeys(untied))
		self.receive(name)
		row = frappe.get_doc("RMA", name).items[0]
		self.assertEqual((row.delivery_note, row.sales_invoice), (self.delivery, self.invoice))
		self.assert_booked_back(row)

	def test_a_delivery_whose_units_all_came_back_is_not_the_purchase(self):
		"""ERPNext refuses to take back units of a line that came back in full ("Cannot return more
		than 0.0"): the line is tied to a delivery with units left, even one after the date."""
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		returned = frappe.get_doc(
			{
				"doctype": "Delivery Note",
				"customer": self.customer,
				"company": self.company,
				"posting_date": add_days(self.sold_on, -10),
				"set_posting_time": 1,
				"set_warehouse": self.warehouse,
				"items": [{"item_code": self.plain, "qty": 1, "rate": 100, "warehouse": self.warehouse}],
			}
		)
		returned.insert(ignore_permissions=True)
		returned.submit()
		back = make_sales_return(returned.name)
		back.posting_date, back.set_posting_time = add_days(self.sold_on, -9), 1
		back.insert(ignore_permissions=True)
		back.submit()

		found = service_purchase.find_purchase(self.customer, self.plain, None, add_days(self.sold_on, -5))
		self.assertEqual(found.delivery_note, self.delivery)
		# with units left, the latest delivery on or before the date still wins
		found = service_purchase.find_purchase(self.customer, self.plain, None, self.sold_on)
		self.assertEqual(found.delivery_note, self.delivery)

	# one request per handling ----------------------------------------------------------------

	def test_credit(self):
		name = self.file(self.plain, "Credit")
		self.receive(name)
		row = frappe.get_doc("RMA", name).items[0]
		self.assertEqual(row.handling, "Credit")
		self.assert_booked_back(row)
		made = credit_note.make_credit_note(name)
		credit = frappe.get_doc("Sales Invoice", made)
		self.assertEqual((credit.is_return, credit.return_against, credit.update_stock), (1, self.invoice, 0))
		self.assertEqual([(i.item_code, i.qty, flt(i.rate)) for i in credit.items], [(self.plain, -1, 100)])
		original_total = frappe.db.get_value("Sales Invoice", self.invoice, "grand_total")
		# the credit is one sixth of the plain line's share of the invoice (taxes as invoiced)
		self.assertAlmostEqual(-credit.grand_total, original_total * 100 / 1600, places=2)
		doc = self.assert_completed(name)
		self.assertEqual(doc.credit_note, made)
		self.assertEqual(doc.items[0].outcome, "Credit note made")

	def test_replace_ships_a_new_serial(self):
		defective = self.sold_serials[0]
		name = self.file(self.serial_item, "Replacement", serial=defective)
		self.receive(name)
		row = frappe.get_doc("RMA", name).items[0]
		self.assertEqual(row.handling, "Replace")
		self.assert_booked_back(row, defective)
		made = self.ship(name, report=None)
		delivery = frappe.get_doc("Delivery Note", made[0])
		self.assertEqual(
			[(i.item_code, i.qty, flt(i.rate)) for i in delivery.items], [(self.serial_item, 1, 0)]
		)
		self.assertEqual(flt(delivery.grand_total), 0)
		row = frappe.get_doc("RMA", name).items[0]
		self.assertEqual(delivery.items[0].against_sales_order, row.replacement_order)
		replacement = frappe.db.get_value(
			"Serial and Batch Entry",
			{"parent": delivery.items[0].serial_and_batch_bundle},
			"serial_no",
		)
		self.assertNotEqual(replacement, defective)
		self.assertEqual(frappe.db.get_value("Serial No", replacement, "warehouse"), None)
		self.assertEqual(frappe.db.get_value("Serial No", defective, "warehouse"), self.warehouse)
		self.assertEqual(flt(frappe.db.get_value("Sales Order", row.replacement_order, "grand_total")), 0)
		self.assert_completed(name)

	def test_repair_sends_the_unit_back_with_report_and_tracking(self):
		before = _stock(self.plain, self.warehouse)
		name = self.file(self.plain, "Repair")
		self.receive(name)
		self.assertEqual(_stock(self.plain, self.warehouse), before + 1)
		with self.assertRaises(frappe.ValidationError):  # a repaired line says what was repaired
			self.ship(name, report=None)
		made = self.ship(name, report="Motor replaced")
		delivery = frappe.get_doc("Delivery Note", made[0])
		self.assertEqual([(i.item_code, i.qty, flt(i.rate)) for i in delivery.items], [(self.plain, 1, 0)])
		self.assertEqual((delivery.transporter_name, delivery.lr_no), ("DHL", "JD0001"))
		self.assertEqual(_stock(self.plain, self.warehouse), before)
		doc = self.assert_completed(name)
		self.assertEqual(
			(doc.outbound_carrier, doc.outbound_tracking_no, doc.outbound_tracking_url),
			("DHL", "JD0001", "https://dhl.example/JD0001"),
		)
		self.assertEqual(
			(doc.items[0].repair_report, doc.items[0].outcome), ("Motor replaced", "Repaired and sent back")
		)
		# the Completed mail of a service request: its own template, with outcome, report and tracking
		self.assertEqual(notify._mail_key(doc, "Completed"), "Service Completed")
		subject, body = notify.render_mail(notify.EMAIL_TEMPLATES["Service Completed"], doc)
		self.assertIn(f"Service request {name} is completed", subject)
		for text in ("Repaired and sent back", "Motor replaced", "JD0001", "https://dhl.example/JD0001"):
			self.assertIn(text, body)

	def test_diagnosis_then_repair_returns_the_same_serial(self):
		serial = self.sold_serials[2]
		name = self.file(self.serial_item, "Diagnosis", serial=serial)
		self.receive(name)
		row = frappe.get_doc("RMA", name).items[0]
		self.assertFalse(row.handling)
		with self.assertRaises(frappe.ValidationError):  # nothing to send before the diagnosis
			self.ship(name)
		service_desk.diagnose(
			name, {row.name: {"diagnosis": "Worn brushes", "covered": "Covered", "handling": "Repair"}}
		)
		made = self.ship(name, report="Brushes replaced")
		bundle = frappe.db.get_value("Delivery Note Item", {"parent": made[0]}, "serial_and_batch_bundle")
		self.assertEqual(
			frappe.db.get_value("Serial and Batch Entry", {"parent": bundle}, "serial_no"), serial
		)
		self.assertEqual(
			frappe.db.get_value("Serial No", serial, ["warehouse", "status"]), (None, "Delivered")
		)
		doc = self.assert_completed(name)
		self.assertEqual(doc.items[0].diagnosis, "Worn brushes")
		self.assertIn("Diagnosed", [log.note.split(":")[0] for log in doc.status_log if log.note])

	def test_diagnosis_and_repair_quote_wait_for_the_goods(self):
		name = self.file(self.plain, "Repair")  # filed, not received
		row = frappe.get_doc("RMA", name).items[0]
		refusals = {
			"receive the goods before the diagnosis": lambda: service_desk.diagnose(
				name, {row.name: {"diagnosis": "Cracked", "covered": "Not covered"}}
			),
			"a repair quote is sent for received goods": lambda: service_desk.send_repair_quote(name, 80),
		}
		for refusal, step in refusals.items():
			with self.subTest(refusal):
				with self.assertRaises(frappe.ValidationError) as refused:
					step()
				self.assertIn(refusal, str(refused.exception))
		self.assertEqual(frappe.db.get_value("RMA", name, "status"), "Expected")

	def test_reject_sends_the_unit_back(self):
		before = _stock(self.plain, self.warehouse)
		name = self.file(self.plain, "Repair")
		self.receive(name, "Reject")
		with self.assertRaises(lifecycle.StatusError):  # not rejected whole while the unit is here
			lifecycle.reject(name, "Not ours")
		made = self.ship(name, report=None)
		delivery = frappe.get_doc("Delivery Note", made[0])
		self.assertEqual([(i.item_code, i.qty, flt(i.rate)) for i in delivery.items], [(self.plain, 1, 0)])
		self.assertEqual(_stock(self.plain, self.warehouse), before)
		self.assertEqual(self.assert_completed(name).items[0].outcome, "Rejected and sent back")

	def _quoted(self):
		name = self.file(self.plain, "Repair")
		self.receive(name)
		row = frappe.get_doc("RMA", name).items[0]
		service_desk.diagnose(
			name, {row.name: {"diagnosis": "Dropped: cracked housing", "covered": "Not covered"}}
		)
		with patch.object(notify, "send_repair_quote_mail") as mail:
			doc = service_desk.send_repair_quote(name, 80, "Housing and seal")
		mail.assert_called_once()
		subject, body = notify.render_mail(notify.EMAIL_TEMPLATES["Service Repair Quote"], doc)
		self.assertIn("a repair quote for you to answer", subject)
		self.assertIn("80.00", body)
		self.assertIn("/rma/view?name=" + name.replace("/", "%2F"), body)
		quotation = frappe.get_doc("Quotation", doc.repair_quotation)
		self.assertEqual((quotation.docstatus, quotation.party_name), (1, self.customer))
		self.assertEqual([(i.item_code, flt(i.rate)) for i in quotation.items], [(self.repair_item, 80)])
		return name

	def test_paid_repair_accepted(self):
		name = self._quoted()
		frappe.set_user(self.user)
		from rma_portal.api import service as api

		answer = api.answer_repair_quote(name, "accept")
		self.assertEqual((answer["repair_quote_status"], answer["changed"]), ("Accepted", True))
		self.assertFalse(api.answer_repair_quote(name, "decline")["changed"])  # answered once
		frappe.set_user("Administrator")
		doc = frappe.get_doc("RMA", name)
		order = frappe.get_doc("Sales Order", doc.repair_sales_order)
		self.assertEqual((order.docstatus, order.customer, flt(order.net_total)), (1, self.customer, 80))
		self.assertEqual(order.items[0].prevdoc_docname, doc.repair_quotation)
		self.assertEqual(doc.items[0].handling, "Repair")
		self.ship(name, report="Housing replaced")
		self.assert_completed(name)

	def test_paid_repair_declined(self):
		name = self._quoted()
		frappe.set_user(self.user)
		from rma_portal.api import service as api

		self.assertEqual(api.answer_repair_quote(name, "decline")["repair_quote_status"], "Declined")
		frappe.set_user("Administrator")
		doc = frappe.get_doc("RMA", name)
		self.assertEqual(frappe.db.get_value("Quotation", doc.repair_quotation, "status"), "Lost")
		charge = frappe.get_doc("Sales Invoice", doc.handling_charge_invoice)
		self.assertEqual((charge.docstatus, charge.customer), (1, self.customer))
		self.assertEqual([(i.item_code, flt(i.rate)) for i in charge.items], [(self.charge_item, 15)])
		self.assertEqual(doc.items[0].handling, "Reject")
		self.ship(name, report=None)
		self.assertEqual(self.assert_completed(name).items[0].outcome, "Rejected and sent back")

	def test_other_customer_cannot_answer_a_quote(self):
		name = self._quoted()
		with self.assertRaises(frappe.PermissionError):
			service_desk.answer_repair_quote("Someone Else", name, True, "x@example.com")

	# the confirmation mail ------------------------------------------------------------------

	def test_service_confirmation_mail(self):
		name = self.file(self.plain, "Repair")
		doc = frappe.get_doc("RMA", name)
		subject, body = notify.render_mail(notify.EMAIL_TEMPLATES[notify._mail_key(doc, "Confirmation")], doc)
		self.assertIn("service request", subject)
		self.assertIn("/rma/view?name=" + name.replace("/", "%2F"), body)
		from rma_portal.domain.mail_text import html_to_text

		text = html_to_text(body)
		self.assertIn(f"service request {name}", text)
		self.assertNotIn("**", text)
		self.assertNotIn("<", text)
		lifecycle.cancel(name, "test")

	# the /service list ------------------------------------------------------------------------

	def test_list_filters_paging_and_export(self):
		from rma_portal.services.service import service_list

		name = self.file(self.plain, "Repair")
		mine = {"rma_type": self.rma_type}

		def names(**filters):
			return [r.name for r in service_list.service_requests(self.customer, {**mine, **filters})["rows"]]

		self.assertIn(name, names(status="Expected", brand=self.brand, from_date=today(), to_date=today()))
		self.assertNotIn(name, names(status="Completed"))
		self.assertNotIn(name, names(from_date=add_days(today(), 1)))
		self.assertNotIn(name, names(brand="No Such Brand"))
		self.assertIn(name, names(search=self.eans[self.plain]))
		page = service_list.service_requests(self.customer, mine, page=1, page_size=1)
		self.assertEqual((len(page["rows"]), page["page_size"]), (1, 1))
		self.assertGreaterEqual(page["total"], 1)
		text = service_list.export_csv(self.customer, {**mine, "status": "Expected"}).decode("utf-8-sig")
		self.assertIn(name, text)
		line = next(line for line in text.splitlines() if line.startswith(name))
		self.assertIn(f",{self.plain},", line)  # the items column holds the item codes
		self.assertEqual(text.splitlines()[0].split(",")[0], "RMA no.")
		self.assertNotIn(name, service_list.export_csv("Someone Else", {}).decode("utf-8-sig"))
		lifecycle.cancel(name, "test")
