"""Rights are given only by someone who holds them (SPEC §4), through the real endpoint: a user manager
(US) cannot give themselves anything, gives others only rights they hold and never US; only the
administrator gives US; every change is recorded (who, when, before -> after) and shown to the
administrator on /company/users and to staff as Company Member Change."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal import access
from rma_portal.domain.members import FLAGS
from rma_portal.services.company import authorisations, members
from rma_portal.tests.http import Browser
from rma_portal.tests.test_company_members import (
	API,
	MADE_USERS,
	PASSWORD,
	add_member,
	make_company,
	make_user,
	remove_made_users,
	submitted_authorisation,
)


def company_with_administrator() -> tuple[str, str]:
	customer = make_company(authorised=False)
	owner = make_user("owner")
	authorisations.accept(submitted_authorisation(owner, customer))
	return customer, owner


def cleanup():
	frappe.set_user("Administrator")
	frappe.db.rollback()
	for user in MADE_USERS:
		frappe.db.delete(members.AUDIT, {"member_user": user})
		frappe.db.delete(members.AUDIT, {"changed_by": user})
	remove_made_users()  # the users and their members


def update(browser: Browser, member: str, rights, **values):
	data = {"name": member, "rights": json.dumps(list(rights)), **values}
	return browser.post(API + "company.update_member", data, csrf=True)


class TestMemberRights(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		access.clear_cache()

	def tearDown(self):
		cleanup()

	def test_a_user_manager_cannot_give_themselves_every_right(self):
		customer, _owner = company_with_administrator()
		manager, own = add_member(customer, "selfgrant", flags=("US",))
		frappe.db.commit()
		answer = update(Browser(manager, PASSWORD), own, FLAGS, all_documents="1")
		self.assertEqual(answer.status_code, 403, answer.get_data(as_text=True)[:300])
		self.assertIn("yourself", answer.get_data(as_text=True))
		frappe.db.rollback()
		row = members.load(customer, manager)
		self.assertEqual(members.flags_of(row), ("US",))
		self.assertFalse(row.all_documents)
		self.assertFalse(frappe.db.exists(members.AUDIT, {"member": own, "changed_by": manager}))

	def test_a_user_manager_gives_only_rights_they_hold_and_never_us(self):
		customer, owner = company_with_administrator()
		manager, _m = add_member(customer, "usrm", flags=("US", "RM"))
		clerk, clerk_member = add_member(customer, "clerkrights", flags=())
		frappe.db.commit()
		browser = Browser(manager, PASSWORD)
		for rights, values in ((["RM", "FI"], {}), (["US"], {}), (["RM"], {"all_documents": "1"})):
			answer = update(browser, clerk_member, rights, **values)
			self.assertEqual(answer.status_code, 403, (rights, answer.get_data(as_text=True)[:300]))
		self.assertEqual(update(browser, clerk_member, ["RM"]).status_code, 200)
		# inviting is giving too
		invite = {"email": make_user("invitedfi"), "first_name": "Fi", "rights": json.dumps(["FI"])}
		frappe.db.commit()
		self.assertEqual(browser.post(API + "company.invite_member", invite, csrf=True).status_code, 403)
		frappe.db.rollback()
		self.assertEqual(members.flags_of(members.load(customer, clerk)), ("RM",))
		# the administrator gives US, and every right
		answer = update(Browser(owner, PASSWORD), clerk_member, FLAGS, all_documents="1")
		self.assertEqual(answer.status_code, 200, answer.get_data(as_text=True)[:300])
		frappe.db.rollback()
		self.assertEqual(set(members.flags_of(members.load(customer, clerk))), set(FLAGS))
		# a user manager neither changes the administrator's record nor takes US from another
		owner_member = members.load(customer, owner).name
		self.assertEqual(update(browser, owner_member, ["RM"]).status_code, 403)
		self.assertEqual(update(browser, clerk_member, ["RM"]).status_code, 403)

	def test_every_change_is_recorded_and_shown_to_the_administrator(self):
		customer, owner = company_with_administrator()
		manager, _m = add_member(customer, "auditor", flags=("US", "RM", "FI"))
		clerk, clerk_member = add_member(customer, "audited", flags=("RM",))
		frappe.db.commit()
		answer = update(Browser(manager, PASSWORD), clerk_member, ["RM", "FI"], enabled="0")
		self.assertEqual(answer.status_code, 200, answer.get_data(as_text=True)[:300])
		frappe.db.rollback()
		changes = frappe.get_all(
			members.AUDIT,
			filters={"member": clerk_member, "changed_by": manager},
			fields=["field", "before_value", "after_value", "customer", "changed_on"],
			order_by="field asc",
		)
		self.assertEqual(
			[(c.field, c.before_value, c.after_value) for c in changes],
			[("Enabled", "1", "0"), ("Rights", "RM", "RM, FI")],
		)
		self.assertTrue(all(c.customer == customer and c.changed_on for c in changes))
		# the administrator's acceptance is recorded too
		self.assertTrue(
			frappe.db.exists(
				members.AUDIT, {"member_user": owner, "field": "Administrator", "after_value": "1"}
			)
		)
		page = Browser(owner, PASSWORD).get("/company/users").get_data(as_text=True)
		self.assertIn("rma-member-changes", page)
		self.assertIn("RM, FI", page)
		manager_page = Browser(manager, PASSWORD).get("/company/users").get_data(as_text=True)
		self.assertNotIn("rma-member-changes", manager_page)
		# staff changing a member in the desk is recorded with their name
		frappe.set_user("Administrator")
		doc = frappe.get_doc(members.MEMBER, clerk_member)
		doc.flag_ad = 1
		doc.save()
		self.assertTrue(
			frappe.db.exists(
				members.AUDIT,
				{"member": clerk_member, "changed_by": "Administrator", "after_value": "RM, FI, AD"},
			)
		)
		self.assertEqual(members.load(customer, clerk).name, clerk_member)
