"""Invitations are accepted, not imposed (SPEC §4), through the real endpoints: inviting an address
answers the same whether or not it has an account; the invited person (another company's user here)
keeps working for their own company, accepts or declines on /company; pending invitations expire and
can be sent again; nobody else answers someone's invitation."""

import json
import uuid

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from rma_portal import access
from rma_portal.demo.data import user_creation_unthrottled
from rma_portal.services.company import invitations, members
from rma_portal.tests.http import Browser
from rma_portal.tests.test_company_members import (
	API,
	MADE_USERS,
	PASSWORD,
	add_member,
	make_company,
	make_user,
)
from rma_portal.tests.test_member_rights import cleanup, company_with_administrator


def invite(browser: Browser, email: str, rights=("RM",)):
	data = {"email": email, "first_name": "Invited", "rights": json.dumps(list(rights))}
	return browser.post(API + "company.invite_member", data, csrf=True)


class TestMemberInvitations(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		access.clear_cache()

	def tearDown(self):
		cleanup()

	def test_another_companys_user_is_invited_and_accepts(self):
		customer, owner = company_with_administrator()
		other = make_company()
		colleague, _m = add_member(other, "elsewhere", flags=("RM",))
		new_address = f"fresh-{uuid.uuid4().hex[:8]}@members.example"
		MADE_USERS.append(new_address)
		frappe.db.commit()
		admin = Browser(owner, PASSWORD)
		with user_creation_unthrottled():
			known, fresh = invite(admin, colleague, ("RM", "FI")), invite(admin, new_address)
		self.assertEqual((known.status_code, fresh.status_code), (200, 200), known.get_data(as_text=True))
		# the same answer whether or not the address has an account
		self.assertEqual(set(known.json["message"]), {"invitation", "user"})
		self.assertEqual(set(fresh.json["message"]), {"invitation", "user"})
		frappe.db.rollback()
		self.assertTrue(frappe.db.exists("User", new_address))  # a new address still gets its user
		users_page = admin.get("/company/users").get_data(as_text=True)
		self.assertIn(colleague, users_page)
		self.assertIn(new_address, users_page)
		self.assertEqual(users_page.count("rma-pending-invitation"), 2)
		# not added yet: the colleague still works for their own company, nothing forces a choice
		access.clear_cache()
		self.assertEqual(access.customers_of(colleague), [other])
		invited = Browser(colleague, PASSWORD)
		self.assertEqual(invited.get("/rma").status_code, 200)
		company_page = invited.get("/company").get_data(as_text=True)
		self.assertIn("rma-invitation", company_page)
		name = known.json["message"]["invitation"]
		# nobody else answers it
		self.assertEqual(
			admin.post(API + "company.accept_invitation", {"name": name}, csrf=True).status_code, 404
		)
		accepted = invited.post(API + "company.accept_invitation", {"name": name}, csrf=True)
		self.assertEqual(accepted.status_code, 200, accepted.get_data(as_text=True)[:300])
		frappe.db.rollback()
		access.clear_cache()
		self.assertEqual(access.customers_of(colleague), sorted([customer, other]))
		# and goes on acting for their own company (no switcher forced on them)
		self.assertEqual(invited.get("/rma").status_code, 200)
		self.assertEqual(set(members.flags_of(members.load(customer, colleague))), {"RM", "FI"})
		self.assertEqual(frappe.db.get_value(invitations.INVITATION, name, "status"), "Accepted")
		# the rights were given by the inviter
		self.assertTrue(
			frappe.db.exists(
				members.AUDIT, {"member_user": colleague, "changed_by": owner, "field": "Rights"}
			)
		)
		again = invited.post(API + "company.accept_invitation", {"name": name}, csrf=True)
		self.assertEqual(again.status_code, 417)

	def test_a_staff_address_is_refused_even_when_its_user_is_named_otherwise(self):
		# Administrator's user is named "Administrator", its address is another string
		_customer, owner = company_with_administrator()
		staff_address = frappe.db.get_value("User", "Administrator", "email")
		frappe.db.commit()
		answer = invite(Browser(owner, PASSWORD), staff_address)
		self.assertEqual(answer.status_code, 417, answer.get_data(as_text=True)[:300])
		self.assertIn("staff account", answer.get_data(as_text=True))
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists(invitations.INVITATION, {"email": staff_address}))
		self.assertFalse(frappe.db.exists("User", staff_address))

	def test_declining_adds_nothing(self):
		customer, owner = company_with_administrator()
		person = make_user("decliner")
		frappe.db.commit()
		name = invite(Browser(owner, PASSWORD), person).json["message"]["invitation"]
		invited = Browser(person, PASSWORD)
		# until they answer, their pages say who invited them
		self.assertIn(customer, invited.get(API + "returns.list_rmas").get_data(as_text=True))
		declined = invited.post(API + "company.decline_invitation", {"name": name}, csrf=True)
		self.assertEqual(declined.status_code, 200, declined.get_data(as_text=True)[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(invitations.INVITATION, name, "status"), "Declined")
		self.assertIsNone(members.load(customer, person))
		self.assertEqual(
			invited.post(API + "company.accept_invitation", {"name": name}, csrf=True).status_code, 417
		)
		self.assertIsNone(members.load(customer, person))

	def test_an_invitation_expires_and_is_sent_again(self):
		customer, owner = company_with_administrator()
		stranger_company, stranger_owner = company_with_administrator()
		person = make_user("late")
		frappe.db.commit()
		admin = Browser(owner, PASSWORD)
		name = invite(admin, person).json["message"]["invitation"]
		frappe.db.set_value(invitations.INVITATION, name, "expires_on", add_days(today(), -1))
		invitations.expire_invitations()
		frappe.db.commit()
		self.assertEqual(frappe.db.get_value(invitations.INVITATION, name, "status"), "Expired")
		invited = Browser(person, PASSWORD)
		self.assertNotIn("rma-invitation", invited.get("/company").get_data(as_text=True))
		late = invited.post(API + "company.accept_invitation", {"name": name}, csrf=True)
		self.assertEqual(late.status_code, 417)
		self.assertIn("expired", late.get_data(as_text=True))
		self.assertIn("Expired", admin.get("/company/users").get_data(as_text=True))
		# another company's administrator cannot touch it
		foreign = Browser(stranger_owner, PASSWORD)
		self.assertEqual(
			foreign.post(API + "company.resend_invitation", {"name": name}, csrf=True).status_code, 404
		)
		sent = admin.post(API + "company.resend_invitation", {"name": name}, csrf=True)
		self.assertEqual(sent.status_code, 200, sent.get_data(as_text=True)[:300])
		frappe.db.rollback()
		row = frappe.db.get_value(
			invitations.INVITATION, name, ["status", "expires_on", "times_sent"], as_dict=True
		)
		self.assertEqual(
			(row.status, row.expires_on, row.times_sent),
			("Pending", getdate(add_days(today(), invitations.VALID_DAYS)), 2),
		)
		self.assertEqual(
			invited.post(API + "company.accept_invitation", {"name": name}, csrf=True).status_code, 200
		)
		frappe.db.rollback()
		self.assertEqual(members.flags_of(members.load(customer, person)), ("RM",))
		self.assertNotEqual(stranger_company, customer)
