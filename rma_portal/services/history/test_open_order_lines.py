# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""The pending order lines (RMA Open Order Line) follow ERPNext's Sales Orders and their deliveries:
after a submit, a partial and a full delivery, a return, a cancelled delivery, closing and
re-opening the order and cancelling it, the rows are exactly the lines the rule gives when read
from ERPNext's documents (less delivered than ordered, returned units counted as delivered, order
neither closed nor completed), with the figures the page shows; rebuilding gives the same; the page
is read along the index of its sort."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, today

from rma_portal.rma_portal.doctype.rma.test_rma import (
	ITEMS,
	_company,
	_make_customer,
	_warehouse,
	prepare_returns_data,
)
from rma_portal.services.history import open_order_lines
from rma_portal.services.portal import portal_orders
from rma_portal.tests.records import linked_doctypes

test_ignore = linked_doctypes("RMA")


def from_documents(customer: str) -> dict:
	"""so_detail -> (qty, delivered incl. returned units, pending) by the rule, from ERPNext's tables."""
	rows = frappe.db.sql(
		"""select soi.name, soi.qty, soi.delivered_qty + coalesce(ret.qty, 0)
		from `tabSales Order Item` soi
		join `tabSales Order` so on so.name = soi.parent
		left join (
			select i.so_detail, sum(-i.qty) as qty from `tabDelivery Note Item` i
			join `tabDelivery Note` d on d.name = i.parent
			where d.customer = %(c)s and d.docstatus = 1 and d.is_return = 1
			group by i.so_detail
		) ret on ret.so_detail = soi.name
		where so.customer = %(c)s and so.docstatus = 1 and so.status not in ('Closed', 'Completed')
			and soi.delivered_qty + coalesce(ret.qty, 0) < soi.qty""",
		{"c": customer},
	)
	return {name: (flt(qty, 6), flt(done, 6), flt(qty - done, 6)) for name, qty, done in rows}


class TestOpenOrderLines(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		cls.customer, cls.user = _make_customer("Open Orders Dealer")
		frappe.db.commit()

	def assert_follows(self) -> dict:
		expected = from_documents(self.customer)
		table = frappe.get_all(open_order_lines.DOCTYPE, filters={"customer": self.customer}, pluck="name")
		self.assertEqual(sorted(table), sorted(expected))
		page = portal_orders.pending_lines(self.customer, page_size=100)
		self.assertEqual(page["total"], len(expected))
		self.assertEqual(
			{row.name: (row.qty, row.delivered_qty, row.pending_qty) for row in page["rows"]}, expected
		)
		overview = portal_orders.next_deliveries(self.customer)  # the overview's figure, counted up to a cap
		self.assertEqual((overview["total"], overview["more"]), (len(expected), False))
		return expected

	def order(self, lines, days=5) -> str:
		company = _company()
		so = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": self.customer,
				"company": company,
				"transaction_date": today(),
				"delivery_date": add_days(today(), days),
				"set_warehouse": _warehouse(company),
				"items": [
					{"item_code": code, "qty": qty, "rate": 10.0, "delivery_date": add_days(today(), days)}
					for code, qty in lines
				],
			}
		)
		so.insert(ignore_permissions=True)
		so.submit()
		return so.name

	def deliver(self, so: str, qty: dict):
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

		dn = make_delivery_note(so)
		dn.items = [row for row in dn.items if row.item_code in qty]
		for row in dn.items:
			row.qty = qty[row.item_code]
		dn.insert(ignore_permissions=True)
		dn.submit()
		return dn

	def test_follows_orders_deliveries_returns_and_status(self):
		from erpnext.selling.doctype.sales_order.sales_order import update_status
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		so = self.order([(ITEMS[4], 4), (ITEMS[5], 2)])
		self.assertEqual(len(self.assert_follows()), 2)

		partial = self.deliver(so, {ITEMS[4]: 1})
		pending = self.assert_follows()
		self.assertEqual(sorted(p[2] for p in pending.values()), [2.0, 3.0])

		full = self.deliver(so, {ITEMS[4]: 3})
		self.assertEqual([p[2] for p in self.assert_follows().values()], [2.0])  # ITEMS[5] only

		# a returned unit is not to be delivered again (ERPNext takes it off the delivered quantity)
		ret = make_sales_return(full.name)
		ret.items[0].qty = -1
		ret.insert(ignore_permissions=True)
		ret.submit()
		self.assertLess(
			*frappe.db.get_value(
				"Sales Order Item", {"parent": so, "item_code": ITEMS[4]}, ["delivered_qty", "qty"]
			)
		)
		self.assertEqual(len(self.assert_follows()), 1)

		frappe.get_doc("Delivery Note", ret.name).cancel()
		frappe.get_doc("Delivery Note", full.name).cancel()  # 3 units to deliver again
		self.assertEqual(sorted(p[2] for p in self.assert_follows().values()), [2.0, 3.0])

		update_status("Closed", so)
		self.assertEqual(self.assert_follows(), {})
		update_status("Draft", so)  # re-opened
		self.assertEqual(len(self.assert_follows()), 2)

		frappe.db.delete(open_order_lines.DOCTYPE, {"customer": self.customer})
		self.assertEqual(open_order_lines.rebuild(self.customer), 2)
		self.assertEqual(len(self.assert_follows()), 2)

		frappe.get_doc("Delivery Note", partial.name).cancel()
		doc = frappe.get_doc("Sales Order", so)
		doc.cancel()
		self.assertEqual(self.assert_follows(), {})
		frappe.db.commit()

	def test_sorts_search_and_paging(self):
		early = self.order([(ITEMS[6], 1), (ITEMS[7], 1)], days=3)
		late = self.order([(ITEMS[6], 2)], days=9)
		frappe.db.commit()
		expected = self.assert_follows()
		whole = portal_orders.pending_lines(self.customer, page_size=100)["rows"]
		self.assertEqual(
			[row.name for row in whole], [row.name for row in portal_orders.all_pending_lines(self.customer)]
		)
		dates = [row.delivery_date for row in whole]
		self.assertEqual(dates, sorted(dates))
		late_first = portal_orders.pending_lines(self.customer, page_size=100, sort="expected_desc")["rows"]
		self.assertEqual(late_first[0].sales_order, late)
		for size in (1, 2):
			pages = [
				portal_orders.pending_lines(self.customer, page=n, page_size=size)["rows"]
				for n in range(1, len(expected) // size + 2)
			]
			self.assertEqual([row.name for rows in pages for row in rows], [row.name for row in whole])
		found = portal_orders.pending_lines(self.customer, {"item_code": ITEMS[7]})
		self.assertEqual([row.sales_order for row in found["rows"]], [early])
		self.assertEqual((found["total"], found["more"]), (1, False))
		# a column of the order lines (the sales person): counted through the lines
		self.assertEqual(portal_orders.pending_lines(self.customer, {"sales_person": "nobody"})["total"], 0)
		both = portal_orders.pending_lines(self.customer, {"item_code": ITEMS[6]})
		self.assertEqual((both["total"], both["more"]), (2, False))
		cap = portal_orders.SEARCH_COUNT_CAP
		portal_orders.SEARCH_COUNT_CAP = 1
		try:  # more matches than counted: the first one counted, "more" set, the page still full
			capped = portal_orders.pending_lines(self.customer, {"item_code": ITEMS[6]})
		finally:
			portal_orders.SEARCH_COUNT_CAP = cap
		self.assertEqual((capped["total"], capped["more"], len(capped["rows"])), (1, True, 2))
		cap = portal_orders.OVERVIEW_COUNT_CAP
		portal_orders.OVERVIEW_COUNT_CAP = len(expected) - 1
		try:  # more pending lines than the overview counts: "N+" and its next deliveries still there
			overview = portal_orders.next_deliveries(self.customer, limit=2)
		finally:
			portal_orders.OVERVIEW_COUNT_CAP = cap
		self.assertEqual((overview["total"], overview["more"]), (len(expected) - 1, True))
		self.assertEqual([row.name for row in overview["rows"]], [row.name for row in whole[:2]])

	def test_page_read_in_index_order(self):
		for sort, index in (
			("expected", "customer_expected"),
			("expected_desc", "customer_expected_desc"),
			("order", "customer_ordered_desc"),
		):
			plan = frappe.db.sql(
				"explain " + portal_orders._lines_sql("line.*", "1 = 1", sort) + " limit 20",
				{"customer": self.customer},
				as_dict=True,
			)
			self.assertEqual(plan[0].table, "pending", plan)
			self.assertEqual(plan[0].key, index, plan)
			self.assertNotIn("filesort", plan[0].Extra or "", plan)
