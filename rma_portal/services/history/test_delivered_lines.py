# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""The app's copy of the delivered lines (RMA Delivered Line) follows ERPNext's Delivery Notes: a
submitted note's lines appear, a cancelled note's go, a return's never come; rebuilding from the
documents gives the same rows; the candidates page reads it in index order (no sort of the
customer's lines)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.rma_portal.doctype.rma.test_rma import ITEMS, _make_customer, _sell, prepare_returns_data
from rma_portal.services.history import delivered_lines
from rma_portal.services.returns import candidates
from rma_portal.tests.records import linked_doctypes

test_ignore = linked_doctypes("RMA")

COLUMNS = ("name", "delivery_note", "line_no", "item_code", "qty_delivered", "delivery_date", "customer")


def _rows(customer: str) -> list[tuple]:
	return [
		tuple(row)
		for row in frappe.get_all(
			delivered_lines.DOCTYPE,
			filters={"customer": customer},
			fields=list(COLUMNS),
			order_by="delivery_note, line_no",
			as_list=True,
		)
	]


class TestDeliveredLines(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		cls.customer, cls.user = _make_customer("Delivered Lines Dealer")
		frappe.db.commit()

	def test_follows_submit_cancel_and_returns_and_rebuilds_the_same(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		sale = _sell(self.customer, [(ITEMS[0], 4, 10.0), (ITEMS[1], 2, 5.0)], deliveries=2)
		first, second = sale.dns
		rows = _rows(self.customer)
		self.assertEqual(
			[(r[1], r[2], r[3], r[4]) for r in rows],
			sorted(
				(dn.name, item.idx, item.item_code, item.qty) for dn in (first, second) for item in dn.items
			),
		)
		self.assertEqual({r[0] for r in rows}, {item.name for dn in sale.dns for item in dn.items})

		ret = make_sales_return(first.name)
		ret.items = ret.items[:1]
		ret.items[0].qty = -1
		ret.insert(ignore_permissions=True)
		ret.submit()
		self.assertEqual(_rows(self.customer), rows)  # a return's lines are no candidates

		since = first.posting_date
		self.assertEqual(delivered_lines.count_since(self.customer, since), len(rows))

		frappe.get_doc("Sales Invoice", sale.sis[1].name).cancel()
		frappe.get_doc("Delivery Note", second.name).cancel()
		kept = [r for r in rows if r[1] == first.name]
		self.assertEqual(_rows(self.customer), kept)
		self.assertEqual(delivered_lines.count_since(self.customer, since), len(kept))

		frappe.db.delete(delivered_lines.DOCTYPE, {"customer": self.customer})
		frappe.db.delete(delivered_lines.DAY_DOCTYPE, {"customer": self.customer})
		self.assertEqual(delivered_lines.rebuild(self.customer), len(kept))
		self.assertEqual(_rows(self.customer), kept)
		self.assertEqual(delivered_lines.count_since(self.customer, since), len(kept))
		# the page's total is that figure, and is the number of lines the page path can reach
		page = candidates.candidate_lines(self.customer, page_size=100)
		self.assertEqual(page["total"], len(page["rows"]))
		self.assertEqual({r.delivery_note_item for r in page["rows"]}, {r[0] for r in kept})

	def test_pages_from_either_end_make_the_whole_list(self):
		_sell(self.customer, [(code, 2, 10.0) for code in ITEMS[:7]])  # lines for several pages
		whole = candidates.candidate_lines(self.customer, page_size=100)["rows"]
		for size in (1, 2, 3):
			pages = [
				candidates.candidate_lines(self.customer, page=n, page_size=size)["rows"]
				for n in range(1, len(whole) // size + 3)  # one page past the end: empty
			]
			self.assertEqual([row for rows in pages for row in rows], whole, size)
			self.assertEqual(pages[-1], [])

	def test_page_read_in_index_order(self):
		values = candidates._base_values(self.customer)
		values.update(limit=20, offset=0)
		plan = frappe.db.sql(
			"explain "
			+ candidates._DELIVERED_SQL.format(select="cand.*", where="1 = 1")
			+ candidates._ORDER
			+ " limit %(limit)s offset %(offset)s",
			values,
			as_dict=True,
		)
		driving = plan[0]
		self.assertEqual(driving.table, "line", plan)
		self.assertEqual(driving.key, delivered_lines.PAGE_INDEX, plan)
		self.assertNotIn("filesort", driving.Extra or "", plan)
