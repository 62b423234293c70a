"""A customer with credit (a credit note not set off against anything: a negative outstanding): the
portal's totals net it into the balance, and the weekly due chart shows only what is owed, in the
week it is due (services/portal/receivables.py, portal_invoices.invoice_totals, portal_dashboard.due_by_week).
Data as in test_rma (own customer, items with stock; committed)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, today

from rma_portal.rma_portal.doctype.rma.test_rma import ITEMS, _make_customer, _sell, prepare_returns_data
from rma_portal.services.portal import portal_dashboard, portal_invoices, receivables
from rma_portal.tests.records import queries_asked
from rma_portal.tests.test_credit_note_gaps import manual_credit_note, pay


class TestCustomerCredit(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		cls.customer, _user = _make_customer("Credit Balance Dealer")
		owed = _sell(cls.customer, [(ITEMS[7], 5, 20.0)])  # 100 owed, due in 30 days
		cls.owed = owed.si.name
		cls.due = frappe.db.get_value("Sales Invoice", cls.owed, "due_date")
		paid = _sell(cls.customer, [(ITEMS[7], 5, 20.0)])
		pay(paid.si.name, flt(paid.si.grand_total))
		credit = manual_credit_note(paid.si.name, qty=2)  # 40 back on a paid invoice: the customer's credit
		credit.submit()
		cls.credit = credit.name
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")

	def test_the_credit_is_a_negative_outstanding(self):
		self.assertAlmostEqual(
			flt(frappe.db.get_value("Sales Invoice", self.credit, "outstanding_amount")), -40
		)
		self.assertAlmostEqual(
			flt(frappe.db.get_value("Sales Invoice", self.owed, "outstanding_amount")), 100
		)

	def test_totals_net_the_credit_into_the_balance(self):
		ledger = receivables.summary(self.customer)
		(currency,) = ledger
		figures = ledger[currency]
		self.assertEqual((figures.owed, figures.credits, figures.balance), (100, -40, 60))
		(totals,) = portal_invoices.invoice_totals(self.customer, unpaid_only=True)
		self.assertAlmostEqual(flt(totals.outstanding), 60)
		self.assertAlmostEqual(flt(totals.amount) - flt(totals.paid) + flt(totals.unallocated), 60)

	def test_the_weekly_due_chart_shows_what_is_owed_in_its_week_and_no_credit(self):
		(chart,) = portal_dashboard.due_by_week(self.customer)
		buckets = chart["buckets"]  # overdue, then week 0, 1, ... from today, then later
		week = (frappe.utils.date_diff(self.due, today())) // 7
		self.assertEqual(buckets[min(week, portal_dashboard.CHART_WEEKS) + 1], 100)
		self.assertAlmostEqual(sum(buckets), 100)
		self.assertTrue(all(value >= 0 for value in buckets), buckets)
		self.assertGreater(frappe.utils.getdate(self.due), frappe.utils.getdate(add_days(today(), -1)))

	def test_the_kept_figures_follow_every_change_of_the_ledger(self):
		"""The summary and the invoices' amounts are kept between changes (receivables.kept): a payment
		and its cancellation (ERPNext delinks its ledger entries) each show on the next read."""
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		(currency,) = receivables.summary(self.customer)  # kept from here
		self.assertEqual(receivables.summary(self.customer)[currency].balance, 60)
		self.assertEqual(portal_invoices.invoice_amounts(self.customer)[currency][0], 3)
		payment = get_payment_entry("Sales Invoice", self.owed, party_amount=30)
		payment.reference_no, payment.reference_date = "RMA-TEST-KEPT", today()
		payment.insert(ignore_permissions=True)
		payment.submit()
		self.assertEqual(receivables.summary(self.customer)[currency].balance, 30)
		self.assertEqual(set(receivables.open_invoices(self.customer, 10)), {self.owed, self.credit})
		payment.cancel()
		self.assertEqual(receivables.summary(self.customer)[currency].balance, 60)
		self.assertEqual(portal_invoices.invoice_amounts(self.customer)[currency][0], 3)

	def test_the_invoice_page_reads_the_key_of_its_kept_figures_once(self):
		"""The invoice list shows two kept figures (the ledger's summary and the invoices' amounts):
		it reads their key (the newest change of the ledger and invoices) once, and its totals are
		those computed without it."""
		for unpaid_only, queries in ((False, 5), (True, 6)):
			portal_invoices.invoice_list(self.customer, unpaid_only=unpaid_only)  # the figures kept
			with queries_asked() as asked:
				page = portal_invoices.invoice_list(self.customer, unpaid_only=unpaid_only)
			keys = [query for query in asked if "max(modified)" in query]
			self.assertEqual(len(keys), 1, keys)
			self.assertEqual(len(asked), queries, asked)
			self.assertEqual(page["totals"], portal_invoices.invoice_totals(self.customer, unpaid_only))

	def test_the_open_invoices_are_the_ledgers_open_invoices(self):
		"""receivables.open_invoices reads ERPNext's outstanding_amount: the same invoices as the
		ledger's open vouchers, for every customer on the site."""
		for customer in frappe.get_all(
			"Sales Invoice", filters={"docstatus": 1}, pluck="customer", distinct=True
		):
			with self.subTest(customer=customer):
				ledger = {item.voucher_no for item in receivables.open_items(customer) if item.is_invoice}
				self.assertEqual(set(receivables.open_invoices(customer, 10_000)), ledger)
