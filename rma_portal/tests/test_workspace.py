"""The desk's RMA Portal workspace as staff get it: Frappe's own build of the page (desktop.
get_desktop_page, the user's permissions applied) for a user with the RMA Manager role only. The
returns policy is one card (approval rules, fee rules, the credit-hold settings and the per-customer
lifts), the review queue and the SLA report are shortcuts, and each card break counts its links."""

import json

import frappe
from frappe.desk.desktop import get_desktop_page
from frappe.tests.utils import FrappeTestCase

WORKSPACE = "RMA Portal"
POLICY = ["RMA Approval Rule", "RMA Fee Rule", "RMA Credit Hold Settings", "RMA Credit Hold Lift"]


class TestWorkspace(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.manager = f"workspace-{frappe.generate_hash(length=8)}@example.com"
		user = frappe.get_doc(
			{"doctype": "User", "email": cls.manager, "first_name": "Workspace", "send_welcome_email": 0}
		)
		user.append("roles", {"role": "RMA Manager"})
		user.insert(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")

	def page(self) -> dict:
		frappe.set_user(self.manager)
		return get_desktop_page(json.dumps({"name": WORKSPACE, "title": WORKSPACE, "public": 1}))

	def test_the_returns_policy_card_for_an_rma_manager(self):
		cards = {card["label"]: card for card in self.page()["cards"]["items"]}
		self.assertEqual([link["link_to"] for link in cards["Returns Policy"]["links"]], POLICY)
		self.assertNotIn("RMA Approval Rule", [link["link_to"] for link in cards["Returns"]["links"]])
		# the settings are a Single (one form); the lifts a list, one record per customer and date
		self.assertTrue(frappe.get_meta("RMA Credit Hold Settings").issingle)
		self.assertFalse(frappe.get_meta("RMA Credit Hold Lift").issingle)
		self.assertTrue(frappe.get_meta("RMA Credit Hold Lift").has_field("lifted_until"))

	def test_the_review_queue_and_the_sla_report_are_shortcuts(self):
		shortcuts = {item["label"]: item for item in self.page()["shortcuts"]["items"]}
		queue = shortcuts["Awaiting Approval"]
		self.assertEqual((queue["type"], queue["link_to"]), ("DocType", "RMA"))
		self.assertEqual(json.loads(queue["stats_filter"]), {"status": "Requested"})
		self.assertEqual(
			(shortcuts["RMA SLA"]["type"], shortcuts["RMA SLA"]["link_to"]), ("Report", "RMA SLA")
		)

	def test_each_card_counts_its_links_and_every_link_exists(self):
		doc = frappe.get_doc("Workspace", WORKSPACE)
		cards, card = {}, None
		for link in doc.links:
			if link.type == "Card Break":
				card = link
				cards[card.label] = [card.link_count, 0]
				continue
			cards[card.label][1] += 1
			self.assertTrue(frappe.db.exists(link.link_type, link.link_to), link.link_to)
		self.assertEqual(
			{label: counts[1] for label, counts in cards.items()}, {l: c[0] for l, c in cards.items()}
		)
		blocks = [
			block["data"].get("card_name") for block in json.loads(doc.content) if block["type"] == "card"
		]
		self.assertEqual(sorted(blocks), sorted(cards))
