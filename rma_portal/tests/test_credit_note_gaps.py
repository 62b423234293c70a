"""Credit note paths the other RMA tests leave out: an invoice paid in part (the credit reduces what is
still owed, or becomes the customer's credit when it is more), an invoice already credited in
ERPNext, and a credit note made by hand that names another customer's RMA. Data as in test_rma
(own customers, items with stock, the RMA Settings' fee; committed)."""

import frappe
from frappe.utils import flt, today

from rma_portal.rma_portal.doctype.rma.test_rma import (
	ITEMS,
	REASON,
	ReturnsCase,
	_sell,
)
from rma_portal.services.returns import credit_note, lifecycle, returns


def outstanding(invoice: str) -> float:
	return flt(frappe.db.get_value("Sales Invoice", invoice, "outstanding_amount"))


def pay(invoice: str, amount: float):
	"""A Payment Entry of `amount` against `invoice` (a part of it)."""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	payment = get_payment_entry("Sales Invoice", invoice, party_amount=amount)
	payment.reference_no, payment.reference_date = "RMA-TEST-PART", today()
	payment.insert(ignore_permissions=True)
	payment.submit()


def manual_credit_note(invoice: str, qty: float | None = None, rma: str | None = None):
	"""ERPNext's own return against `invoice` (every line, or `qty` of each), as a clerk makes it."""
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	credit = make_return_doc("Sales Invoice", invoice)
	for item in credit.items:
		if qty is not None:
			item.qty = -qty
	credit.payment_schedule = []
	credit.rma = rma
	credit.insert(ignore_permissions=True)
	return credit


class TestCreditNoteGaps(ReturnsCase):
	DEALERS = ("RMA Gaps Dealer", "RMA Gaps Other")

	def received_rma(self, sale, qty: float, customer=None, user=None) -> str:
		name = returns.create_return_rma(
			customer or self.customer,
			user or self.user,
			[{"delivery_note_item": row.name, "qty": qty} for row in sale.dn.items],
			return_reason=REASON,
			terms_accepted=True,
		)
		rows = frappe.get_doc("RMA", name).items
		lifecycle.receive(
			name, {row.name: row.qty_requested for row in rows}, {row.name: "Credit" for row in rows}
		)
		return name

	def test_a_partly_paid_invoice_owing_more_than_the_credit_is_reduced_by_it(self):
		sale = _sell(self.customer, [(ITEMS[9], 5, 20.0)])
		pay(sale.si.name, 30)
		self.assertAlmostEqual(outstanding(sale.si.name), flt(sale.si.grand_total) - 30)
		before = outstanding(sale.si.name)
		cn = frappe.get_doc("Sales Invoice", credit_note.make_credit_note(self.received_rma(sale, 2)))
		self.assertLess(abs(flt(cn.grand_total)), before)
		self.assertEqual(cn.update_outstanding_for_self, 0)
		self.assertAlmostEqual(outstanding(sale.si.name), before + flt(cn.grand_total))
		self.assertAlmostEqual(flt(cn.outstanding_amount), 0)

	def test_a_partly_paid_invoice_owing_less_than_the_credit_leaves_the_customer_a_credit(self):
		sale = _sell(self.customer, [(ITEMS[9], 5, 20.0)])
		pay(sale.si.name, flt(sale.si.grand_total) - 10)
		cn = frappe.get_doc("Sales Invoice", credit_note.make_credit_note(self.received_rma(sale, 2)))
		self.assertGreater(abs(flt(cn.grand_total)), 10)
		self.assertEqual(cn.update_outstanding_for_self, 1)
		self.assertAlmostEqual(outstanding(sale.si.name), 10)  # still owed: the credit is not set off
		self.assertAlmostEqual(flt(cn.outstanding_amount), flt(cn.grand_total))  # the customer's credit

	def test_lines_already_credited_in_erpnext_are_refused_and_nothing_is_made(self):
		sale = _sell(self.customer, [(ITEMS[9], 2, 20.0)])
		name = self.received_rma(sale, 1)
		manual_credit_note(sale.si.name).submit()  # the clerk credited the whole invoice by hand
		with self.assertRaises(frappe.ValidationError) as caught:
			credit_note.make_credit_note(name)
		self.assertIn("already been credited in full in ERPNext", str(caught.exception))
		self.assertEqual(frappe.db.get_value("RMA", name, "status"), "Received")
		self.assertEqual(credit_note.credit_notes_of(name), [])

	def test_a_manual_credit_note_naming_another_customers_rma_is_refused(self):
		others_sale = _sell(self.other_customer, [(ITEMS[9], 2, 20.0)])
		others_rma = self.received_rma(others_sale, 1, self.other_customer, self.other_user)
		sale = _sell(self.customer, [(ITEMS[9], 2, 20.0)])
		credit = manual_credit_note(sale.si.name, qty=1, rma=others_rma)
		with self.assertRaises(frappe.ValidationError) as caught:
			credit.submit()
		self.assertIn(f"belongs to customer {self.other_customer}", str(caught.exception))
		rma = frappe.get_doc("RMA", others_rma)
		self.assertEqual((rma.status, rma.credit_notes), ("Received", []))
