"""Disabled, blocked and not-yet-authorised members each read what happened and whom to ask (SPEC §4),
on a real page and method: a member disabled by their company, a company whose customer account our
staff disabled, a company without an accepted administrator."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal import access
from rma_portal.services.company import members
from rma_portal.tests.http import Browser
from rma_portal.tests.test_company_members import API, PASSWORD, add_member, make_company
from rma_portal.tests.test_member_rights import cleanup, company_with_administrator


class TestMemberMessages(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		access.clear_cache()

	def tearDown(self):
		cleanup()

	def refusal(self, user: str) -> str:
		answer = Browser(user, PASSWORD).get(API + "returns.list_rmas")
		self.assertEqual(answer.status_code, 403)
		return answer.get_data(as_text=True)

	def test_a_disabled_member_is_told_who_disabled_them_and_whom_to_ask(self):
		customer, owner = company_with_administrator()
		clerk, _m = add_member(customer, "disabledclerk", flags=("RM",), enabled=0)
		frappe.db.commit()
		text = self.refusal(clerk)
		self.assertIn(f"Your access to {customer} has been disabled by the company", text)
		self.assertIn(frappe.utils.get_fullname(owner), text)
		self.assertNotIn("not linked to a customer account", text)
		page = Browser(clerk, PASSWORD).get("/company").get_data(as_text=True)
		self.assertIn("rma-disabled-notice", page)

	def test_a_blocked_account_says_so(self):
		customer, _owner = company_with_administrator()
		clerk, _m = add_member(customer, "blockedclerk", flags=("RM",))
		frappe.db.set_value("Customer", customer, "disabled", 1)
		frappe.db.commit()
		text = self.refusal(clerk)
		self.assertIn(f"The portal account of {customer} is blocked by us", text)
		self.assertIn("customer service", text)

	def test_a_company_not_yet_authorised_says_why_and_who_acts(self):
		customer = make_company(authorised=False)
		clerk, _m = add_member(customer, "waitingclerk", flags=("RM",))
		frappe.db.commit()
		text = self.refusal(clerk)
		self.assertIn("has no accepted company administrator yet", text)
		self.assertNotIn("disabled", text)
		self.assertIsNone(members.administrator(customer))
