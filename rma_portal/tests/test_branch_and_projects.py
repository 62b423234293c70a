"""BR and PRO guard what they promise (SPEC §4), through the real endpoints. BR: only a member with BR
may choose pickup at our branch on a quote request, and the Customer's persons authorised to collect
are exactly its enabled BR members. PRO: sees all of the company's projects and adds or removes its
members as Project Users; the others see only the projects they are a Project User of; a member given
PRO follows the open projects, and new projects start with the PRO members."""

import json
import uuid

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal import access
from rma_portal.services.company import members
from rma_portal.tests.http import Browser
from rma_portal.tests.test_company_members import API, PASSWORD, add_member, make_company
from rma_portal.tests.test_member_rights import cleanup


def collectors(customer: str) -> list[str]:
	text = frappe.db.get_value("Customer", customer, "rma_authorised_collectors") or ""
	return sorted(line.rsplit("(", 1)[-1].rstrip(")") for line in text.splitlines())


def make_project(customer: str, users=()) -> str:
	project = frappe.get_doc(
		{
			"doctype": "Project",
			"project_name": f"Members project {uuid.uuid4().hex[:8]}",
			"customer": customer,
			"company": frappe.db.get_value("Company", {}),
			"status": "Open",
			"users": [{"user": user} for user in users],
		}
	)
	project.insert(ignore_permissions=True)
	return project.name


def listed(browser: Browser) -> set[str]:
	answer = browser.get(API + "projects.list_projects")
	assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
	return {row["name"] for row in answer.json["message"]["rows"]}


class TestBranchAndProjects(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		access.clear_cache()

	def tearDown(self):
		frappe.db.rollback()
		for name in frappe.get_all(
			"Project", filters={"project_name": ["like", "Members project %"]}, pluck="name"
		):
			frappe.delete_doc("Project", name, force=True, ignore_permissions=True)
		frappe.db.commit()
		cleanup()

	def test_only_br_members_choose_pickup(self):
		customer = make_company()
		clerk, _m = add_member(customer, "nobr", flags=("RM",))
		collector, _m = add_member(customer, "withbr", flags=("RM", "BR"))
		frappe.db.commit()
		item = frappe.db.get_value("Item", {"is_sales_item": 1, "disabled": 0, "has_variants": 0}, "name")
		request = {
			"lines": json.dumps([{"item_code": item, "qty": 1}]),
			"delivery_option": "Pickup",
			"remarks": "BR test",
		}
		clerk_b, collector_b = Browser(clerk, PASSWORD), Browser(collector, PASSWORD)
		form = clerk_b.get("/portal/quotes/new").get_data(as_text=True)
		self.assertNotIn('value="Pickup"', form)
		self.assertIn("cp-pickup-needs-br", form)
		self.assertIn('value="Pickup"', collector_b.get("/portal/quotes/new").get_data(as_text=True))
		refused = clerk_b.post(
			API + "quote_requests.send_request", {**request, "request_key": uuid.uuid4().hex}, csrf=True
		)
		self.assertEqual(refused.status_code, 403, refused.get_data(as_text=True)[:300])
		self.assertIn("BR", refused.get_data(as_text=True))
		sent = collector_b.post(
			API + "quote_requests.send_request", {**request, "request_key": uuid.uuid4().hex}, csrf=True
		)
		self.assertEqual(sent.status_code, 200, sent.get_data(as_text=True)[:300])
		frappe.db.rollback()
		doctype, name = sent.json["message"]["doctype"], sent.json["message"]["name"]
		self.assertEqual(frappe.db.get_value(doctype, name, "portal_delivery_option"), "Pickup")
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def test_persons_authorised_to_collect_are_the_enabled_br_members(self):
		customer = make_company()
		first, first_member = add_member(customer, "collectone", flags=("BR",))
		second, second_member = add_member(customer, "collecttwo", flags=("BR", "RM"))
		add_member(customer, "notcollecting", flags=("RM",))
		self.assertEqual(collectors(customer), sorted([first, second]))
		doc = frappe.get_doc(members.MEMBER, second_member)
		doc.enabled = 0
		doc.save(ignore_permissions=True)
		self.assertEqual(collectors(customer), [first])
		doc = frappe.get_doc(members.MEMBER, first_member)
		doc.flag_br = 0
		doc.save(ignore_permissions=True)
		self.assertEqual(collectors(customer), [])
		doc.flag_br = 1
		doc.save(ignore_permissions=True)
		self.assertIn(
			frappe.utils.get_fullname(first),
			frappe.db.get_value("Customer", customer, "rma_authorised_collectors"),
		)

	def test_pro_sees_all_projects_and_manages_project_users(self):
		customer = make_company()
		lead, _m = add_member(customer, "prolead", flags=("PRO",))
		follower, _m = add_member(customer, "follower", flags=("RM",))
		outsider, _m = add_member(customer, "notfollowing", flags=("RM",))
		stranger, _m = add_member(make_company(), "stranger", flags=("RM",))
		followed, unfollowed = make_project(customer, users=[follower]), make_project(customer)
		frappe.db.commit()
		lead_b, follower_b, outsider_b = (Browser(u, PASSWORD) for u in (lead, follower, outsider))
		self.assertTrue({followed, unfollowed} <= listed(lead_b))
		self.assertEqual(listed(follower_b), {followed})
		self.assertEqual(listed(outsider_b), set())
		self.assertEqual(outsider_b.get(API + "projects.get_project", name=followed).status_code, 404)
		self.assertEqual(follower_b.get(API + "projects.get_project", name=followed).status_code, 200)
		# only PRO adds or removes, and only the company's members
		add = {"name": unfollowed, "user": outsider}
		self.assertEqual(follower_b.post(API + "projects.add_project_user", add, csrf=True).status_code, 403)
		foreign = {"name": unfollowed, "user": stranger}
		self.assertEqual(lead_b.post(API + "projects.add_project_user", foreign, csrf=True).status_code, 404)
		self.assertEqual(lead_b.post(API + "projects.add_project_user", add, csrf=True).status_code, 200)
		self.assertEqual(listed(outsider_b), {unfollowed})
		page = lead_b.get("/portal/projects/view", name=unfollowed).get_data(as_text=True)
		self.assertIn("cp-add-project-user", page)
		self.assertIn(outsider, page)
		self.assertEqual(lead_b.post(API + "projects.remove_project_user", add, csrf=True).status_code, 200)
		self.assertEqual(listed(outsider_b), set())
		self.assertNotIn(
			"cp-add-project-user",
			follower_b.get("/portal/projects/view", name=followed).get_data(as_text=True),
		)

	def test_pro_members_follow_the_projects(self):
		customer = make_company()
		existing = make_project(customer)
		lead, lead_member = add_member(customer, "newpro", flags=("RM",))
		self.assertNotIn(lead, frappe.get_all("Project User", filters={"parent": existing}, pluck="user"))
		doc = frappe.get_doc(members.MEMBER, lead_member)
		doc.flag_pro = 1
		doc.save(ignore_permissions=True)
		self.assertIn(lead, frappe.get_all("Project User", filters={"parent": existing}, pluck="user"))
		later = make_project(customer)
		self.assertEqual(frappe.get_all("Project User", filters={"parent": later}, pluck="user"), [lead])
