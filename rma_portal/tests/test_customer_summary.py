"""The "Portal" section of the desk's Customer form: rma_portal.api.customer_desk.portal_summary gives
staff the customer's authorisation, administrator, members with their rights and what is open, and
refuses a customer's portal user."""

import frappe

from rma_portal import membership
from rma_portal.api import customer_desk
from rma_portal.compat import IntegrationTestCase
from rma_portal.demo.data import CUSTOMERS

CUSTOMER = "Demo Dealer"
DEALER = CUSTOMERS[CUSTOMER][0]


class TestCustomerPortalSummary(IntegrationTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")

	def test_staff_see_members_rights_and_what_is_open(self):
		frappe.set_user("Administrator")
		data = customer_desk.portal_summary(CUSTOMER)
		self.assertEqual(data["customer"], CUSTOMER)
		self.assertEqual(
			data["authorisation"]["authorised"],
			bool(frappe.db.get_value("Customer", CUSTOMER, "rma_portal_authorised")),
		)
		self.assertEqual((data["administrator"] or {}).get("user"), membership.administrator(CUSTOMER))

		by_user = {row["user"]: row for row in data["members"]}
		self.assertIn(DEALER, by_user)
		record = frappe.db.get_value(
			"Company Member", {"customer": CUSTOMER, "user": DEALER}, "*", as_dict=True
		)
		expected = [membership.flag_label(flag) for flag in membership.flags_of(record)]
		self.assertEqual(by_user[DEALER]["rights"], expected)
		self.assertTrue(expected, "the demo dealer holds rights")

		open_rmas = frappe.get_all(
			"RMA",
			filters={"customer": CUSTOMER, "status": ["in", ("Requested", "Expected", "Received")]},
			pluck="name",
		)
		self.assertEqual(data["rmas"]["total"], len(open_rmas))
		self.assertTrue(set(row.name for row in data["rmas"]["rows"]) <= set(open_rmas))
		other = frappe.get_all("RMA", filters={"customer": ["!=", CUSTOMER]}, pluck="name")
		self.assertFalse(set(row.name for row in data["rmas"]["rows"]) & set(other))
		for key in ("claims", "account_requests", "tickets"):
			self.assertEqual(len(data[key]["rows"]), min(data[key]["total"], 20), key)

	def test_open_ticket_listed(self):
		frappe.set_user("Administrator")
		ticket = frappe.get_doc(
			{"doctype": "Issue", "subject": "Summary test ticket", "customer": CUSTOMER, "raised_by": DEALER}
		).insert(ignore_permissions=True)
		data = customer_desk.portal_summary(CUSTOMER)
		self.assertIn(ticket.name, [row.name for row in data["tickets"]["rows"]])

	def test_portal_user_refused(self):
		frappe.set_user(DEALER)
		with self.assertRaises(frappe.PermissionError):
			customer_desk.portal_summary(CUSTOMER)

	def test_unknown_customer_is_not_found(self):
		frappe.set_user("Administrator")
		with self.assertRaises(frappe.DoesNotExistError):
			customer_desk.portal_summary("No Such Customer 42")
