"""Filling the history tables per customer in committed batches (services/history/fill.py): an
interrupted fill, started again, leaves the same tables as one that ran through, and as the
one-statement rebuilds; it says how far it is."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.services.history import delivered_lines, fill, open_order_lines, purchased_items

TABLES = {
	"RMA Delivered Line": "delivery_note_item",
	"RMA Delivered Day": "name",
	"RMA Purchased Item": "name",
	"RMA Open Order Line": "name",
}
IGNORED = ("creation", "modified")


class Interrupted(Exception):
	pass


def snapshot() -> dict[str, list[dict]]:
	"""Every row of the tables, in a fixed order, without the times it was written."""
	out = {}
	for doctype, order in TABLES.items():
		rows = frappe.db.sql(f"select * from `tab{doctype}` order by `{order}`", as_dict=True)  # nosec B608
		out[doctype] = [{k: v for k, v in row.items() if k not in IGNORED} for row in rows]
	return out


def empty_tables():
	for doctype in TABLES:
		frappe.db.delete(doctype)
	frappe.db.commit()


class TestHistoryFill(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		fill.fill_all(progress=lambda _line: None)
		cls.full = snapshot()
		cls.customers = len({row["customer"] for row in cls.full["RMA Delivered Line"]})

	def tearDown(self):
		# whatever a test left half-filled is filled again (the site's other tests read the tables)
		fill.fill_all(progress=lambda _line: None)

	def test_the_tables_have_rows_of_several_customers(self):
		self.assertGreaterEqual(self.customers, 3, "the demo's history has several customers")
		for doctype in TABLES:
			self.assertTrue(self.full[doctype], doctype)

	def test_fill_equals_the_one_statement_rebuilds_and_drops_rows_of_customers_without_documents(self):
		frappe.db.sql(
			"""insert into `tabRMA Purchased Item` (name, customer, item_code, first_purchase, last_purchase)
			values ('gone-row', 'No Such Customer', 'NOTHING', '2020-01-01', '2020-01-01')"""
		)
		fill.fill_all(batch_lines=1, progress=lambda _line: None)
		self.assertEqual(snapshot(), self.full)
		for module in (delivered_lines, purchased_items, open_order_lines):
			module.rebuild()
		frappe.db.commit()
		self.assertEqual(snapshot(), self.full)

	def test_an_interrupted_fill_started_again_gives_the_same_tables(self):
		empty_tables()

		def stop_in_the_second_table(table, batches):
			if table == "purchased_items" and batches == 2:
				raise Interrupted

		said = []
		with self.assertRaises(Interrupted):
			fill.fill_all(batch_lines=1, progress=said.append, after_batch=stop_in_the_second_table)
		# what was committed stays: the first table whole, two customers of the second, none of the third
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_global("rma_portal_history_fill:delivered_lines"), fill.DONE)
		marked = frappe.db.get_global("rma_portal_history_fill:purchased_items")
		self.assertTrue(marked)
		partial = snapshot()
		self.assertEqual(partial["RMA Delivered Line"], self.full["RMA Delivered Line"])
		self.assertEqual(len({row["customer"] for row in partial["RMA Purchased Item"]}), 2)
		self.assertEqual(partial["RMA Open Order Line"], [])

		resumed = []
		fill.fill_all(batch_lines=1, progress=resumed.append)
		self.assertEqual(snapshot(), self.full)
		self.assertFalse([line for line in resumed if line.startswith("Filling delivered lines")])
		self.assertTrue([line for line in resumed if line.startswith("Filling items bought")])
		self.assertIn(f"resumed after {marked}", "\n".join(resumed))
		for table in fill.TABLES:  # done: the next fill starts from the first customer
			self.assertIsNone(frappe.db.get_global(f"rma_portal_history_fill:{table}"))

	def test_progress_says_customers_and_lines_done_and_time_left(self):
		said = []
		fill.fill_table("delivered_lines", batch_lines=1, progress=said.append)
		head = re.fullmatch(r"Filling delivered lines: (\d+) customers, ([\d,]+) document lines", said[0])
		self.assertTrue(head, said[0])
		customers, lines = head.groups()
		self.assertGreaterEqual(int(customers), self.customers)
		self.assertEqual(len(said), 1 + int(customers))  # one line a batch: a customer each
		done = [
			re.match(r"  delivered lines: (\d+)/(\d+) customers, ([\d,]+)/([\d,]+) lines", s)
			for s in said[1:]
		]
		self.assertTrue(all(done), said)
		self.assertEqual([int(m.group(1)) for m in done], list(range(1, int(customers) + 1)))
		self.assertEqual(done[-1].group(3), lines)
		self.assertTrue(all(m.group(4) == lines for m in done))
		self.assertTrue(said[-1].endswith("about 0 s left"), said[-1])

	def test_duration(self):
		self.assertEqual(fill.duration(42.4), "42 s")
		self.assertEqual(fill.duration(125), "2 min 05 s")
		self.assertEqual(fill.duration(3 * 3600 + 7 * 60), "3 h 07 min")

	def test_uninstall_forgets_an_unfinished_fill(self):
		frappe.db.set_global("rma_portal_history_fill:open_order_lines", "Some Customer")
		fill.forget_markers()
		frappe.db.commit()
		self.assertFalse(
			frappe.db.sql(
				"select defkey from `tabDefaultValue` where defkey like 'rma\\_portal\\_history\\_fill%'"
			)
		)
