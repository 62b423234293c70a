"""Account requests are bound to the requester's company (SPEC §3, §4): the kinds that touch an existing
account (Add user, Edit, Remove access) need its administrator or a user manager (US), checked when
filed through the real endpoint and again when staff approve; a private person may only ask to open a
new account; the desk form says how the requester relates to the account and warns when not at all."""

import frappe

from rma_portal import access
from rma_portal.domain import account_requests as rules
from rma_portal.services.accounts import account_requests as service
from rma_portal.tests.http import Browser
from rma_portal.tests.test_company_members import (
	MADE_USERS,
	PASSWORD,
	MadeUsersCase,
	add_member,
	make_company,
	make_user,
)

FILE = "/api/method/rma_portal.api.account_requests.file_request"


def filing(request_type: str, **values) -> dict:
	return {"request_type": request_type, "values": frappe.as_json(values)}


class TestAccountRequestBinding(MadeUsersCase):
	def remove_made_records(self):
		for user in MADE_USERS:
			frappe.db.delete(service.DOCTYPE, {"requested_by": user})
			frappe.db.delete("Company Member Change", {"member_user": user})

	def test_an_outsider_may_only_ask_for_a_new_account(self):
		customer = make_company()
		insider, _m = add_member(customer, "insider", flags=("RM",))
		outsider = make_user("outsider")
		frappe.db.commit()
		browser = Browser(outsider, PASSWORD)
		for request in (
			filing(rules.REMOVE, account_name=customer, user_email=insider),
			filing(rules.ADD_USER, account_name=customer, user_email=outsider, last_name="Outsider"),
			filing(rules.EDIT, account_name=customer, new_account_name="Taken over"),
		):
			answer = browser.post(FILE, request, csrf=True)
			self.assertEqual(answer.status_code, 403, answer.get_data(as_text=True)[:300])
			self.assertIn("new business account", answer.get_data(as_text=True))
		self.assertFalse(frappe.db.exists(service.DOCTYPE, {"requested_by": outsider}))
		new = filing(rules.CREATE, new_account_name=f"Own {outsider[:8]}", user_email=outsider, last_name="O")
		self.assertEqual(browser.post(FILE, new, csrf=True).status_code, 200)

	def test_a_member_asks_only_about_their_own_details_and_their_own_company(self):
		customer, other = make_company(), make_company()
		clerk, _m = add_member(customer, "reqclerk", flags=("RM",))
		manager, _m = add_member(customer, "requs", flags=("US",))
		frappe.db.commit()
		clerk_b = Browser(clerk, PASSWORD)
		add = filing(rules.ADD_USER, user_email=f"x-{clerk}", last_name="New")
		self.assertEqual(clerk_b.post(FILE, add, csrf=True).status_code, 403)
		own = filing(rules.EDIT, time_zone="Europe/Paris")
		self.assertEqual(clerk_b.post(FILE, own, csrf=True).status_code, 200)
		# a user manager's request is about their own company, whatever account the form names
		named_other = filing(rules.ADD_USER, account_name=other, user_email=f"y-{manager}", last_name="New")
		answer = Browser(manager, PASSWORD).post(FILE, named_other, csrf=True)
		self.assertEqual(answer.status_code, 200, answer.get_data(as_text=True)[:300])
		frappe.db.rollback()
		name = answer.json["message"]["name"]
		self.assertEqual(frappe.db.get_value(service.DOCTYPE, name, "customer"), customer)

	def test_approval_checks_the_requester_again_and_the_desk_warns(self):
		customer, other = make_company(), make_company()
		manager, member = add_member(customer, "approvus", flags=("US",))
		frappe.db.commit()
		email = f"added-{manager}"
		MADE_USERS.append(email)
		name = service.file_request(
			{"request_type": rules.ADD_USER, "user_email": email, "last_name": "Added"}, manager, customer
		)
		note = frappe.get_doc(service.DOCTYPE, name)
		note.run_method("onload")
		self.assertEqual(note.get_onload("requester_relation")["ok"], 1)
		self.assertIn("(US)", note.get_onload("requester_relation")["text"])
		# staff point the request at another company: refused, and the form says why
		frappe.db.set_value(service.DOCTYPE, name, "customer", other)
		doc = frappe.get_doc(service.DOCTYPE, name)
		doc.run_method("onload")
		self.assertEqual(doc.get_onload("requester_relation")["ok"], 0)
		self.assertIn("is not a user of", doc.get_onload("requester_relation")["text"])
		with self.assertRaisesRegex(frappe.PermissionError, "is not a user of"):
			service.approve(name)
		# back on the requester's company, but they lost US meanwhile: refused too
		frappe.db.set_value(service.DOCTYPE, name, "customer", customer)
		frappe.db.set_value("Company Member", member, "flag_us", 0)
		with self.assertRaisesRegex(frappe.PermissionError, "without the right to manage"):
			service.approve(name)
		self.assertFalse(frappe.db.exists("User", email))
		frappe.db.set_value("Company Member", member, "flag_us", 1)
		from rma_portal.demo.data import user_creation_unthrottled

		with user_creation_unthrottled():
			service.approve(name)
		access.clear_cache()
		self.assertEqual(access.customers_of(email), [customer])
