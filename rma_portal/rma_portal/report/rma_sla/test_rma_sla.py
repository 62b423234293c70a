# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, get_datetime, now_datetime, today

from rma_portal.rma_portal.report.report_test_data import items, make_customer, make_rma
from rma_portal.rma_portal.report.rma_sla.rma_sla import execute
from rma_portal.services.policy import approval


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


class TestRMASLAApproval(FrappeTestCase):
	"""Requests awaiting approval, each against its review time (RMA Settings, as the review queue)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer = make_customer("SLA Approval Test")
		(item,) = items(1)
		cls.line = [{"item": item, "qty": 1, "rate": 10}]
		now = now_datetime()
		cls.late = cls.request(days_ago=10, approval_due_on=add_days(now, -3))
		cls.late_by_hours = cls.request(days_ago=1, approval_due_on=add_to_date(now, hours=-2))
		cls.in_time = cls.request(approval_due_on=add_to_date(now, hours=5))
		cls.without_due = cls.request(days_ago=1)  # sent while no review time was set
		cls.expected = make_rma(cls.customer, cls.line, days_ago=20)

	@classmethod
	def request(cls, **fields):
		return make_rma(cls.customer, cls.line, status="Requested", **fields)

	def setUp(self):
		self.saved = frappe.db.get_singles_dict("RMA Settings")
		self.set_review_time(0, "Business Days")

	def tearDown(self):
		self.set_review_time(self.saved.get("approval_sla"), self.saved.get("approval_sla_unit"))

	def set_review_time(self, amount, unit):
		frappe.db.set_single_value("RMA Settings", {"approval_sla": amount, "approval_sla_unit": unit})

	def rows(self, **filters):
		_columns, data, _message, chart, summary = execute({"customer": self.customer, **filters})
		return {row.name: row for row in data}, chart, summary

	def test_every_request_listed_against_its_review_time(self):
		rows, chart, summary = self.rows()
		self.assertEqual(
			set(rows), {self.late, self.late_by_hours, self.in_time, self.without_due, self.expected}
		)
		late = rows[self.late]
		self.assertEqual((late.breach, late.age_days, late.overdue_days), ("Overdue for approval", 10, 3))
		hours = rows[self.late_by_hours]
		self.assertEqual((hours.breach, hours.overdue_days), ("Overdue for approval", 1))  # its due day
		for name in (self.in_time, self.without_due):
			self.assertEqual((rows[name].breach, rows[name].overdue_days), ("Awaiting approval", None))
		self.assertIsNone(rows[self.without_due].approval_due_on)
		self.assertEqual(list(rows)[:3], [self.expected, self.late, self.late_by_hours])
		self.assertEqual(list(rows)[3:], sorted([self.in_time, self.without_due]))

		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual((totals["Overdue for Approval"], totals["Overdue for Receipt"]), (2, 1))
		late_counts = {d["name"]: sum(d["values"]) for d in chart["data"]["datasets"]}
		self.assertEqual(late_counts, {"Approval late": 2, "Receipt late": 1, "Credit note late": 0})

	def test_the_review_time_of_rma_settings_for_a_request_without_its_own(self):
		self.set_review_time(4, "Hours")  # sent a day ago: due 20 hours ago
		row = self.rows()[0][self.without_due]
		submitted = frappe.db.get_value("RMA", self.without_due, "submitted_on")
		self.assertEqual(row.approval_due_on, approval.review_due_on(submitted, row.company))
		self.assertEqual((row.breach, row.overdue_days), ("Overdue for approval", 1))

		self.set_review_time(30, "Business Days")
		row = self.rows()[0][self.without_due]
		self.assertEqual((row.breach, row.overdue_days), ("Awaiting approval", None))
		self.assertGreater(get_datetime(row.approval_due_on), now_datetime())
		# the time stored when sent stays the one it is measured by
		self.assertEqual(self.rows()[0][self.late].breach, "Overdue for approval")

	def test_filtered_by_breach_and_not_by_the_days_of_receipt(self):
		rows, _chart, _summary = self.rows(breach="Overdue for approval")
		self.assertEqual(set(rows), {self.late, self.late_by_hours})
		rows, _chart, _summary = self.rows(breach="Awaiting approval")
		self.assertEqual(set(rows), {self.in_time, self.without_due})
		rows, _chart, _summary = self.rows(days=25)  # the receipt's days do not hide requests
		self.assertEqual(set(rows), {self.late, self.late_by_hours, self.in_time, self.without_due})
		rows, _chart, _summary = self.rows(kind="Service")
		self.assertEqual(rows, {})
