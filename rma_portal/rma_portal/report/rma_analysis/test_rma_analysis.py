# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from rma_portal.rma_portal.report.report_test_data import items, make_customer, make_reason, make_rma
from rma_portal.rma_portal.report.rma_analysis.rma_analysis import GROUPS, execute


class TestRMAAnalysis(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer()
		cls.defective = make_reason("Report Defective")
		cls.wrong = make_reason("Report Wrong Item")
		cls.item_a, cls.item_b = items(2)
		# RMA 1: two defective lines (A 2 x 10, B 1 x 30) -> defective 2 lines, qty 3, value 50
		cls.rma1 = make_rma(
			cls.customer,
			[
				{"item": cls.item_a, "qty": 2, "rate": 10, "reason": cls.defective},
				{"item": cls.item_b, "qty": 1, "rate": 30, "reason": cls.defective, "handling": "Replace"},
			],
		)
		# RMA 2: one defective line (A 4 x 10), one wrong-item line (B 3 x 5, 2 received)
		cls.rma2 = make_rma(
			cls.customer,
			[
				{"item": cls.item_a, "qty": 4, "rate": 10, "reason": cls.defective},
				{"item": cls.item_b, "qty": 3, "rate": 5, "reason": cls.wrong, "qty_received": 2},
			],
		)
		# RMA 3: a Service RMA, one line without a reason (A 1 x 100)
		cls.rma3 = make_rma(cls.customer, [{"item": cls.item_a, "qty": 1, "rate": 100}], kind="Service")

	def run_report(self, **filters):
		filters = {
			"from_date": add_days(today(), -1),
			"to_date": today(),
			"customer": self.customer,
			**filters,
		}
		columns, data, _message, chart, summary = execute(filters)
		return columns, data, chart, summary

	def by_group(self, data):
		return {row.group_value: row for row in data}

	def test_group_by_return_reason(self):
		columns, data, chart, summary = self.run_report(group_by="Return Reason")
		self.assertEqual(columns[0]["options"], "RMA Return Reason")
		rows = self.by_group(data)
		self.assertEqual(set(rows), {self.defective, self.wrong, None})

		defective = rows[self.defective]
		self.assertEqual((defective.rmas, defective.lines), (2, 3))
		self.assertEqual(defective.qty_requested, 7)
		self.assertEqual(defective.qty_received, 0)
		self.assertEqual(defective.value_requested, 90)  # 2*10 + 1*30 + 4*10

		wrong = rows[self.wrong]
		self.assertEqual((wrong.rmas, wrong.lines, wrong.qty_requested, wrong.qty_received), (1, 1, 3, 2))
		self.assertEqual(wrong.value_requested, 15)

		unset = rows[None]
		self.assertEqual((unset.rmas, unset.lines, unset.value_requested), (1, 1, 100))

		# shares of the total value (90 + 15 + 100 = 205), largest group first
		self.assertEqual(data[0].group_value, None)
		self.assertAlmostEqual(defective.share, 90 * 100 / 205, delta=0.01)
		self.assertAlmostEqual(sum(row.share for row in data), 100, delta=0.05)

		# totals count each RMA once, although RMA 2 is in two groups
		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual(totals["RMAs"], 3)
		self.assertEqual(totals["Lines"], 5)
		self.assertEqual(totals["Qty Requested"], 11)
		self.assertEqual(totals["Qty Received"], 2)
		self.assertEqual(totals["Value Requested"], 205)

		self.assertEqual(chart["type"], "bar")
		self.assertEqual(len(chart["data"]["labels"]), 3)

	def test_group_by_item_and_handling(self):
		_c, data, _chart, _s = self.run_report(group_by="Item")
		rows = self.by_group(data)
		a, b = rows[self.item_a.name], rows[self.item_b.name]
		self.assertEqual((a.rmas, a.lines, a.qty_requested, a.value_requested), (3, 3, 7, 160))
		self.assertEqual((b.rmas, b.lines, b.qty_requested, b.value_requested), (2, 2, 4, 45))
		self.assertEqual(a.group_name, self.item_a.item_name)

		_c, data, _chart, _s = self.run_report(group_by="Handling")
		rows = self.by_group(data)
		self.assertEqual(rows["Replace"].lines, 1)
		self.assertEqual(rows["Credit"].lines, 4)

		_c, data, _chart, _s = self.run_report(group_by="Customer")
		self.assertEqual(len(data), 1)
		self.assertEqual((data[0].group_value, data[0].rmas, data[0].lines), (self.customer, 3, 5))

	def test_filters(self):
		_c, data, _chart, _summary = self.run_report(group_by="Return Reason", kind="Service")
		self.assertEqual([(row.group_value, row.rmas) for row in data], [(None, 1)])

		_c, data, _chart, _s = self.run_report(group_by="Return Reason", status="Received")
		self.assertEqual(data, [])

		# submitted_on outside the date range
		frappe.db.set_value("RMA", self.rma1, "submitted_on", add_days(today(), -40), update_modified=False)
		try:
			_c, data, _chart, _s = self.run_report(group_by="Return Reason")
			self.assertEqual(self.by_group(data)[self.defective].rmas, 1)
			_c, data, _chart, _s = self.run_report(group_by="Return Reason", from_date=add_days(today(), -60))
			self.assertEqual(self.by_group(data)[self.defective].rmas, 2)
		finally:
			frappe.db.set_value("RMA", self.rma1, "submitted_on", frappe.utils.now_datetime())

	def test_unknown_group_by_is_refused(self):
		for bad in ("rma.name", "item.rate; drop table tabRMA", "return_reason", "Warehouse"):
			with self.assertRaises(frappe.ValidationError):
				execute({"group_by": bad, "customer": self.customer})
		with self.assertRaises(frappe.ValidationError):
			execute({"group_by": "Item", "status": "Open' or 1=1 --"})
		self.assertEqual(set(GROUPS), {"Return Reason", "Item", "Customer", "Handling"})
