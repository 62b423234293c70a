# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from rma_portal.rma_portal.report.report_test_data import items, make_customer, make_rma
from rma_portal.rma_portal.report.rma_sla.rma_sla import execute


class TestRMASLA(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("SLA Test")
		(item,) = items(1)
		line = [{"item": item, "qty": 1, "rate": 10}]
		cls.old_expected = make_rma(cls.customer, line, days_ago=30)
		cls.fresh_expected = make_rma(cls.customer, line)
		cls.edge_expected = make_rma(cls.customer, line, days_ago=14)  # exactly 14 days: not yet late
		cls.old_received = make_rma(cls.customer, line, status="Received", days_ago=40)
		frappe.db.set_value("RMA", cls.old_received, "received_on", add_days(today(), -20))
		cls.fresh_received = make_rma(cls.customer, line, status="Received", days_ago=40)
		frappe.db.set_value("RMA", cls.fresh_received, "received_on", add_days(today(), -3))
		cls.old_invoiced = make_rma(cls.customer, line, status="Invoiced", days_ago=60)

	def rows(self, **filters):
		_columns, data, _message, chart, summary = execute({"customer": self.customer, **filters})
		return {row.name: row for row in data}, chart, summary

	def test_lists_overdue_open_rmas_only(self):
		rows, chart, summary = self.rows()  # default: 14 days
		self.assertEqual(set(rows), {self.old_expected, self.old_received})

		late = rows[self.old_expected]
		self.assertEqual(late.breach, "Overdue for receipt")
		self.assertEqual((late.age_days, late.overdue_days), (30, 16))

		credit = rows[self.old_received]
		self.assertEqual(credit.breach, "Overdue for credit note")
		self.assertEqual((credit.age_days, credit.overdue_days), (20, 6))

		self.assertEqual(list(rows), [self.old_expected, self.old_received])  # most overdue first
		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual(totals["SLA (Days)"], 14)
		self.assertEqual(totals["Overdue for Receipt"], 1)
		self.assertEqual(totals["Overdue for Credit Note"], 1)
		self.assertEqual(totals["Oldest (Days Waiting)"], 30)
		self.assertEqual(sum(sum(d["values"]) for d in chart["data"]["datasets"]), 2)

	def test_days_filter(self):
		rows, _chart, _summary = self.rows(days=2)
		self.assertEqual(
			set(rows), {self.old_expected, self.edge_expected, self.old_received, self.fresh_received}
		)
		rows, _chart, _summary = self.rows(days=25)
		self.assertEqual(set(rows), {self.old_expected})
		rows, _chart, _summary = self.rows(days=5, breach="Overdue for credit note")
		self.assertEqual(set(rows), {self.old_received})
		with self.assertRaises(frappe.ValidationError):
			self.rows(breach="Anything")
		with self.assertRaises(frappe.ValidationError):
			self.rows(days=-1)
