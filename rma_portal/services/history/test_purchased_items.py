# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""The items each customer bought (RMA Purchased Item) follow ERPNext's Sales Invoices and Delivery
Notes: after every submit, return and cancel the rows are exactly what grouping the customer's
documents gives (first and last purchase, company of the last one); rebuilding gives the same;
the warranty form and the service look-ups read them."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from rma_portal.rma_portal.doctype.rma.test_rma import ITEMS, _make_customer, _sell, prepare_returns_data
from rma_portal.services.history import purchased_items
from rma_portal.services.service import service_lookups
from rma_portal.services.warranty import warranty_claims as claims
from rma_portal.tests.records import linked_doctypes

test_ignore = linked_doctypes("RMA")


def from_documents(customer: str) -> dict:
	"""item -> (first, last purchase, company of the last), grouped from ERPNext's documents."""
	rows = frappe.db.sql(
		"""select item_code, min(posting_date), max(posting_date),
			substring_index(group_concat(company order by posting_date desc separator '\n'), '\n', 1)
		from (
			select sii.item_code, si.posting_date, si.company from `tabSales Invoice Item` sii
			join `tabSales Invoice` si on si.name = sii.parent
			where si.customer = %(c)s and si.docstatus = 1 and si.is_return = 0 and sii.qty > 0
			union all
			select dni.item_code, dn.posting_date, dn.company from `tabDelivery Note Item` dni
			join `tabDelivery Note` dn on dn.name = dni.parent
			where dn.customer = %(c)s and dn.docstatus = 1 and dn.is_return = 0 and dni.qty > 0
		) bought group by item_code""",
		{"c": customer},
	)
	return {code: (getdate(first), getdate(last), company) for code, first, last, company in rows}


def from_table(customer: str) -> dict:
	rows = frappe.get_all(
		purchased_items.DOCTYPE,
		filters={"customer": customer},
		fields=["item_code", "first_purchase", "last_purchase", "company"],
	)
	return {r.item_code: (getdate(r.first_purchase), getdate(r.last_purchase), r.company) for r in rows}


class TestPurchasedItems(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		cls.customer, cls.user = _make_customer("Purchased Items Dealer")
		frappe.db.commit()

	def assert_follows(self):
		expected = from_documents(self.customer)
		self.assertEqual(from_table(self.customer), expected)
		return expected

	def test_follows_submit_return_cancel_and_rebuilds_the_same(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		self.assertEqual(from_table(self.customer), {})
		recent = _sell(self.customer, [(ITEMS[0], 2, 10.0), (ITEMS[1], 1, 5.0)])
		bought = self.assert_follows()
		self.assertEqual(set(bought), {ITEMS[0], ITEMS[1]})
		self.assertEqual(bought[ITEMS[0]][1], getdate(today()))

		# an older invoice of one item moves its first purchase back, not its last
		older = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"customer": self.customer,
				"company": recent.sis[0].company,
				"set_posting_time": 1,
				"posting_date": add_days(today(), -40),
				"due_date": add_days(today(), -10),
				"items": [{"item_code": ITEMS[0], "qty": 1, "rate": 10.0}],
			}
		)
		older.insert(ignore_permissions=True)
		older.submit()
		bought = self.assert_follows()
		self.assertEqual(bought[ITEMS[0]][0], getdate(older.posting_date))
		self.assertEqual(bought[ITEMS[0]][1], getdate(today()))

		# a purchase between the first and the last: its cancel changes nothing (nothing is read again)
		middle = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"customer": self.customer,
				"company": older.company,
				"set_posting_time": 1,
				"posting_date": add_days(today(), -20),
				"due_date": add_days(today(), 10),
				"items": [{"item_code": ITEMS[0], "qty": 1, "rate": 10.0}],
			}
		)
		middle.insert(ignore_permissions=True)
		middle.submit()
		self.assertEqual(self.assert_follows(), bought)
		frappe.get_doc("Sales Invoice", middle.name).cancel()
		self.assertEqual(self.assert_follows(), bought)

		# a return is no purchase
		ret = make_sales_return(recent.dns[0].name)
		ret.items = ret.items[:1]
		ret.items[0].qty = -1
		ret.insert(ignore_permissions=True)
		ret.submit()
		self.assertEqual(self.assert_follows(), bought)

		# cancelling the recent sale: ITEMS[0]'s last purchase is the older invoice, ITEMS[1] is gone
		frappe.get_doc("Sales Invoice", recent.sis[0].name).cancel()
		frappe.get_doc("Delivery Note", ret.name).cancel()
		frappe.get_doc("Delivery Note", recent.dns[0].name).cancel()
		bought = self.assert_follows()
		self.assertEqual(bought, {ITEMS[0]: (getdate(older.posting_date),) * 2 + (older.company,)})
		self.assertTrue(claims.item_was_purchased(self.customer, ITEMS[0]))
		self.assertFalse(claims.item_was_purchased(self.customer, ITEMS[1]))
		self.assertEqual([row["item_code"] for row in claims.purchased_items(self.customer)], [ITEMS[0]])
		history = service_lookups.purchase_history(self.customer, [ITEMS[0], ITEMS[1]])
		self.assertEqual(list(history), [ITEMS[0]])
		self.assertEqual(history[ITEMS[0]].last_purchase, getdate(older.posting_date))

		frappe.db.delete(purchased_items.DOCTYPE, {"customer": self.customer})
		self.assertEqual(purchased_items.rebuild(self.customer), 1)
		self.assertEqual(self.assert_follows(), bought)
		frappe.db.commit()

	def test_form_lists_items_in_code_order_with_names(self):
		_sell(self.customer, [(ITEMS[3], 1, 10.0), (ITEMS[2], 1, 10.0)])
		items = claims.purchased_items(self.customer)
		codes = [row["item_code"] for row in items]
		self.assertEqual(codes, sorted(from_documents(self.customer)))
		row = next(r for r in items if r["item_code"] == ITEMS[2])
		self.assertEqual(row["item_name"], frappe.db.get_value("Item", ITEMS[2], "item_name"))
		self.assertEqual(row["last_purchase"], today())
