"""The whole money path on a customer of its own, compared with ERPNext's own books.

Two invoices (one partly paid), an RMA over both received in two steps with Credit, Replace, Repair
and Reject lines, its deliveries and credit notes; then a credit note made by hand and a payment
nobody allocated. Asserted against ERPNext, not against the app: the portal's balance per currency
is the customer's Payment Ledger balance; ERPNext's Accounts Receivable report and the portal agree
voucher by voucher; no return Delivery Note of the RMA is left "To Bill" and nothing the RMA sent at
no charge is offered for billing (ERPNext's own "Get Items From" query and its "Delivered Items To Be
Billed" report); the goods sent back are not returnable again.
"""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt, today

from rma_portal.rma_portal.doctype.rma.test_rma import (
	ITEMS,
	REASON,
	_company,
	_make_customer,
	_sell,
	prepare_returns_data,
)
from rma_portal.services.history import delivered_lines
from rma_portal.services.portal import portal_dashboard, portal_invoices
from rma_portal.services.returns import credit_note, lifecycle, outcome, returns
from rma_portal.tests.records import linked_doctypes, submitted

test_ignore = linked_doctypes("RMA")

MANUAL_CREDIT = 22.5
ADVANCE = 12.34


def _ledger_balance(customer: str) -> dict[str, float]:
	"""The customer's balance as ERPNext's Payment Ledger holds it, per account currency."""
	return {
		currency: flt(balance, 2)
		for currency, balance in frappe.db.sql(
			"""select account_currency, sum(amount_in_account_currency) from `tabPayment Ledger Entry`
			where party_type = 'Customer' and party = %s and delinked = 0 group by account_currency""",
			customer,
		)
	}


def _receivable_report(customer: str) -> dict[str, float]:
	"""ERPNext's Accounts Receivable report of the customer: voucher -> outstanding."""
	from erpnext.accounts.report.accounts_receivable.accounts_receivable import execute

	result = execute(
		{
			"company": _company(),
			"report_date": today(),
			"party_type": "Customer",
			"party": [customer],
			"ageing_based_on": "Due Date",
			"range": "30, 60, 90, 120",
		}
	)
	return {row["voucher_no"]: flt(row["outstanding"], 2) for row in result[1] if row.get("voucher_no")}


def _pay(invoice: str, amount: float) -> str:
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	entry = get_payment_entry("Sales Invoice", invoice, party_amount=amount)
	entry.reference_no = frappe.generate_hash(length=8)
	entry.reference_date = today()
	entry.insert()
	entry.submit()
	return entry.name


def _unallocated_payment(invoice: str, amount: float) -> str:
	"""A payment of the customer set against nothing (an advance)."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	entry = get_payment_entry("Sales Invoice", invoice, party_amount=amount)
	entry.references = []
	entry.paid_amount = entry.received_amount = amount
	entry.reference_no = frappe.generate_hash(length=8)
	entry.reference_date = today()
	entry.insert()
	entry.submit()
	return entry.name


def _manual_credit_note(customer: str, item_code: str, amount: float) -> str:
	"""A credit note made by hand against no invoice: the customer's credit until allocated."""
	return submitted(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": _company(),
			"is_return": 1,
			"posting_date": today(),
			"due_date": today(),
			"items": [{"item_code": item_code, "qty": -1, "rate": amount}],
		}
	)


class TestMoneyPath(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		cls.customer, cls.user = _make_customer("Money Path Dealer")
		frappe.set_user("Administrator")
		cls.first = _sell(cls.customer, [(ITEMS[0], 4, 10.0), (ITEMS[1], 2, 20.0)])
		cls.second = _sell(cls.customer, [(ITEMS[2], 3, 15.0), (ITEMS[3], 3, 5.0), (ITEMS[4], 2, 7.5)])
		_pay(cls.first.si.name, 30)
		lines = [
			(cls.first.dn, ITEMS[0], 2, "Credit"),
			(cls.first.dn, ITEMS[1], 1, "Replace"),
			(cls.second.dn, ITEMS[2], 2, "Credit"),
			(cls.second.dn, ITEMS[3], 1, "Reject"),
			(cls.second.dn, ITEMS[4], 1, "Repair"),
		]
		cls.rma = returns.create_return_rma(
			cls.customer,
			cls.user,
			[
				{"delivery_note_item": next(i.name for i in dn.items if i.item_code == code), "qty": qty}
				for dn, code, qty, _h in lines
			],
			return_reason=REASON,
			terms_accepted=True,
		)
		rows = frappe.get_doc("RMA", cls.rma).items
		handling = {row.name: h for row, (_dn, _c, _q, h) in zip(rows, lines, strict=True)}
		# received in two steps: one unit of the first line, then everything
		lifecycle.receive(cls.rma, {rows[0].name: 1}, handling)
		lifecycle.receive(cls.rma, {row.name: row.qty_requested for row in rows}, handling)
		cls.shipped = outcome.ship_outcomes(cls.rma)
		credit_note.make_credit_note(cls.rma)
		cls.credit_notes = credit_note.credit_notes_of(cls.rma)
		cls.manual_credit = _manual_credit_note(cls.customer, ITEMS[5], MANUAL_CREDIT)
		cls.advance = _unallocated_payment(cls.second.si.name, ADVANCE)
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")

	def test_the_portal_balance_is_the_payment_ledger_balance(self):
		ledger = _ledger_balance(self.customer)
		self.assertEqual(len(self.credit_notes), 2)  # one per original invoice
		for unpaid_only in (False, True):
			totals = portal_invoices.invoice_totals(self.customer, unpaid_only=unpaid_only)
			self.assertEqual({t.currency: t.outstanding for t in totals}, ledger)
			for t in totals:  # the totals row adds up
				self.assertAlmostEqual(t.amount - t.paid + t.unallocated, t.outstanding, places=2)
		statement = portal_invoices.statement(self.customer)
		self.assertEqual({t["currency"]: float(t["outstanding"]) for t in statement["totals"]}, ledger)
		overview = portal_dashboard.overview(self.customer, with_projects=False)
		self.assertEqual({t.currency: t.outstanding for t in overview["invoice_totals"]}, ledger)
		chart = {row["currency"]: round(sum(row["buckets"]), 2) for row in overview["due_by_week"]}
		owed = {t.currency: t.outstanding - t.credits for t in overview["invoice_totals"]}
		self.assertEqual(chart, owed)
		# the credits are shown as what they are, and netted in
		page = portal_invoices.invoice_list(self.customer, page_size=100)
		self.assertEqual([item.voucher_no for item in page["unallocated"]], [self.advance])
		self.assertAlmostEqual(page["unallocated"][0].outstanding, -ADVANCE, places=2)
		manual = next(row for row in page["rows"] if row.name == self.manual_credit)
		self.assertAlmostEqual(manual.outstanding, -MANUAL_CREDIT, places=2)

	def test_accounts_receivable_and_the_portal_agree_voucher_by_voucher(self):
		report = _receivable_report(self.customer)
		unpaid = portal_invoices.invoice_list(self.customer, unpaid_only=True, page_size=100)
		portal = {row.name: row.outstanding for row in unpaid["rows"]}
		portal.update({item.voucher_no: item.outstanding for item in unpaid["unallocated"]})
		self.assertEqual(portal, report)
		self.assertIn(self.manual_credit, report)
		self.assertIn(self.advance, report)
		lines = {line.name: line.outstanding for line in portal_invoices.statement_lines(self.customer)}
		self.assertEqual(lines, report)

	def test_credited_returns_are_billed_and_nothing_else_is_to_bill(self):
		returns_made = frappe.get_all(
			"Delivery Note",
			filters={"rma": self.rma, "is_return": 1, "docstatus": 1},
			fields=["name", "status", "per_billed"],
		)
		self.assertEqual(len(returns_made), 3)  # first step: one note; second: one per original note
		self.assertFalse([r for r in returns_made if r.status == "To Bill"], returns_made)
		# the credit notes bill the return lines of the credited goods, in ERPNext's own fields
		billed = frappe.get_all(
			"Sales Invoice Item",
			filters={"parent": ["in", self.credit_notes]},
			fields=["delivery_note", "dn_detail", "qty", "item_code"],
		)
		self.assertTrue(all(row.delivery_note in {r.name for r in returns_made} for row in billed))
		self.assertEqual(
			sorted((row.item_code, row.qty) for row in billed),
			[(ITEMS[0], -1), (ITEMS[0], -1), (ITEMS[2], -2)],
		)
		for row in billed:
			self.assertAlmostEqual(
				flt(frappe.db.get_value("Delivery Note Item", row.dn_detail, "billed_amt")),
				flt(frappe.db.get_value("Delivery Note Item", row.dn_detail, "amount")),
			)
		# the original deliveries stay billed in full
		for sale in (self.first, self.second):
			self.assertEqual(flt(frappe.db.get_value("Delivery Note", sale.dn.name, "per_billed")), 100)
		# nothing the RMA made is offered for billing by ERPNext
		from erpnext.controllers.queries import get_delivery_notes_to_be_billed

		offered = get_delivery_notes_to_be_billed(
			"Delivery Note", "", "name", 0, 1000, {"customer": self.customer}, as_dict=True
		)
		made = {r.name for r in returns_made} | set(self.shipped)
		self.assertFalse(made & {row.name for row in offered})
		from erpnext.accounts.report.delivered_items_to_be_billed.delivered_items_to_be_billed import execute

		report = execute({"company": _company(), "posting_date": today()})[1]
		self.assertFalse(made & {row.get("name") for row in report})
		statuses = {name: frappe.db.get_value("Delivery Note", name, "status") for name in self.shipped}
		self.assertEqual(set(statuses.values()), {"Closed"}, statuses)
		order = frappe.get_doc("RMA", self.rma).items[1].replacement_order
		self.assertEqual(frappe.db.get_value("Sales Order", order, "status"), "Closed")

	def test_goods_sent_back_are_not_returnable_again(self):
		sent_lines = frappe.get_all(
			"Delivery Note Item", filters={"parent": ["in", self.shipped]}, pluck="name"
		)
		self.assertEqual(len(sent_lines), 3)  # the replacement, the repaired and the rejected units
		candidates = {
			row["delivery_note_item"] for row in returns.candidate_lines(self.customer, page_size=100)["rows"]
		}
		self.assertTrue(candidates)
		self.assertFalse(candidates & set(sent_lines))
		delivered_lines.rebuild(self.customer)
		self.assertFalse(
			frappe.db.exists(delivered_lines.DOCTYPE, {"delivery_note_item": ["in", sent_lines]})
		)
		# the locked re-check of a request counts them as nothing delivered
		from rma_portal.services.returns.return_request import _lock_and_recompute

		locked = _lock_and_recompute(sent_lines)
		self.assertEqual(
			{name: line["returnable"] for name, line in locked.items()}, dict.fromkeys(sent_lines, 0)
		)
		with self.assertRaises(frappe.ValidationError):
			returns.create_return_rma(
				self.customer,
				self.user,
				[{"delivery_note_item": sent_lines[0], "qty": 1}],
				return_reason=REASON,
				terms_accepted=True,
			)
		frappe.db.rollback()

	def test_the_completed_rma_is_no_longer_saved_from_the_form(self):
		rma = frappe.get_doc("RMA", self.rma)
		self.assertEqual(rma.status, "Completed")
		self.assertEqual(len(rma.credit_notes), 2)  # the form lists both
		rma.items[0].qty_received = 1
		with self.assertRaises(frappe.ValidationError):
			rma.save()
		frappe.db.rollback()
