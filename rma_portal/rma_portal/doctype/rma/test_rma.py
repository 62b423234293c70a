# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Integration tests of the returns service, the RMA lifecycle and the credit note.

The data is made here (own customers, items, orders) with unique names, and committed: the
concurrency test needs other connections to see it. Reruns therefore add new customers rather
than depend on what earlier runs left.
"""

import functools
import threading
import time

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, today

from rma_portal import access
from rma_portal.services.returns import credit_note, lifecycle, returns
from rma_portal.tests import records
from rma_portal.tests.records import in_connections, linked_doctypes

test_ignore = linked_doctypes("RMA")  # no ERPNext "_Test" records: the tests make their own

FEE = 2.5
REASON = "Test Defective"
DISABLED_REASON = "Test Withdrawn"
FEE_ITEM = "RMA-TEST-FEE"
ITEMS = [f"RMA-TEST-{n:02d}" for n in range(1, 13)]


def _company() -> str:
	return records.company()


def _warehouse(company: str) -> str:
	return frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 0, "warehouse_name": "Stores"}
	) or frappe.db.get_value("Warehouse", {"company": company, "is_group": 0})


def _make_item(code: str, stock: bool = True):
	records.make_item(code, stock=stock, valuation_rate=10)


def _make_reason(name: str, enabled: int):
	if not frappe.db.exists("RMA Return Reason", name):
		frappe.get_doc(
			{"doctype": "RMA Return Reason", "reason": name, "default_handling": "Credit", "enabled": enabled}
		).insert(ignore_permissions=True)


def _make_customer(prefix: str) -> tuple[str, str]:
	from rma_portal.demo.data import make_customer

	suffix = frappe.generate_hash(length=8)
	name = f"{prefix} {suffix}"
	email = f"rma-test-{suffix}@example.com"
	make_customer(name, email, "Test", prefix)
	return name, email


def _sell(customer: str, lines: list[tuple[str, float, float]], deliveries: int = 1) -> frappe._dict:
	"""Sales order -> `deliveries` delivery notes (equal parts) -> one sales invoice per delivery."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	from rma_portal.demo.books import deliver_and_invoice

	company = _company()
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": company,
			"transaction_date": today(),
			"delivery_date": add_days(today(), 5),
			"po_no": f"PO-{frappe.generate_hash(length=6)}",
			"set_warehouse": _warehouse(company),
			"items": [
				{"item_code": code, "qty": qty, "rate": rate, "delivery_date": add_days(today(), 5)}
				for code, qty, rate in lines
			],
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	dns, sis = [], []
	for _n in range(deliveries):
		dn = make_delivery_note(so.name)
		for row in dn.items:
			ordered = next(qty for code, qty, _r in lines if code == row.item_code)
			row.qty = ordered / deliveries
		dns.append(dn)
		sis.append(deliver_and_invoice(dn))
	# Short transactions: other test suites may share this site, and a long transaction full of
	# stock ledger rows would collide with theirs.
	frappe.db.commit()
	return frappe._dict(so=so, dn=dns[0], dns=dns, si=sis[0], sis=sis)


def _portal_return(user: str, dn_item: str) -> str:
	"""One unit of the delivery line `dn_item` sent back by `user` through the portal's method
	(api.returns.submit_return); the RMA. Back as Administrator, committed."""
	from rma_portal.api import returns as returns_api

	frappe.set_user(user)
	name = returns_api.submit_return(
		lines=[{"delivery_note_item": dn_item, "qty": 1}], return_reason=REASON, terms_accepted=1
	)["name"]
	frappe.set_user("Administrator")
	frappe.db.commit()
	return name


def _line(customer: str, dn_item: str) -> dict:
	rows = returns.candidate_lines(customer, page_size=100)["rows"]
	return next(row for row in rows if row["delivery_note_item"] == dn_item)


def _request(customer, user, dn_item, qty, **kwargs) -> str:
	kwargs.setdefault("return_reason", REASON)
	kwargs.setdefault("terms_accepted", True)
	return returns.create_return_rma(customer, user, [{"delivery_note_item": dn_item, "qty": qty}], **kwargs)


def prepare_returns_data():
	"""Items with stock, return reasons and RMA Settings with the fee, as the returns tests need."""
	frappe.set_user("Administrator")
	company = _company()
	for code in ITEMS:
		_make_item(code)
	_make_item(FEE_ITEM, stock=False)
	_make_reason(REASON, 1)
	_make_reason(DISABLED_REASON, 0)
	settings = frappe.get_single("RMA Settings")
	settings.fee_amount = FEE
	settings.fee_item = FEE_ITEM
	settings.history_months = settings.history_months or 12
	settings.save(ignore_permissions=True)
	receipt = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company,
			"items": [
				{"item_code": code, "qty": 500, "t_warehouse": _warehouse(company), "basic_rate": 10}
				for code in ITEMS
			],
		}
	)
	receipt.insert(ignore_permissions=True)
	receipt.submit()


class ReturnsCase(FrappeTestCase):
	"""The returns data prepared and the class's own dealers (DEALERS: the customer and, when named,
	the other customer, each with a user) and data (set_up_data), committed; each test starts as
	Administrator. No tests of its own: the returns tests build on it."""

	DEALERS = ("RMA Test Dealer", "RMA Other Dealer")

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		prepare_returns_data()
		cls.customer, cls.user = _make_customer(cls.DEALERS[0])
		if len(cls.DEALERS) > 1:
			cls.other_customer, cls.other_user = _make_customer(cls.DEALERS[1])
		cls.set_up_data()
		frappe.set_user("Administrator")
		frappe.db.commit()

	@classmethod
	def set_up_data(cls):
		"""What a test class makes besides the dealers, before the commit."""

	def setUp(self):
		frappe.set_user("Administrator")


class TestRMA(ReturnsCase):
	# -- returnable quantities -------------------------------------------------------------------

	def test_returnable_counts_erpnext_returns_and_open_rmas(self):
		from erpnext.controllers.sales_and_purchase_return import make_return_doc
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		sale = _sell(self.customer, [(ITEMS[0], 10, 20.0), (ITEMS[1], 4, 7.5)])
		line = sale.dn.items[0].name

		dn_return = make_sales_return(sale.dn.name)
		dn_return.items = [row for row in dn_return.items if row.dn_detail == line]
		dn_return.items[0].qty = -2
		dn_return.insert(ignore_permissions=True)
		dn_return.submit()

		credit_only = make_return_doc("Sales Invoice", sale.si.name)  # update_stock = 0
		credit_only.items = [row for row in credit_only.items if row.dn_detail == line]
		credit_only.items[0].qty = -1
		credit_only.payment_schedule = []
		credit_only.insert(ignore_permissions=True)
		credit_only.submit()

		_request(self.customer, self.user, line, 3)

		row = _line(self.customer, line)
		self.assertEqual(row["qty_delivered"], 10)
		# the greater of stock returns (2) and credit-only returns (1), not their sum: the credited
		# unit may be one of the returned ones (services/returns/returns.py)
		self.assertEqual(row["qty_returned"], 2)
		self.assertEqual(row["qty_requested"], 3)
		self.assertEqual(row["qty_returnable"], 5)
		self.assertEqual(row["rate"], 20)
		self.assertEqual(row["sales_order"], sale.so.name)
		self.assertEqual(row["po_no"], sale.so.po_no)
		untouched = _line(self.customer, sale.dn.items[1].name)
		self.assertEqual(untouched["qty_returnable"], 4)

		# per-column search
		found = returns.candidate_lines(self.customer, {"item_code": ITEMS[0][-4:], "qty_returnable": "5"})
		self.assertIn(line, [r["delivery_note_item"] for r in found["rows"]])
		self.assertEqual(returns.candidate_lines(self.customer, {"item_code": "%"})["total"], 0)
		self.assertEqual(returns.candidate_lines(self.customer, {"qty_returnable": "abc"})["total"], 0)
		self.assertEqual(returns.candidate_lines(self.customer, page_size=1000)["page_size"], 100)

	def test_over_quantity_and_other_errors_rejected_with_nothing_written(self):
		sale = _sell(self.customer, [(ITEMS[2], 3, 11.0)])
		line = sale.dn.items[0].name
		before = frappe.db.count("RMA")
		with self.assertRaises(returns.ReturnRequestError) as caught:
			returns.create_return_rma(
				self.customer,
				self.user,
				[
					{"delivery_note_item": line, "qty": 4},
					{"delivery_note_item": line, "qty": 1},
					{"delivery_note_item": "no-such-line", "qty": 1},
				],
				return_reason=DISABLED_REASON,
				copy_email="not-an-address",
				terms_accepted=False,
			)
		errors = caught.exception.errors
		self.assertEqual(len(errors), 7, errors)  # qty, reason x2, duplicate, unknown line, terms, e-mail
		text = "\n".join(errors)
		for expected in (
			"Quantity",
			"already in the request",
			"no-such-line",
			"Terms",
			"Copy e-mail",
			"Return Reason",
		):
			self.assertIn(expected, text)
		self.assertEqual(frappe.db.count("RMA"), before)

		with self.assertRaises(returns.ReturnRequestError):
			returns.create_return_rma(self.customer, self.user, [], terms_accepted=True)
		with self.assertRaises(returns.ReturnRequestError):  # another customer's line
			_request(self.other_customer, self.other_user, line, 1)
		with self.assertRaises(returns.ReturnRequestError):
			_request(self.customer, self.user, line, 0)
		self.assertEqual(frappe.db.count("RMA"), before)

	def test_created_rma_carries_the_sources(self):
		sale = _sell(self.customer, [(ITEMS[3], 5, 12.0)])
		line = sale.dn.items[0]
		name = _request(
			self.customer,
			self.user,
			line.name,
			2,
			customer_reference="MY-REF-1",
			copy_email="copy@example.com",
		)
		rma = frappe.get_doc("RMA", name)
		self.assertEqual((rma.kind, rma.status, rma.customer), ("Return", "Expected", self.customer))
		self.assertEqual(rma.company, sale.dn.company)
		self.assertEqual(flt(rma.fee_amount), FEE)
		self.assertEqual(rma.contact_email, self.user)
		self.assertTrue(rma.submitted_on)
		self.assertEqual(rma.status_log[0].status, "Expected")
		item = rma.items[0]
		self.assertEqual((item.delivery_note, item.delivery_note_item), (sale.dn.name, line.name))
		self.assertEqual((item.sales_invoice, item.sales_invoice_item), (sale.si.name, sale.si.items[0].name))
		self.assertEqual((item.sales_order, item.customer_po), (sale.so.name, sale.so.po_no))
		# staff decide the handling at receipt; the reason's default is not taken as decided
		self.assertEqual((flt(item.qty_requested), flt(item.rate), item.handling or None), (2, 12, None))

		listed = returns.list_rmas(self.customer, search="MY-REF-1")
		self.assertEqual([r.name for r in listed["rows"]], [name])
		self.assertEqual(listed["rows"][0].item_count, 1)
		self.assertIn(name, [r.name for r in returns.list_rmas(self.customer, search=ITEMS[3])["rows"]])
		detail = returns.rma_detail(self.customer, name)
		self.assertEqual(detail["items"][0]["item_code"], ITEMS[3])

	# -- concurrency -----------------------------------------------------------------------------

	def test_concurrent_request_waits_for_the_lock_and_sees_the_first(self):
		"""B's snapshot predates A's commit; its locking re-read must still see A's RMA."""
		sale = _sell(self.customer, [(ITEMS[4], 3, 9.0)])
		line = sale.dn.items[0].name
		frappe.db.commit()
		a_inserted, b_ready = threading.Event(), threading.Event()

		def first():
			name = _request(self.customer, self.user, line, 3)
			a_inserted.set()
			b_ready.wait(30)
			time.sleep(1.5)  # B is now blocked on the row lock
			return name

		def second():
			a_inserted.wait(30)
			before = returns.candidate_lines(self.customer, {"item_code": ITEMS[4]}, page_size=100)
			seen = next(r for r in before["rows"] if r["delivery_note_item"] == line)
			assert seen["qty_returnable"] == 3, seen  # the snapshot does not see A's uncommitted RMA
			b_ready.set()
			return _request(self.customer, self.user, line, 3)

		results = in_connections(first, second)
		self.assertIsInstance(results[0], str, results)
		self.assertIsInstance(results[1], returns.ReturnRequestError, results)
		self.assertEqual(self._requested(line), 3)

	def test_simultaneous_requests_never_over_return(self):
		sale = _sell(self.customer, [(ITEMS[5], 4, 9.0)])
		line = sale.dn.items[0].name
		frappe.db.commit()
		results = in_connections(*[lambda: _request(self.customer, self.user, line, 3)] * 3, together=True)
		made = [r for r in results if isinstance(r, str)]
		failed = [r for r in results if isinstance(r, returns.ReturnRequestError)]
		self.assertEqual((len(made), len(failed)), (1, 2), results)
		self.assertEqual(self._requested(line), 3)

	def test_simultaneous_requests_on_different_lines_all_succeed(self):
		"""Independent requests must not deadlock on each other's gap locks."""
		mine = _sell(self.customer, [(code, 2, 4.0) for code in ITEMS[:3]])
		theirs = _sell(self.other_customer, [(code, 2, 4.0) for code in ITEMS[:3]])
		frappe.db.commit()
		jobs = [(self.customer, self.user, row.name) for row in mine.dn.items] + [
			(self.other_customer, self.other_user, row.name) for row in theirs.dn.items
		]
		barrier = threading.Barrier(len(jobs))

		def submit(customer, user, line):
			frappe.db.sql("select count(*) from `tabRMA`")  # each has its snapshot before the others commit
			barrier.wait(30)
			return _request(customer, user, line, 1)

		results = in_connections(*(functools.partial(submit, *job) for job in jobs))
		self.assertTrue(all(isinstance(r, str) for r in results), results)
		self.assertEqual(len(set(results)), len(jobs))

	def _requested(self, line):
		return flt(
			frappe.db.sql(
				"""select sum(qty_requested) from `tabRMA Item` ri join `tabRMA` r on r.name = ri.parent
				where ri.delivery_note_item = %s and r.status in ('Expected', 'Received')""",
				line,
			)[0][0]
		)

	# -- lifecycle and credit note ---------------------------------------------------------------

	def test_partial_receipt_to_credit_note(self):
		sale = _sell(self.customer, [(ITEMS[6], 6, 15.0), (ITEMS[7], 2, 40.0)])
		name = returns.create_return_rma(
			self.customer,
			self.user,
			[
				{"delivery_note_item": sale.dn.items[0].name, "qty": 4},
				{"delivery_note_item": sale.dn.items[1].name, "qty": 1},
			],
			return_reason=REASON,
			customer_reference="CUST-REF-9",
			terms_accepted=True,
		)
		rows = frappe.get_doc("RMA", name).items
		with self.assertRaises(frappe.ValidationError):  # more than requested
			lifecycle.receive(name, {rows[0].name: 5})
		with self.assertRaises(frappe.ValidationError):  # nothing received
			lifecycle.receive(name, {rows[0].name: 0})
		lifecycle.receive(name, {rows[0].name: 3, rows[1].name: 0}, {rows[0].name: "Credit"})
		rma = frappe.get_doc("RMA", name)
		self.assertEqual(rma.status, "Received")
		self.assertEqual(str(rma.received_on), today())
		self.assertEqual((flt(rma.items[0].qty_received), rma.items[0].handling), (3, "Credit"))
		self.assertFalse(rma.items[1].handling)  # not received: still to be decided

		first = credit_note.make_credit_note(name)
		rma.reload()
		self.assertEqual(rma.status, "Invoiced")
		self.assertEqual(rma.credit_note, first)
		self.assertEqual([log.status for log in rma.status_log], ["Expected", "Received", "Invoiced"])

		cn = frappe.get_doc("Sales Invoice", first)
		self.assertEqual((cn.docstatus, cn.is_return, cn.return_against), (1, 1, sale.si.name))
		self.assertEqual((cn.rma, cn.po_no), (name, "CUST-REF-9"))
		self.assertEqual(len(cn.items), 1)
		goods = cn.items[0]
		self.assertEqual((goods.item_code, flt(goods.qty), flt(goods.rate)), (ITEMS[6], -3, 15))
		self.assertEqual(goods.sales_invoice_item, sale.si.items[0].name)
		self.assertAlmostEqual(flt(cn.net_total), -3 * 15)
		fee = [tax for tax in cn.taxes if tax.charge_type == "Actual" and name in (tax.description or "")]
		self.assertEqual(len(fee), 1)
		self.assertAlmostEqual(flt(fee[0].tax_amount), FEE)
		other_taxes = sum(flt(tax.tax_amount_after_discount_amount) for tax in cn.taxes if tax not in fee)
		self.assertAlmostEqual(flt(cn.grand_total), -3 * 15 + other_taxes + FEE)
		self.assertAlmostEqual(flt(cn.total_taxes_and_charges), other_taxes + FEE)
		debit, credit = frappe.db.sql(
			"""select sum(debit), sum(credit) from `tabGL Entry`
			where voucher_type = 'Sales Invoice' and voucher_no = %s and is_cancelled = 0""",
			first,
		)[0]
		self.assertTrue(flt(debit) > 0)
		self.assertAlmostEqual(flt(debit), flt(credit))
		self.assertEqual(credit_note.credit_notes_of(name), [first])

		# the credited quantity now counts as returned; the RMA is no longer open
		line = _line(self.customer, sale.dn.items[0].name)
		self.assertEqual((line["qty_returned"], line["qty_requested"], line["qty_returnable"]), (3, 0, 3))

	def test_cancelled_credit_note_puts_the_rma_back_to_received(self):
		sale = _sell(self.customer, [(ITEMS[8], 5, 12.0)])
		name = _request(self.customer, self.user, sale.dn.items[0].name, 2)
		row = frappe.get_doc("RMA", name).items[0]
		lifecycle.receive(name, {row.name: 2})
		first = credit_note.make_credit_note(name)
		self.assertEqual(_line(self.customer, sale.dn.items[0].name)["qty_returned"], 2)

		frappe.get_doc("Sales Invoice", first).cancel()
		rma = frappe.get_doc("RMA", name)
		self.assertEqual((rma.status, rma.credit_note), ("Received", None))
		self.assertEqual(rma.status_log[-1].status, "Received")
		line = _line(self.customer, sale.dn.items[0].name)
		self.assertEqual((line["qty_returned"], line["qty_requested"], line["qty_returnable"]), (0, 2, 3))

		second = credit_note.make_credit_note(name)
		self.assertNotEqual(second, first)
		self.assertEqual(frappe.db.get_value("RMA", name, ["status", "credit_note"]), ("Invoiced", second))

	def test_lines_from_two_invoices_make_two_credit_notes(self):
		sale = _sell(self.customer, [(ITEMS[11], 4, 8.0)], deliveries=2)
		name = returns.create_return_rma(
			self.customer,
			self.user,
			[{"delivery_note_item": dn.items[0].name, "qty": 2} for dn in sale.dns],
			return_reason=REASON,
			terms_accepted=True,
		)
		lifecycle.receive(name, {row.name: 1 for row in frappe.get_doc("RMA", name).items})
		first = credit_note.make_credit_note(name)
		made = credit_note.credit_notes_of(name)
		self.assertEqual(len(made), 2)
		self.assertEqual(made[0], first)
		self.assertEqual(frappe.db.get_value("RMA", name, ["status", "credit_note"]), ("Invoiced", first))
		against = {frappe.db.get_value("Sales Invoice", cn, "return_against") for cn in made}
		self.assertEqual(against, {si.name for si in sale.sis})
		totals = [frappe.db.get_value("Sales Invoice", cn, ["net_total", "grand_total"]) for cn in made]
		self.assertEqual([flt(net) for net, _g in totals], [-8, -8])
		self.assertAlmostEqual(flt(totals[0][1]) - flt(totals[1][1]), FEE)  # the fee only on the first

	def test_credit_note_made_by_hand_marks_the_rma_invoiced(self):
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		sale = _sell(self.customer, [(ITEMS[8], 2, 30.0)])
		name = _request(self.customer, self.user, sale.dn.items[0].name, 2)
		lifecycle.receive(name, {frappe.get_doc("RMA", name).items[0].name: 2})
		cn = make_return_doc("Sales Invoice", sale.si.name)
		cn.rma = name
		cn.payment_schedule = []
		cn.insert(ignore_permissions=True)
		cn.submit()
		self.assertEqual(frappe.db.get_value("RMA", name, ["status", "credit_note"]), ("Invoiced", cn.name))

	def test_transitions_refused_out_of_order(self):
		sale = _sell(self.customer, [(ITEMS[9], 4, 5.0)])
		name = _request(self.customer, self.user, sale.dn.items[0].name, 2)
		row = frappe.get_doc("RMA", name).items[0].name
		with self.assertRaises(lifecycle.StatusError):  # credit note before receive
			credit_note.make_credit_note(name)
		with self.assertRaises(frappe.ValidationError):  # a reason is required
			lifecycle.reject(name, "  ")
		lifecycle.reject(name, "Not our product")
		self.assertEqual(frappe.db.get_value("RMA", name, "status"), "Rejected")
		with self.assertRaises(lifecycle.StatusError):
			lifecycle.receive(name, {row: 1})
		with self.assertRaises(lifecycle.StatusError):
			lifecycle.cancel(name, "changed my mind")
		with self.assertRaises(lifecycle.StatusError):
			lifecycle.mark_invoiced(name, "X")

		# a rejected RMA frees its quantity again
		self.assertEqual(_line(self.customer, sale.dn.items[0].name)["qty_returnable"], 4)

		# the controller refuses status edits that bypass the actions
		other = _request(self.customer, self.user, sale.dn.items[0].name, 1)
		doc = frappe.get_doc("RMA", other)
		doc.status = "Received"
		with self.assertRaises(frappe.ValidationError):
			doc.save(ignore_permissions=True)
		lifecycle.cancel(other, "Ordered by mistake")
		self.assertEqual(frappe.db.get_value("RMA", other, "status"), "Cancelled")

	# -- stock: receipt books an ERPNext Delivery Note return -------------------------------------

	def _stock(self, item_code, warehouse):
		return flt(frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty"))

	def _stock_returns(self, delivery_note):
		return frappe.get_all(
			"Delivery Note",
			filters={"return_against": delivery_note, "is_return": 1, "docstatus": 1},
			pluck="name",
			order_by="creation asc",
		)

	def test_the_upgrade_counts_earlier_returns_in_erpnext(self):
		"""Sites upgraded from a release whose returns left ERPNext's returned_qty at 0: the patch sets it."""
		from rma_portal.patches import count_rma_returns_in_erpnext

		sale = _sell(self.customer, [(ITEMS[1], 3, 10.0)])
		dn_item = sale.dn.items[0]
		name = _request(self.customer, self.user, dn_item.name, 2)
		row = frappe.get_doc("RMA", name).items[0]
		lifecycle.receive(name, {row.name: 2}, {row.name: "Credit"})
		# as an earlier release left it
		frappe.db.set_value("Delivery Note Item", dn_item.name, "returned_qty", 0)
		frappe.db.set_value("Delivery Note", sale.dn.name, "per_returned", 0)
		frappe.db.set_value("Sales Order Item", dn_item.so_detail, "returned_qty", 0)

		count_rma_returns_in_erpnext.execute()
		count_rma_returns_in_erpnext.execute()  # a second run changes nothing
		self.assertEqual(flt(frappe.db.get_value("Delivery Note Item", dn_item.name, "returned_qty")), 2)
		self.assertEqual(flt(frappe.db.get_value("Sales Order Item", dn_item.so_detail, "returned_qty")), 2)
		self.assertAlmostEqual(
			flt(frappe.db.get_value("Delivery Note", sale.dn.name, "per_returned")), 66.67, 1
		)

	def test_receipt_puts_the_goods_back_into_stock_once(self):
		sale = _sell(self.customer, [(ITEMS[1], 6, 10.0)])
		dn_item = sale.dn.items[0]
		warehouse = dn_item.warehouse
		name = _request(self.customer, self.user, dn_item.name, 4)
		row = frappe.get_doc("RMA", name).items[0]
		before = self._stock(ITEMS[1], warehouse)

		lifecycle.receive(name, {row.name: 3}, {row.name: "Credit"})
		rma = frappe.get_doc("RMA", name)
		made = self._stock_returns(sale.dn.name)
		self.assertEqual(len(made), 1)
		self.assertEqual(rma.items[0].return_delivery_note, made[0])
		ret = frappe.get_doc("Delivery Note", made[0])
		self.assertEqual((ret.docstatus, ret.is_return, ret.customer), (1, 1, self.customer))
		self.assertEqual(str(ret.posting_date), str(rma.received_on))
		self.assertEqual(
			[(r.item_code, flt(r.qty), r.dn_detail, r.warehouse) for r in ret.items],
			[(ITEMS[1], -3, dn_item.name, warehouse)],
		)
		self.assertEqual(self._stock(ITEMS[1], warehouse), before + 3)
		sle = frappe.db.sql(
			"""select sum(actual_qty) from `tabStock Ledger Entry`
			where voucher_type = 'Delivery Note' and voucher_no = %s and is_cancelled = 0""",
			made[0],
		)[0][0]
		self.assertEqual(flt(sle), 3)
		# while the RMA is open its units count once, as requested
		line = _line(self.customer, dn_item.name)
		self.assertEqual((line["qty_returned"], line["qty_requested"], line["qty_returnable"]), (0, 4, 2))

		# a further receipt books only the increase
		lifecycle.receive(name, {row.name: 4})
		made = self._stock_returns(sale.dn.name)
		self.assertEqual(len(made), 2)
		self.assertEqual(
			[flt(q) for q in frappe.get_all("Delivery Note Item", filters={"parent": made[1]}, pluck="qty")],
			[-1],
		)
		self.assertEqual(frappe.db.get_value("RMA Item", row.name, "return_delivery_note"), made[1])
		self.assertEqual(self._stock(ITEMS[1], warehouse), before + 4)
		# ERPNext itself counts the units as returned: on the delivery line, the delivery and the order
		# line (its return of a delivery would refuse them again, and the order bills none of them)
		self.assertEqual(flt(frappe.db.get_value("Delivery Note Item", dn_item.name, "returned_qty")), 4)
		self.assertAlmostEqual(
			flt(frappe.db.get_value("Delivery Note", sale.dn.name, "per_returned")), 66.67, 1
		)
		self.assertEqual(flt(frappe.db.get_value("Sales Order Item", dn_item.so_detail, "returned_qty")), 4)

		# a lower quantity is refused and writes nothing
		logs = len(frappe.get_doc("RMA", name).status_log)
		with self.assertRaises(frappe.ValidationError) as caught:
			lifecycle.receive(name, {row.name: 2})
		self.assertIn("already received", str(caught.exception))
		self.assertEqual(self._stock_returns(sale.dn.name), made)
		self.assertEqual(self._stock(ITEMS[1], warehouse), before + 4)
		rma = frappe.get_doc("RMA", name)
		self.assertEqual((flt(rma.items[0].qty_received), len(rma.status_log)), (4, logs))

		# the credit note is credit only and the units count once
		first = credit_note.make_credit_note(name)
		self.assertEqual(frappe.db.get_value("Sales Invoice", first, "update_stock"), 0)
		self.assertEqual(self._stock(ITEMS[1], warehouse), before + 4)
		line = _line(self.customer, dn_item.name)
		self.assertEqual((line["qty_returned"], line["qty_requested"], line["qty_returnable"]), (4, 0, 2))
		with self.assertRaises(returns.ReturnRequestError):
			_request(self.customer, self.user, dn_item.name, 3)

		# cancelling the credit note leaves the stock return; the units count as requested again
		frappe.get_doc("Sales Invoice", first).cancel()
		self.assertEqual(self._stock(ITEMS[1], warehouse), before + 4)
		line = _line(self.customer, dn_item.name)
		self.assertEqual((line["qty_returned"], line["qty_requested"], line["qty_returnable"]), (0, 4, 2))

		# a rejection after receipt leaves the goods in stock; they count as returned
		lifecycle.reject(name, "Not covered")
		self.assertEqual(self._stock(ITEMS[1], warehouse), before + 4)
		line = _line(self.customer, dn_item.name)
		self.assertEqual((line["qty_returned"], line["qty_requested"], line["qty_returnable"]), (4, 0, 2))

	def test_erpnext_stock_return_and_credit_note_count_once(self):
		from erpnext.controllers.sales_and_purchase_return import make_return_doc
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice, make_sales_return

		sale = _sell(self.customer, [(ITEMS[2], 5, 10.0), (ITEMS[3], 5, 10.0)])
		native, against_invoice = (row.name for row in sale.dn.items)

		def stock_return(line, qty):
			ret = make_sales_return(sale.dn.name)
			ret.items = [row for row in ret.items if row.dn_detail == line]
			ret.items[0].qty = -qty
			ret.insert(ignore_permissions=True)
			ret.submit()
			return ret

		# ERPNext's way: return delivery note, then the credit note made from it
		ret = stock_return(native, 2)
		cn = make_sales_invoice(ret.name)
		cn.payment_schedule = []
		cn.insert(ignore_permissions=True)
		cn.submit()
		self.assertEqual((cn.is_return, flt(cn.items[0].qty)), (1, -2))
		line = _line(self.customer, native)
		self.assertEqual((line["qty_returned"], line["qty_returnable"]), (2, 3))

		# stock return plus a credit-only return against the invoice for the same line
		stock_return(against_invoice, 2)
		credit_only = make_return_doc("Sales Invoice", sale.si.name)
		credit_only.items = [row for row in credit_only.items if row.dn_detail == against_invoice]
		credit_only.items[0].qty = -2
		credit_only.payment_schedule = []
		credit_only.insert(ignore_permissions=True)
		credit_only.submit()
		line = _line(self.customer, against_invoice)
		self.assertEqual((line["qty_returned"], line["qty_returnable"]), (2, 3))
		# the locked re-check agrees
		with self.assertRaises(returns.ReturnRequestError):
			_request(self.customer, self.user, against_invoice, 4)
		self.assertTrue(_request(self.customer, self.user, against_invoice, 3))

	# -- access ----------------------------------------------------------------------------------

	def test_other_customer_cannot_see_or_act(self):
		sale = _sell(self.customer, [(ITEMS[10], 2, 5.0)])
		name = _request(self.customer, self.user, sale.dn.items[0].name, 1)
		self.assertTrue(access.can("rma.read", self.customer, self.user))
		self.assertFalse(access.can("rma.read", self.customer, self.other_user))
		self.assertEqual(access.portal_customer(self.other_user), self.other_customer)
		with self.assertRaises(frappe.PermissionError):
			returns.rma_detail(self.other_customer, name)
		with self.assertRaises(frappe.PermissionError):
			returns.rma_detail(self.other_customer, "RMA/does-not-exist")
		self.assertNotIn(name, [r.name for r in returns.list_rmas(self.other_customer)["rows"]])
		self.assertFalse(access.has_rma_permission(frappe.get_doc("RMA", name), user=self.other_user))
		with self.assertRaises(frappe.PermissionError):  # the service re-checks the user's customer
			returns.create_return_rma(
				self.customer,
				self.other_user,
				[{"delivery_note_item": sale.dn.items[0].name, "qty": 1}],
				return_reason=REASON,
				terms_accepted=True,
			)
		frappe.set_user(self.other_user)
		self.assertFalse(frappe.has_permission("RMA", "write", name))

	# -- query count ---------------------------------------------------------------------------

	def test_candidate_lines_paging_over_real_documents(self):
		# The query count at 100 vs 5,000 lines is held in api/test_returns_api.py.
		many, _u = _make_customer("RMA Many Lines")
		_sell(many, [(code, 5, 3.0) for code in ITEMS], deliveries=5)  # 12 items x 5 deliveries
		returns.candidate_lines(many)  # warm the settings cache
		with self.assertQueryCount(3):  # the page, the count, the page's quantities
			everything = returns.candidate_lines(many, page_size=100)
		self.assertEqual((len(everything["rows"]), everything["total"]), (60, 60))
		page3 = returns.candidate_lines(many, page=3, page_size=20)
		self.assertEqual((len(page3["rows"]), page3["total"]), (20, 60))
		self.assertFalse(
			{r.delivery_note_item for r in page3["rows"]}
			& {r.delivery_note_item for r in everything["rows"][:40]}
		)
