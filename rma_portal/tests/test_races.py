"""Requests that race: the same delivered line asked for by 20 requests at the same moment.

Each request is served in its own thread with its own database connection (as 20 web workers
would), released together. Exactly one may win; the others get a clear error and write nothing.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.domain.formats import format_qty
from rma_portal.services.returns import returns
from rma_portal.tests.http import Browser, concurrently

DEALER = CUSTOMERS["Demo Dealer"][0]
API = "/api/method/rma_portal.api."
ATTEMPTS = 20


class TestRaces(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.dealer = Browser(DEALER, DEMO_PASSWORD)

	def setUp(self):
		self.created = []

	def tearDown(self):
		frappe.db.rollback()
		for name in self.created:
			frappe.delete_doc("RMA", name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def candidate(self):
		rows = returns.candidate_lines("Demo Dealer", page_size=100)["rows"]
		return next(row for row in rows if row.qty_returnable >= 1)

	def open_request_qty(self, line: str) -> float:
		frappe.db.rollback()  # a fresh snapshot after the requests' commits
		rows = frappe.get_all(
			"RMA Item",
			filters={"delivery_note_item": line, "parenttype": "RMA"},
			fields=["parent", "qty_requested"],
		)
		return sum(r.qty_requested for r in rows if r.parent in self.created)

	def test_twenty_requests_for_one_delivered_line(self):
		line = self.candidate()
		reason = frappe.db.get_value("RMA Return Reason", {"enabled": 1})
		data = {
			"lines": json.dumps(
				[{"delivery_note_item": line.delivery_note_item, "qty": line.qty_returnable}]
			),
			"return_reason": reason,
			"terms_accepted": "1",
		}
		call = self.dealer.post_call(API + "returns.submit_return", data, csrf=True)
		responses = concurrently([call] * ATTEMPTS)

		statuses = [r.status_code for r in responses]
		winners = [r.json["message"]["name"] for r in responses if r.status_code == 200]
		self.created.extend(winners)
		print(
			f"\nraces: {ATTEMPTS} concurrent requests for one delivered line -> statuses {sorted(statuses)}"
		)
		self.assertEqual(len(winners), 1, statuses)
		self.assertFalse([s for s in statuses if s >= 500], statuses)
		for response in responses:
			if response.status_code != 200:
				body = response.get_data(as_text=True)
				self.assertEqual(response.status_code, 417, body[:300])
				self.assertIn(line.item_code, body)  # names the line the customer asked for
				self.assertIn("still returnable", body)
				# quantities as the page shows them, without a decimal point on whole numbers
				self.assertIn(f"Quantity {format_qty(line.qty_returnable)} is more", body)
				self.assertIn("still returnable (0)", body)
				self.assertNotIn("Traceback", body)
		self.assertEqual(self.open_request_qty(line.delivery_note_item), line.qty_returnable)
		after = returns.candidate_lines("Demo Dealer", {"item_code": line.item_code}, page_size=100)["rows"]
		left = next((r.qty_returnable for r in after if r.delivery_note_item == line.delivery_note_item), 0)
		self.assertEqual(left, 0)
