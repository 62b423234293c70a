"""/account-requests and the desk's overdue report: a user sees only their own requests (guests
nothing), filing from the page goes through the same server checks, and the report and the
workspace's number card count the Open requests past their due date."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.domain import account_requests as rules
from rma_portal.rma_portal.report.overdue_account_requests import overdue_account_requests as report
from rma_portal.services.accounts import account_requests as service
from rma_portal.tests.http import Browser

DEALER_USER = CUSTOMERS["Demo Dealer"][0]
SECOND_USER = CUSTOMERS["Second Dealer"][0]
FILE = "/api/method/rma_portal.api.account_requests.file_request"


class TestAccountRequestPages(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.sfx = frappe.generate_hash(length=6)
		cls.mine = service.file_request(
			{
				"request_type": rules.ADD_USER,
				"user_email": f"page-{cls.sfx}@demo.example",
				"last_name": f"Pagetest{cls.sfx}",
			},
			DEALER_USER,
			"Demo Dealer",
		)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for name in frappe.get_all(
			service.DOCTYPE, filters={"notes": ["like", f"%{cls.sfx}%"]}, pluck="name"
		):
			frappe.delete_doc(service.DOCTYPE, name, force=True, ignore_permissions=True)
		frappe.delete_doc(service.DOCTYPE, cls.mine, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def test_guests_refused_and_each_user_sees_their_own(self):
		self.assertEqual(Browser().get("/account-requests").status_code, 403)
		own = Browser(DEALER_USER, DEMO_PASSWORD).get("/account-requests").get_data(as_text=True)
		self.assertIn(self.mine, own)
		self.assertIn(f"page-{self.sfx}@demo.example", own)
		other = Browser(SECOND_USER, DEMO_PASSWORD).get("/account-requests").get_data(as_text=True)
		self.assertNotIn(self.mine, other)
		self.assertNotIn(f"page-{self.sfx}", other)

	def test_filing_from_the_page_checks_the_type_fields_and_the_users_right(self):
		dealer = Browser(DEALER_USER, DEMO_PASSWORD)
		missing = dealer.post(FILE, {"request_type": rules.ADD_USER, "values": "{}"}, csrf=True)
		self.assertIn(missing.status_code, (403, 417))
		remove = {
			"request_type": rules.REMOVE,
			"values": frappe.as_json({"user_email": SECOND_USER, "notes": f"page {self.sfx}"}),
		}
		own_edit = {
			"request_type": rules.EDIT,
			"values": frappe.as_json({"time_zone": "Europe/Paris", "notes": f"page {self.sfx}"}),
		}
		member = frappe.db.get_value("Company Member", {"user": DEALER_USER, "customer": "Demo Dealer"})
		had_us = member and frappe.db.get_value("Company Member", member, "flag_us")
		if had_us:
			frappe.db.set_value("Company Member", member, "flag_us", 0)
			frappe.db.commit()
		try:
			# without US (manage company users) only one's own details may be changed
			self.assertEqual(dealer.post(FILE, remove, csrf=True).status_code, 403)
			self.assertEqual(dealer.post(FILE, own_edit, csrf=True).status_code, 200)
			if member:
				frappe.db.set_value("Company Member", member, "flag_us", 1)
				frappe.db.commit()
			missing = dealer.post(FILE, {"request_type": rules.ADD_USER, "values": "{}"}, csrf=True)
			self.assertEqual(missing.status_code, 417)
			self.assertIn("Current E-mail is required", missing.get_data(as_text=True))
			filed = dealer.post(FILE, remove, csrf=True)
			self.assertEqual(filed.status_code, 200, filed.get_data(as_text=True)[:400])
		finally:
			if member:
				frappe.db.set_value("Company Member", member, "flag_us", had_us or 0)
				frappe.db.commit()
		name = filed.json["message"]["name"]
		frappe.db.rollback()
		doc = frappe.get_doc(service.DOCTYPE, name)
		self.assertEqual((doc.requested_by, doc.customer, doc.status), (DEALER_USER, "Demo Dealer", "Open"))

	def test_overdue_report_and_count(self):
		before = report.count()
		frappe.db.set_value(service.DOCTYPE, self.mine, "due_date", add_days(today(), -10))
		rows = {row["name"]: row for row in report.execute()[1]}
		self.assertIn(self.mine, rows)
		self.assertGreaterEqual(rows[self.mine]["days_late"], 5)
		self.assertEqual(report.count(), before + 1)
		self.assertTrue(service.is_overdue(frappe.get_doc(service.DOCTYPE, self.mine)))
		frappe.db.set_value(service.DOCTYPE, self.mine, "due_date", today())
		self.assertNotIn(self.mine, {row["name"] for row in report.execute()[1]}, "due today is not late")
		self.assertEqual(report.count(), before)
		frappe.db.rollback()

	def test_demo_has_a_request_in_each_state_and_one_overdue(self):
		from rma_portal.demo.account_requests import MARK

		demo = frappe.get_all(
			service.DOCTYPE, filters={"notes": ["like", f"%{MARK}%"]}, fields=["name", "status", "due_date"]
		)
		if not demo:
			self.skipTest("no demo account requests on this site (rma_portal.demo.make_demo)")
		self.assertEqual({row.status for row in demo}, {rules.OPEN, rules.APPROVED, rules.REJECTED})
		self.assertTrue(any(service.is_overdue(row) for row in demo))
