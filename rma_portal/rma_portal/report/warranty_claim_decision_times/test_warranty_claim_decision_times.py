# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime, today

from rma_portal.rma_portal.report.report_test_data import items, make_customer
from rma_portal.rma_portal.report.warranty_claim_decision_times.warranty_claim_decision_times import (
	execute,
)


def make_claim(customer, item, status, submitted_days_ago, decided_days_ago=None):
	doc = frappe.get_doc(
		{
			"doctype": "Customer Warranty Claim",
			"status": status,
			"customer": customer,
			"customer_name": customer,
			"item_code": item.name,
			"item_name": item.item_name,
			"description": "Report test",
			"submitted_on": add_days(now_datetime(), -submitted_days_ago),
			"handling_date": add_days(today(), -decided_days_ago) if decided_days_ago is not None else None,
		}
	)
	doc.insert(ignore_permissions=True)
	return doc.name


class TestWarrantyClaimDecisionTimes(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("Claims Report Test")
		(item,) = items(1)
		cls.granted_fast = make_claim(cls.customer, item, "Granted", 10, 8)  # 2 days
		cls.granted_slow = make_claim(cls.customer, item, "Granted", 30, 10)  # 20 days
		cls.refused = make_claim(cls.customer, item, "Refused", 20, 15)  # 5 days
		cls.open = make_claim(cls.customer, item, "In processing", 7)
		cls.old = make_claim(cls.customer, item, "Granted", 400, 390)  # outside the default range

	def run_report(self, **filters):
		_columns, data, _message, chart, summary = execute(
			{"from_date": add_days(today(), -60), "to_date": today(), "customer": self.customer, **filters}
		)
		return {row.name: row for row in data}, chart, {s["label"]: s["value"] for s in summary}

	def test_days_and_summary(self):
		rows, chart, summary = self.run_report()
		self.assertEqual(set(rows), {self.granted_fast, self.granted_slow, self.refused, self.open})
		self.assertEqual(rows[self.granted_fast].days_to_decision, 2)
		self.assertEqual(rows[self.granted_slow].days_to_decision, 20)
		self.assertEqual(rows[self.refused].days_to_decision, 5)
		self.assertIsNone(rows[self.open].days_to_decision)
		self.assertEqual(rows[self.open].days_open, 7)

		self.assertEqual(summary["Claims"], 4)
		self.assertEqual(summary["Open"], 1)
		self.assertEqual(summary["Granted"], 2)
		self.assertEqual(summary["Refused"], 1)
		self.assertEqual(summary["Average Days to Decision"], 9)  # (2 + 20 + 5) / 3
		self.assertEqual(summary["Median Days to Decision"], 5)
		self.assertEqual(summary["Longest (Days)"], 20)
		self.assertAlmostEqual(summary["Granted of Decided (%)"], 66.7)

		granted = next(d for d in chart["data"]["datasets"] if d["name"] == "Granted")
		self.assertEqual(granted["values"], [1, 0, 0, 1, 0, 0])

	def test_status_filter(self):
		rows, _chart, _summary = self.run_report(status="Refused")
		self.assertEqual(set(rows), {self.refused})
		rows, _chart, _summary = self.run_report(status="Decided")
		self.assertEqual(set(rows), {self.granted_fast, self.granted_slow, self.refused})
		rows, _chart, _summary = self.run_report(status="Open")
		self.assertEqual(set(rows), {self.open})
		rows, _chart, _summary = self.run_report(from_date=add_days(today(), -500))
		self.assertIn(self.old, rows)
		with self.assertRaises(frappe.ValidationError):
			self.run_report(status="Granted' or '1'='1")
