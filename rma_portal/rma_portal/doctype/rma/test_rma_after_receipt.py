# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""After receipt: every credit note listed on the RMA, the balance it reduces, handling per line,
idempotent and all-or-nothing staff actions. Data as in test_rma (own customer, committed)."""

from unittest.mock import patch

import frappe
from frappe.utils import flt, today

from rma_portal.rma_portal.doctype.rma.test_rma import (
	FEE,
	ITEMS,
	REASON,
	ReturnsCase,
	_sell,
)
from rma_portal.services.returns import credit_note, lifecycle, returns
from rma_portal.services.returns.returns import rma_detail
from rma_portal.tests.records import in_connections, linked_doctypes

test_ignore = linked_doctypes("RMA")


def _rma_over(customer, user, dn_items: list, qty: float = 1) -> str:
	return returns.create_return_rma(
		customer,
		user,
		[{"delivery_note_item": row.name, "qty": qty} for row in dn_items],
		return_reason=REASON,
		terms_accepted=True,
	)


def _credit_notes(name: str) -> list[str]:
	return frappe.get_all(
		"Sales Invoice", filters={"rma": name, "docstatus": 1}, pluck="name", order_by="creation"
	)


def _credit_note_report(**filters) -> tuple[list, dict]:
	from rma_portal.rma_portal.report.rma_credit_notes.rma_credit_notes import execute

	_columns, rows, _message, _chart, summary = execute(filters)
	return rows, {entry["label"]: entry["value"] for entry in summary}


def _shipped_template(name: str) -> dict:
	import json

	with open(frappe.get_app_path("rma_portal", "data", "email_templates.json")) as f:
		return next(t for t in json.load(f) if t["name"] == name)


class TestRMAAfterReceipt(ReturnsCase):
	DEALERS = ("RMA Receipt Dealer",)

	def _receive_all(self, name: str, handling: str | dict = "Credit", **kwargs):
		rows = frappe.get_doc("RMA", name).items
		if isinstance(handling, str):
			handling = {row.name: handling for row in rows}
		return lifecycle.receive(name, {row.name: row.qty_requested for row in rows}, handling, **kwargs)

	# -- every credit note listed ----------------------------------------------------------------

	def test_rma_over_two_invoices_lists_both_credit_notes_and_their_sum(self):
		sale = _sell(self.customer, [(ITEMS[10], 4, 8.0)], deliveries=2)
		name = _rma_over(self.customer, self.user, [dn.items[0] for dn in sale.dns], qty=2)
		self._receive_all(name)
		frappe.local.message_log = []
		first = credit_note.make_credit_note(name)

		made = _credit_notes(name)
		self.assertEqual(len(made), 2)
		self.assertEqual(frappe.local.message_log, [])  # no ERPNext pop-up reaches the clerk
		rma = frappe.get_doc("RMA", name)
		self.assertEqual([row.sales_invoice for row in rma.credit_notes], made)
		self.assertEqual(rma.credit_note, first)
		totals = {cn: flt(frappe.db.get_value("Sales Invoice", cn, "grand_total")) for cn in made}
		self.assertEqual([flt(row.grand_total) for row in rma.credit_notes], [totals[cn] for cn in made])
		self.assertEqual([flt(row.fee_amount) for row in rma.credit_notes], [FEE, 0])
		self.assertAlmostEqual(flt(rma.total_credited), -sum(totals.values()))
		self.assertEqual({row.return_against for row in rma.credit_notes}, {si.name for si in sale.sis})
		self.assertEqual({row.credit_note for row in rma.items}, set(made))  # each line names its own
		self.assertEqual(rma.status_log[-1].note, "Credit notes " + ", ".join(made))

		portal = rma_detail(self.customer, name)
		self.assertEqual([row.sales_invoice for row in portal.credit_notes], made)
		self.assertAlmostEqual(flt(portal.total_credited), -sum(totals.values()))

		# the Invoiced e-mail (as shipped in data/email_templates.json) lists both and the total
		body = frappe.render_template(_shipped_template("RMA Invoiced")["response_html"], {"doc": rma})
		for cn in made:
			self.assertIn(cn, body)
		self.assertIn(frappe.utils.fmt_money(rma.total_credited, currency=rma.currency), body)

		# the accountant's report lists both, with the invoice each credits and the total
		rows, summary = _credit_note_report(customer=self.customer, rma=name)
		self.assertEqual(sorted(row.credit_note for row in rows), sorted(made))
		for row in rows:
			self.assertAlmostEqual(flt(row.credited), -totals[row.credit_note])
			self.assertAlmostEqual(
				flt(row.outstanding_against),
				flt(frappe.db.get_value("Sales Invoice", row.return_against, "outstanding_amount")),
			)
		self.assertEqual((summary["Credit Notes"], summary["RMAs"]), (2, 1))
		self.assertAlmostEqual(summary[f"Credited ({rma.currency})"], -sum(totals.values()))
		self.assertAlmostEqual(summary[f"Return Fees ({rma.currency})"], FEE)

		# cancelling one takes it off the list, the total and the report; the RMA stays Invoiced
		frappe.get_doc("Sales Invoice", made[1]).cancel()
		rma.reload()
		self.assertEqual(
			([row.sales_invoice for row in rma.credit_notes], rma.status), ([made[0]], "Invoiced")
		)
		self.assertAlmostEqual(flt(rma.total_credited), -totals[made[0]])
		rows, _summary = _credit_note_report(customer=self.customer, rma=name)
		self.assertEqual([row.credit_note for row in rows], [made[0]])

	# -- the balance the credit reduces ----------------------------------------------------------

	def _credit_two_received(self, sale):
		"""An RMA over two of the sale's units, received and credited: its credit note, made without
		any message shown to the user."""
		name = _rma_over(self.customer, self.user, sale.dn.items, qty=2)
		self._receive_all(name)
		frappe.local.message_log = []
		cn = frappe.get_doc("Sales Invoice", credit_note.make_credit_note(name))
		self.assertEqual(frappe.local.message_log, [])
		return cn

	def test_credit_for_an_unpaid_invoice_reduces_its_outstanding(self):
		sale = _sell(self.customer, [(ITEMS[10], 5, 20.0)])
		before = flt(frappe.db.get_value("Sales Invoice", sale.si.name, "outstanding_amount"))
		cn = self._credit_two_received(sale)
		self.assertEqual(cn.update_outstanding_for_self, 0)
		after = flt(frappe.db.get_value("Sales Invoice", sale.si.name, "outstanding_amount"))
		self.assertAlmostEqual(after, before + flt(cn.grand_total))  # grand_total is negative
		self.assertAlmostEqual(flt(cn.outstanding_amount), 0)

	def test_credit_for_a_paid_invoice_stays_as_credit_balance(self):
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		sale = _sell(self.customer, [(ITEMS[10], 5, 20.0)])
		payment = get_payment_entry("Sales Invoice", sale.si.name)
		payment.reference_no, payment.reference_date = "RMA-TEST-PAID", today()
		payment.insert(ignore_permissions=True)
		payment.submit()
		cn = self._credit_two_received(sale)
		self.assertEqual(cn.update_outstanding_for_self, 1)
		self.assertAlmostEqual(
			flt(frappe.db.get_value("Sales Invoice", sale.si.name, "outstanding_amount")), 0
		)
		self.assertAlmostEqual(flt(cn.outstanding_amount), flt(cn.grand_total))  # the customer's credit

	# -- handling decides what is credited -------------------------------------------------------

	def test_only_credit_lines_are_credited(self):
		sale = _sell(self.customer, [(code, 3, 10.0) for code in ITEMS[:4]])
		name = _rma_over(self.customer, self.user, sale.dn.items, qty=1)
		rows = frappe.get_doc("RMA", name).items
		self.assertFalse(any(row.handling for row in rows))  # to be decided until staff decide
		handling = dict(
			zip([row.name for row in rows], ("Credit", "Replace", "Repair", "Reject"), strict=True)
		)
		self._receive_all(name, handling)
		cn = frappe.get_doc("Sales Invoice", credit_note.make_credit_note(name))
		self.assertEqual([(row.item_code, flt(row.qty)) for row in cn.items], [(ITEMS[0], -1)])
		rma = frappe.get_doc("RMA", name)
		self.assertEqual([row.credit_note or None for row in rma.items], [cn.name, None, None, None])
		self.assertEqual(_credit_notes(name), [cn.name])

	def test_each_handling_makes_exactly_its_documents(self):
		from rma_portal.services.returns import outcome

		sale = _sell(self.customer, [(code, 3, 10.0) for code in ITEMS[:4]])
		name = _rma_over(self.customer, self.user, sale.dn.items, qty=2)
		rows = frappe.get_doc("RMA", name).items
		handling = dict(
			zip([row.name for row in rows], ("Credit", "Replace", "Repair", "Reject"), strict=True)
		)
		self._receive_all(name, handling)
		orders_before = frappe.db.count("Sales Order", {"customer": self.customer})
		notes_before = frappe.db.count("Delivery Note", {"customer": self.customer, "is_return": 0})
		rma = frappe.get_doc("RMA", name)
		self.assertEqual(
			[row.outcome for row in rma.items],
			["To be credited", "Replacement to be sent", "In repair", "To be sent back"],
		)

		made = outcome.ship_outcomes(name, request_key="ship-1")
		self.assertEqual(outcome.ship_outcomes(name, request_key="ship-1"), made)  # a retry: nothing new
		rma.reload()
		self.assertEqual(rma.status, "Received")  # the Credit line is still open
		by_item = {row.item_code: row for row in rma.items}
		# Replace: a replacement order at no charge and its delivery, made through ERPNext's mapping
		replacement = frappe.get_doc("Sales Order", by_item[ITEMS[1]].replacement_order)
		self.assertEqual((replacement.docstatus, flt(replacement.grand_total)), (1, 0))
		self.assertEqual([(i.item_code, flt(i.qty)) for i in replacement.items], [(ITEMS[1], 2)])
		delivery = frappe.get_doc("Delivery Note", by_item[ITEMS[1]].outcome_delivery_note)
		self.assertEqual([i.against_sales_order for i in delivery.items], [replacement.name])
		# Repair and Reject: one delivery back to the customer, outside the original order
		back = frappe.get_doc("Delivery Note", by_item[ITEMS[2]].outcome_delivery_note)
		self.assertEqual(by_item[ITEMS[3]].outcome_delivery_note, back.name)
		self.assertEqual(
			sorted((i.item_code, flt(i.qty), flt(i.rate), i.against_sales_order) for i in back.items),
			[(ITEMS[2], 2, 0, None), (ITEMS[3], 2, 0, None)],
		)
		self.assertEqual((back.docstatus, back.is_return, flt(back.grand_total)), (1, 0, 0))
		self.assertEqual(frappe.db.count("Sales Order", {"customer": self.customer}), orders_before + 1)
		self.assertEqual(
			frappe.db.count("Delivery Note", {"customer": self.customer, "is_return": 0}), notes_before + 2
		)
		self.assertEqual(sorted(made), sorted([delivery.name, back.name]))
		self.assertEqual(
			[row.outcome for row in rma.items],
			["To be credited", "Replacement sent", "Repaired and sent back", "Rejected and sent back"],
		)

		# the credit note credits the Credit line only; then every line has its outcome
		cn = frappe.get_doc("Sales Invoice", credit_note.make_credit_note(name))
		self.assertEqual([(i.item_code, flt(i.qty)) for i in cn.items], [(ITEMS[0], -2)])
		self.assertEqual(_credit_notes(name), [cn.name])
		rma.reload()
		self.assertEqual(rma.status, "Completed")
		self.assertEqual([bool(row.credit_note) for row in rma.items], [True, False, False, False])
		portal = rma_detail(self.customer, name)
		self.assertEqual(portal["items"][1].outcome, "Replacement sent")
		self.assertEqual(portal["items"][1].outcome_delivery_note, delivery.name)

	def test_undecided_received_line_takes_the_reason_default_and_unknown_handling_is_refused(self):
		sale = _sell(self.customer, [(ITEMS[2], 3, 10.0)])
		name = _rma_over(self.customer, self.user, sale.dn.items, qty=1)
		row = frappe.get_doc("RMA", name).items[0]
		with self.assertRaises(frappe.ValidationError) as caught:
			lifecycle.receive(name, {row.name: 1}, {row.name: "Scrap"})
		self.assertIn("Handling", str(caught.exception))
		lifecycle.receive(name, {row.name: 1})
		default = frappe.db.get_value("RMA Return Reason", REASON, "default_handling")
		self.assertEqual(frappe.db.get_value("RMA Item", row.name, "handling"), default)

	def test_nothing_to_credit_when_no_line_is_handled_as_credit(self):
		sale = _sell(self.customer, [(ITEMS[3], 3, 10.0)])
		name = _rma_over(self.customer, self.user, sale.dn.items, qty=1)
		self._receive_all(name, "Repair")
		with self.assertRaises(frappe.ValidationError):
			credit_note.make_credit_note(name)
		self.assertEqual((frappe.db.get_value("RMA", name, "status"), _credit_notes(name)), ("Received", []))

	def test_list_narrowed_by_type(self):
		sale = _sell(self.customer, [(ITEMS[9], 2, 10.0)])
		name = _rma_over(self.customer, self.user, sale.dn.items, qty=1)
		returns_only = returns.list_rmas(self.customer, kind="Return", page_size=100)["rows"]
		self.assertIn(name, [row.name for row in returns_only])
		self.assertEqual({row.kind for row in returns_only}, {"Return"})
		self.assertEqual(returns.list_rmas(self.customer, kind="Service")["rows"], [])
		with self.assertRaises(frappe.ValidationError) as caught:
			returns.list_rmas(self.customer, kind="Bogus")
		self.assertIn("Type", str(caught.exception))

	# -- idempotent, all-or-nothing staff actions ------------------------------------------------

	def _stock_returns(self, delivery_note: str) -> list[str]:
		return frappe.get_all(
			"Delivery Note",
			filters={"is_return": 1, "docstatus": 1, "return_against": delivery_note},
			pluck="name",
		)

	def test_two_concurrent_receive_calls_with_the_same_key_book_one_receipt(self):
		sale = _sell(self.customer, [(ITEMS[5], 5, 10.0)])
		name = _rma_over(self.customer, self.user, sale.dn.items, qty=5)
		row = frappe.get_doc("RMA", name).items[0].name
		frappe.db.commit()

		def click():
			return lifecycle.receive(name, {row: 4}, {row: "Credit"}, request_key="same-click").status

		results = in_connections(click, click, together=True)
		self.assertEqual(results, ["Received", "Received"])
		rma = frappe.get_doc("RMA", name)
		self.assertEqual(
			[log.note for log in rma.status_log if log.status == "Received"], ["Received 4 of 5"]
		)
		self.assertEqual(len(self._stock_returns(sale.dn.name)), 1)
		# a retry later with the same key books nothing either
		lifecycle.receive(name, {row: 5}, request_key="same-click")
		self.assertEqual(flt(frappe.db.get_value("RMA Item", row, "qty_received")), 4)

	def test_two_concurrent_receipts_never_over_receive(self):
		sale = _sell(self.customer, [(ITEMS[6], 5, 10.0)])
		name = _rma_over(self.customer, self.user, sale.dn.items, qty=3)
		row = frappe.get_doc("RMA", name).items[0].name
		frappe.db.commit()

		def receipt(key):
			return lambda: lifecycle.receive(name, {row: 3}, {row: "Credit"}, request_key=key).status

		self.assertEqual(in_connections(receipt("a"), receipt("b"), together=True), ["Received", "Received"])
		returned = frappe.get_all(
			"Delivery Note Item",
			filters={"parent": ["in", self._stock_returns(sale.dn.name)]},
			pluck="qty",
		)
		self.assertEqual(sum(flt(q) for q in returned), -3)  # booked once, not twice
		self.assertEqual(len(frappe.get_doc("RMA", name).status_log), 2)  # Expected, Received

	def test_same_request_key_makes_the_credit_note_once(self):
		sale = _sell(self.customer, [(ITEMS[7], 3, 10.0)])
		name = _rma_over(self.customer, self.user, sale.dn.items, qty=2)
		self._receive_all(name)
		first = credit_note.make_credit_note(name, request_key="credit-click")
		self.assertEqual(credit_note.make_credit_note(name, request_key="credit-click"), first)
		self.assertEqual(_credit_notes(name), [first])

	def test_failure_inside_credit_note_creation_leaves_status_and_documents_unchanged(self):
		sale = _sell(self.customer, [(ITEMS[8], 4, 8.0)], deliveries=2)
		name = _rma_over(self.customer, self.user, [dn.items[0] for dn in sale.dns], qty=2)
		self._receive_all(name)
		before = frappe.get_doc("RMA", name)
		outstanding = [frappe.db.get_value("Sales Invoice", si.name, "outstanding_amount") for si in sale.sis]
		real = credit_note._make_one
		calls = []

		def second_fails(*args, **kwargs):
			calls.append(real(*args, **kwargs))  # the first credit note is really submitted
			if len(calls) == 2:
				raise frappe.ValidationError("injected failure")
			return calls[-1]

		with patch.object(credit_note, "_make_one", side_effect=second_fails):
			with self.assertRaises(frappe.ValidationError):
				credit_note.make_credit_note(name)
		self.assertEqual(len(calls), 2)
		self.assertEqual(frappe.get_all("Sales Invoice", filters={"name": ["in", calls]}), [])
		rma = frappe.get_doc("RMA", name)
		self.assertEqual(
			(rma.status, len(rma.credit_notes), len(rma.status_log)), ("Received", 0, len(before.status_log))
		)
		self.assertEqual(
			[frappe.db.get_value("Sales Invoice", si.name, "outstanding_amount") for si in sale.sis],
			outstanding,
		)
		# and it works afterwards
		credit_note.make_credit_note(name)
		self.assertEqual(len(_credit_notes(name)), 2)

	# -- the candidates page: quantities read for the page's lines only -------------------------

	def test_page_quantities_equal_the_whole_history_aggregate(self):
		"""The page path (delivered lines, then the page's quantities) gives exactly what the one
		statement over the customer's history gives, for lines in every state: requested in an open
		RMA, received into stock by an open RMA, received and credited (closed), an ERPNext return."""
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		from rma_portal.services.returns import candidates

		sale = _sell(self.customer, [(code, 4, 10.0) for code in ITEMS[4:8]])
		lines = {row.item_code: row for row in sale.dn.items}
		_rma_over(self.customer, self.user, [lines[ITEMS[4]]], qty=2)  # requested, Expected
		received = _rma_over(self.customer, self.user, [lines[ITEMS[5]]], qty=3)
		self._receive_all(received)  # open, its units back in stock
		credited = _rma_over(self.customer, self.user, [lines[ITEMS[6]]], qty=1)
		self._receive_all(credited)
		credit_note.make_credit_note(credited)  # closed: returned by stock return and credit note
		erpnext_return = make_sales_return(sale.dn.name)
		erpnext_return.items = [row for row in erpnext_return.items if row.item_code == ITEMS[7]]
		erpnext_return.items[0].qty = -1
		erpnext_return.insert(ignore_permissions=True)
		erpnext_return.submit()

		page = returns.candidate_lines(self.customer, page_size=100)
		values = candidates._base_values(self.customer)
		values.update(limit=100, offset=0)
		whole = frappe.db.sql(
			candidates._LINES_SQL.format(select="cand.*", where="1 = 1")
			+ candidates._ORDER
			+ " limit %(limit)s offset %(offset)s",
			values,
			as_dict=True,
		)
		self.assertEqual(page["rows"], [candidates._clean_row(row) for row in whole])
		mine = {row.item_code: row for row in page["rows"] if row.delivery_note == sale.dn.name}
		self.assertEqual(
			[(mine[c].qty_returned, mine[c].qty_requested, mine[c].qty_returnable) for c in ITEMS[4:8]],
			[(0, 2, 2), (0, 3, 1), (1, 0, 3), (1, 0, 3)],
		)
