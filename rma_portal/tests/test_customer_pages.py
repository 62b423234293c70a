"""The customer's shipments, tickets, projects, contracts, shared files and quote requests (SPEC §5):
each page and method shows the caller's customer's rows only, another customer's documents, files and
PDFs are refused (404, like a document that does not exist), ticket attachments are private, a quote
request makes exactly one ERPNext record, and each list costs the same few queries at any size.

Requests go through Frappe's whole WSGI path (rma_portal.tests.http) as the demo portal users.
"""

import io
import json
import uuid

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from rma_portal.api import contracts as contracts_api
from rma_portal.api import projects as projects_api
from rma_portal.api import quote_requests as quotes_api
from rma_portal.api import shared_files as files_api
from rma_portal.api import shipments as shipments_api
from rma_portal.api import tickets as tickets_api
from rma_portal.demo.customer_pages import PDF, make_customer_pages_demo
from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD, ITEMS
from rma_portal.services.portal import quote_requests
from rma_portal.tests.http import Browser
from rma_portal.tests.records import count_queries, queries_asked

DEALER, SECOND = (CUSTOMERS[name][0] for name in ("Demo Dealer", "Second Dealer"))
API = "/api/method/rma_portal.api."
MAX_QUERIES = 30


def company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {})


class CustomerPagesCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.demo = make_customer_pages_demo(list(CUSTOMERS), company())
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")

	def as_user(self, user):
		frappe.set_user(user)
		frappe.local.rma_portal_customers = {}

	def assertOk(self, response):
		body = response.get_data()[:500].decode(errors="replace")
		self.assertEqual(response.status_code, 200, body)
		return response

	def assertRefused(self, response):
		body = response.get_data(as_text=True)
		self.assertIn(response.status_code, (403, 404), body[:300])
		self.assertNotIn("Traceback", body)
		return body


class TestShipments(CustomerPagesCase):
	def test_only_the_customers_delivery_notes_with_their_tracking(self):
		self.as_user(DEALER)
		result = shipments_api.list_shipments(page=1)
		names = [row["name"] for row in result["rows"]]
		self.assertTrue(names)
		customers = set(frappe.get_all("Delivery Note", filters={"name": ("in", names)}, pluck="customer"))
		self.assertEqual(customers, {"Demo Dealer"})
		self.assertEqual(
			result["total"],
			frappe.db.count("Delivery Note", {"customer": "Demo Dealer", "docstatus": 1, "is_return": 0}),
		)
		booked, receipt = self.demo["shipments"][:2]
		rows = {row["name"]: row for row in result["rows"]}
		self.assertEqual(rows[booked]["tracking_no"], "JVGL0599912345678")
		self.assertTrue(rows[booked]["tracking_url"].startswith("https://"))
		self.assertEqual(rows[booked]["status"], "In Progress")
		self.assertEqual(rows[receipt]["tracking_no"], "VDB-2026-0412")
		self.assertEqual(rows[receipt]["carrier"], "Van der Berg Transport")
		self.assertIsNone(rows[receipt]["tracking_url"])
		# found by the AWB number
		found = shipments_api.list_shipments(search="JVGL0599912345678")
		self.assertEqual([row["name"] for row in found["rows"]], [booked])

	def test_the_count_is_kept_and_follows_each_change(self):
		"""Unsearched, the count of the customer's delivery notes is kept between changes of them
		(query.kept, keyed by their newest `modified`): a second view does not count them again, and
		a delivery note cancelled is counted out at once."""
		self.as_user(DEALER)
		first = shipments_api.list_shipments(page=1)
		with queries_asked() as asked:
			again = shipments_api.list_shipments(page=1)
		self.assertEqual(again["total"], first["total"])
		self.assertFalse([query for query in asked if "count(*)" in query], asked)
		frappe.set_user("Administrator")
		try:  # the state a cancel leaves, `modified` set as Frappe sets it
			frappe.db.set_value("Delivery Note", first["rows"][-1]["name"], "docstatus", 2)
			self.as_user(DEALER)
			self.assertEqual(shipments_api.list_shipments(page=1)["total"], first["total"] - 1)
		finally:
			frappe.db.rollback()
		self.as_user(DEALER)
		self.assertEqual(shipments_api.list_shipments(page=1)["total"], first["total"])

	def test_a_tracking_url_that_is_not_a_web_link_is_not_a_link(self):
		from rma_portal.services.portal.shipments import is_web_link

		self.assertTrue(is_web_link("https://track.example/1"))
		for url in ("javascript:alert(1)", " data:text/html,x", "", None, "//evil.example"):
			self.assertFalse(is_web_link(url))

	def test_delivery_note_pdf_only_for_its_customer(self):
		booked = self.demo["shipments"][0]
		dealer, second = Browser(DEALER, DEMO_PASSWORD), Browser(SECOND, DEMO_PASSWORD)
		response = self.assertOk(dealer.get(API + "shipments.download", name=booked))
		self.assertTrue(response.data.startswith(b"%PDF"))
		self.assertRefused(second.get(API + "shipments.download", name=booked))
		self.assertRefused(Browser().get(API + "shipments.download", name=booked))
		page = self.assertOk(second.get("/portal/shipments", search=booked)).get_data(as_text=True)
		self.assertNotIn(f'data-name="{booked}"', page)
		self.assertIn(f'data-name="{booked}"', dealer.get("/portal/shipments").get_data(as_text=True))


class TestTickets(CustomerPagesCase):
	def open_ticket(self, browser, subject, files=(), message="Please help."):
		data = {"subject": subject, "message": message}
		if files:
			data["files"] = [(io.BytesIO(content), name) for name, content in files]
		return browser.post(API + "tickets.open_ticket", data, csrf=True)

	def test_open_a_ticket_with_a_private_attachment_and_reply(self):
		dealer, second = Browser(DEALER, DEMO_PASSWORD), Browser(SECOND, DEMO_PASSWORD)
		subject = f"Broken lid {uuid.uuid4().hex[:8]}"
		response = self.open_ticket(
			dealer, subject, [("lid.pdf", PDF)], message="The <b>lid</b> broke.\n<img src=x onerror=1>"
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])
		name = response.json["message"]["name"]
		frappe.db.rollback()  # a fresh snapshot: the request committed in its own connection
		issue = frappe.db.get_value("Issue", name, ["customer", "raised_by", "description"], as_dict=True)
		self.assertEqual(issue.customer, "Demo Dealer")
		self.assertEqual(issue.raised_by, DEALER)
		self.assertNotIn("<img", issue.description)
		self.assertNotIn("<b>", issue.description)
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Issue", "attached_to_name": name},
			fields=["name", "is_private", "file_url"],
		)
		self.assertEqual(len(files), 1)
		self.assertEqual(files[0].is_private, 1)
		self.assertTrue(files[0].file_url.startswith("/private/files/"))
		# the file through the app, for its customer only; the raw URL stays closed to others
		got = dealer.get(API + "tickets.download", name=name, file=files[0].name)
		self.assertEqual(got.status_code, 200)
		self.assertEqual(got.data, PDF)
		self.assertRefused(second.get(API + "tickets.download", name=name, file=files[0].name))
		self.assertRefused(second.get(files[0].file_url))
		self.assertRefused(second.get(API + "tickets.get_ticket", name=name))
		self.assertRefused(second.get("/portal/tickets/view", name=name))
		self.assertNotIn(subject, second.get(API + "tickets.list_tickets").get_data(as_text=True))
		# a reply with another file
		response = dealer.post(
			API + "tickets.reply",
			{"name": name, "message": "Any news?", "files": [(io.BytesIO(PDF), "second.pdf")]},
			csrf=True,
		)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])
		ticket = dealer.get(API + "tickets.get_ticket", name=name).json["message"]
		self.assertEqual([m["text"] for m in ticket["messages"]][-1], "Any news?")
		self.assertIn("The lid broke.", ticket["messages"][0]["text"])  # markup stripped: plain text
		self.assertEqual(sorted(f["file_name"] for f in ticket["files"]), ["lid.pdf", "second.pdf"])
		page = dealer.get("/portal/tickets/view", name=name).get_data(as_text=True)
		self.assertIn("The lid broke.", page)
		self.assertNotIn("<img src=x", page)
		# another customer cannot reply to it
		self.assertRefused(second.post(API + "tickets.reply", {"name": name, "message": "x"}, csrf=True))

	def test_attachments_are_checked_and_fields_named(self):
		dealer = Browser(DEALER, DEMO_PASSWORD)
		frappe.db.rollback()
		before = frappe.db.count("Issue", {"customer": "Demo Dealer"})
		response = self.open_ticket(dealer, "x", [("virus.pdf", b"MZ\x90\x00 not a pdf")])
		self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:300])
		self.assertIn("virus.pdf", response.get_data(as_text=True))
		response = self.open_ticket(dealer, "x", [("page.html", b"<script>alert(1)</script>")])
		self.assertEqual(response.status_code, 417)
		response = self.open_ticket(dealer, "", message="")
		body = response.get_data(as_text=True)
		self.assertEqual(response.status_code, 417)
		self.assertIn("Subject", body)
		self.assertIn("Message", body)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Issue", {"customer": "Demo Dealer"}), before)

	def test_a_staff_reply_shows_the_ticket_answered(self):
		from rma_portal.services.portal import tickets

		frappe.set_user("Administrator")
		issue = frappe.get_doc(
			{"doctype": "Issue", "subject": "Is it answered?", "customer": "Demo Dealer", "raised_by": DEALER}
		).insert(ignore_permissions=True)
		self.assertEqual(issue.status, "Open")
		# staff answer from the Issue in the desk: an e-mail sent from it
		frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": "Re: Is it answered?",
				"content": "Here is our answer.",
				"reference_doctype": "Issue",
				"reference_name": issue.name,
			}
		).insert(ignore_permissions=True)
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "status"), "Replied")
		self.as_user(DEALER)
		row = next(r for r in tickets_api.list_tickets()["rows"] if r["name"] == issue.name)
		self.assertEqual((row["status"], row["status_label"]), ("Replied", "Answered"))
		self.assertEqual(tickets.get_ticket("Demo Dealer", issue.name).status_label, "Answered")
		# the dealer writes back: staff have the next move again
		tickets.reply("Demo Dealer", DEALER, issue.name, "Thank you, one more question.")
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "status"), "Open")
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_the_demo_ticket_shows_staff_answers(self):
		self.as_user(DEALER)
		ticket = tickets_api.get_ticket(self.demo["ticket"])
		self.assertTrue(any(m["from_staff"] for m in ticket["messages"]))
		self.assertEqual([f["file_name"] for f in ticket["files"]], ["battery-label.pdf"])
		self.as_user(SECOND)
		self.assertRaises(frappe.DoesNotExistError, tickets_api.get_ticket, self.demo["ticket"])


class TestProjects(CustomerPagesCase):
	def test_projects_tasks_and_gantt_of_the_customer_only(self):
		self.as_user(DEALER)
		rows = projects_api.list_projects()["rows"]
		self.assertIn(self.demo["project"], [row["name"] for row in rows])
		self.assertEqual(
			set(
				frappe.get_all(
					"Project", filters={"name": ("in", [r["name"] for r in rows])}, pluck="customer"
				)
			),
			{"Demo Dealer"},
		)
		project = projects_api.get_project(self.demo["project"])
		self.assertEqual(len(project["tasks"]), 6)
		self.assertTrue(0 < project["percent_complete"] < 100)
		self.assertEqual(len(project["gantt"]), 6)
		self.assertTrue(all(bar["start"] <= bar["end"] for bar in project["gantt"]))
		self.assertTrue(any(bar["dependencies"] for bar in project["gantt"]))
		self.assertNotIn("description", project["tasks"][0])  # staff notes stay in the desk
		self.as_user(SECOND)
		self.assertEqual(projects_api.list_projects()["rows"], [])
		self.assertRaises(frappe.DoesNotExistError, projects_api.get_project, self.demo["project"])
		self.assertRefused(
			Browser(SECOND, DEMO_PASSWORD).get("/portal/projects/view", name=self.demo["project"])
		)

	def test_a_task_subject_is_escaped_for_the_chart(self):
		from rma_portal.services.portal.projects import gantt_tasks

		bars = gantt_tasks(
			[
				{
					"name": "T1",
					"subject": "<img src=x onerror=alert(1)>",
					"exp_start_date": today(),
					"status": "Open",
				}
			]
		)
		self.assertNotIn("<img", bars[0]["name"])
		self.assertEqual(bars[0]["title"], "<img src=x onerror=alert(1)>")  # for textContent


class TestContracts(CustomerPagesCase):
	def test_contracts_and_their_pdf_for_the_customer_only(self):
		contract = self.demo["contract"]
		self.as_user(DEALER)
		rows = contracts_api.list_contracts()["rows"]
		self.assertEqual([row["name"] for row in rows if row["name"] == contract], [contract])
		row = next(row for row in rows if row["name"] == contract)
		self.assertEqual(row["status"], "Active")
		self.assertIn("30 days after the invoice date", row["terms"])
		self.assertNotIn("<p>", row["terms"])
		self.as_user(SECOND)
		self.assertEqual(contracts_api.list_contracts()["rows"], [])
		dealer, second = Browser(DEALER, DEMO_PASSWORD), Browser(SECOND, DEMO_PASSWORD)
		response = self.assertOk(dealer.get(API + "contracts.download", name=contract))
		self.assertTrue(response.data.startswith(b"%PDF"))
		self.assertRefused(second.get(API + "contracts.download", name=contract))
		self.assertRefused(Browser().get(API + "contracts.download", name=contract))
		# the print view itself stays closed to portal users
		self.assertRefused(second.get("/printview", doctype="Contract", name=contract))


class TestSharedFiles(CustomerPagesCase):
	def test_only_files_shared_with_the_customer_and_only_for_its_users(self):
		shared, internal = self.demo["files"]
		self.as_user(DEALER)
		names = [row["name"] for row in files_api.list_files()["rows"]]
		self.assertIn(shared, names)
		self.assertNotIn(internal, names)
		self.as_user(SECOND)
		self.assertEqual(files_api.list_files()["rows"], [])
		dealer, second = Browser(DEALER, DEMO_PASSWORD), Browser(SECOND, DEMO_PASSWORD)
		response = dealer.get(API + "shared_files.download", file=shared)
		self.assertEqual(response.status_code, 200)
		self.assertEqual(response.data, frappe.get_doc("File", shared).get_content())
		self.assertTrue(response.data.startswith(b"%PDF-"))  # the demo's price list is a real PDF
		self.assertRefused(dealer.get(API + "shared_files.download", file=internal))
		self.assertRefused(second.get(API + "shared_files.download", file=shared))
		self.assertRefused(second.get(frappe.db.get_value("File", shared, "file_url")))
		self.assertRefused(Browser().get(API + "shared_files.download", file=shared))


class TestQuoteRequests(CustomerPagesCase):
	def request(self, browser, key, lines, delivery="Delivery", address=None, remarks="Before Friday"):
		data = {
			"request_key": key,
			"lines": json.dumps(lines),
			"delivery_option": delivery,
			"remarks": remarks,
		}
		if address:
			data["address"] = address
		return browser.post(API + "quote_requests.send_request", data, csrf=True)

	def dealer_address(self):
		return self.demo["Demo Dealer"]["addresses"][0]

	def test_a_request_makes_exactly_one_opportunity(self):
		dealer = Browser(DEALER, DEMO_PASSWORD)
		key = uuid.uuid4().hex
		lines = [{"item_code": ITEMS[0][0], "qty": "3"}, {"item_code": ITEMS[5][0], "qty": "12"}]
		first = self.request(dealer, key, lines, address=self.dealer_address())
		self.assertEqual(first.status_code, 200, first.get_data(as_text=True)[:500])
		again = self.request(dealer, key, lines, address=self.dealer_address())
		frappe.db.rollback()
		self.assertEqual(again.json["message"]["name"], first.json["message"]["name"])
		self.assertFalse(again.json["message"]["created"])
		made = frappe.get_all(
			"Opportunity",
			filters={"portal_request_key": key},
			fields=["name", "party_name", "customer_address"],
		)
		self.assertEqual(len(made), 1)
		self.assertEqual(made[0].party_name, "Demo Dealer")
		self.assertEqual(made[0].customer_address, self.dealer_address())
		opportunity = frappe.get_doc("Opportunity", made[0].name)
		self.assertEqual(
			[(i.item_code, i.qty) for i in opportunity.items], [(ITEMS[0][0], 3), (ITEMS[5][0], 12)]
		)
		self.assertEqual(opportunity.portal_remarks, "Before Friday")
		# the customer sees it; the other customer does not
		listed = dealer.get(API + "quote_requests.list_requests").json["message"]["rows"]
		row = next(r for r in listed if r["name"] == opportunity.name)
		self.assertEqual(row["status"], "Requested")
		self.assertEqual(len(row["items"]), 2)
		# the supervisor rule: only the requests of the users the access point names
		mine = quote_requests.list_requests("Demo Dealer", raised_by=[DEALER], page_size=100)["rows"]
		self.assertIn(opportunity.name, [r["name"] for r in mine])
		self.assertEqual(quote_requests.list_requests("Demo Dealer", raised_by=[])["rows"], [])
		second = Browser(SECOND, DEMO_PASSWORD)
		other = second.get(API + "quote_requests.list_requests").json["message"]["rows"]
		self.assertNotIn(opportunity.name, [r["name"] for r in other])
		# staff quote from it with ERPNext's own mapping; the customer sees the quotation
		from erpnext.crm.doctype.opportunity.opportunity import make_quotation

		quotation = make_quotation(opportunity.name)
		for item in quotation.items:
			item.rate = 10
		quotation.valid_till = add_days(today(), 30)
		quotation.insert()
		quotation.submit()
		self.assertFalse(quotation.get("portal_request_key"))  # the key stays on the request
		frappe.db.commit()
		listed = dealer.get(API + "quote_requests.list_requests").json["message"]["rows"]
		row = next(r for r in listed if r["name"] == opportunity.name)
		self.assertEqual(row["quotation"], quotation.name)
		self.assertEqual(row["status"], "Quoted")
		self.assertEqual(len([r for r in listed if r["name"] == quotation.name]), 0)

	def test_a_draft_quotation_when_the_settings_say_so(self):
		if not quote_requests.has_setting():
			self.skipTest("Customer Portal Settings has no quote_request_creates field on this site")
		frappe.db.set_single_value("Customer Portal Settings", "quote_request_creates", "Draft Quotation")
		frappe.db.commit()
		try:
			dealer = Browser(DEALER, DEMO_PASSWORD)
			key = uuid.uuid4().hex
			lines = [{"item_code": ITEMS[2][0], "qty": 4}]
			first = self.request(dealer, key, lines, delivery="Pickup")
			self.assertEqual(first.status_code, 200, first.get_data(as_text=True)[:500])
			self.request(dealer, key, lines, delivery="Pickup")
			frappe.db.rollback()
			made = frappe.get_all(
				"Quotation", filters={"portal_request_key": key}, fields=["name", "docstatus"]
			)
			self.assertEqual(len(made), 1)
			self.assertEqual(made[0].docstatus, 0)
			self.assertFalse(frappe.db.exists("Opportunity", {"portal_request_key": key}))
		finally:
			frappe.db.set_single_value("Customer Portal Settings", "quote_request_creates", "Opportunity")
			frappe.db.commit()

	def test_wrong_requests_are_refused_naming_the_field(self):
		dealer = Browser(DEALER, DEMO_PASSWORD)
		other_address = self.demo["Second Dealer"]["addresses"][0]
		cases = [
			([], "Delivery", self.dealer_address(), "Items"),
			([{"item_code": "NO-SUCH-ITEM", "qty": 1}], "Delivery", self.dealer_address(), "Line 1"),
			([{"item_code": ITEMS[0][0], "qty": "-2"}], "Delivery", self.dealer_address(), "Line 1"),
			([{"item_code": ITEMS[0][0], "qty": "nan"}], "Delivery", self.dealer_address(), "Line 1"),
			([{"item_code": ITEMS[0][0], "qty": "2,5"}], "Delivery", self.dealer_address(), "whole numbers"),
			([{"item_code": ITEMS[0][0], "qty": 1}], "Delivery", other_address, "Delivery address"),
			([{"item_code": ITEMS[0][0], "qty": 1}], "Teleport", None, "Delivery"),
		]
		frappe.db.rollback()
		for lines, delivery, address, field in cases:
			key = uuid.uuid4().hex
			response = self.request(dealer, key, lines, delivery=delivery, address=address)
			body = response.get_data(as_text=True)
			self.assertEqual(response.status_code, 417, body[:300])
			self.assertIn(field, body)
			self.assertNotIn(other_address, body.replace(f"{other_address} is not one of your", ""))
			frappe.db.rollback()
			self.assertFalse(quote_requests.existing("Demo Dealer", key))
		response = dealer.post(API + "quote_requests.send_request", {"lines": "{not json"}, csrf=True)
		self.assertEqual(response.status_code, 417)

	def test_items_found_by_code_name_or_ean(self):
		self.as_user(DEALER)
		code = ITEMS[1][0]
		barcode = frappe.db.get_value("Item Barcode", {"parent": code}, "barcode")
		self.assertEqual(quotes_api.search_items(code)[0]["item_code"], code)
		self.assertIn(code, [r["item_code"] for r in quotes_api.search_items("angle grinder")])
		if barcode:
			self.assertEqual(quotes_api.search_items(barcode)[0]["item_code"], code)
		self.assertEqual(quotes_api.search_items("x"), [])
		options = quotes_api.get_form_options()
		self.assertEqual(
			{a["name"] for a in options["addresses"]}, set(self.demo["Demo Dealer"]["addresses"])
		)


class TestListQueryCounts(CustomerPagesCase):
	"""Every list costs the same number of queries with a few rows as with several pages of them."""

	LISTS = (
		("shipments", lambda: shipments_api.list_shipments(page=1)),
		("tickets", lambda: tickets_api.list_tickets(page=1)),
		("projects", lambda: projects_api.list_projects(page=1)),
		("contracts", lambda: contracts_api.list_contracts(page=1)),
		("files", lambda: files_api.list_files(page=1)),
		("quote requests", lambda: quotes_api.list_requests(page=1)),
	)

	def count(self, call) -> int:
		return count_queries(call)

	def counts(self) -> dict:
		self.as_user(DEALER)
		out = {}
		for label, call in self.LISTS:
			call()  # caches (access, meta) warm, as after the first request
			out[label] = self.count(call)
		frappe.set_user("Administrator")
		return out

	def add_rows(self, n: int):
		"""n more tickets, projects, contracts, shared files and quote requests for the dealer (the
		delivery notes are many already)."""
		for i in range(n):
			frappe.get_doc(
				{"doctype": "Issue", "subject": f"Load {i}", "customer": "Demo Dealer", "raised_by": DEALER}
			).insert(ignore_permissions=True)
			project = frappe.get_doc(
				{
					"doctype": "Project",
					"project_name": f"Load {i} {uuid.uuid4().hex[:6]}",
					"customer": "Demo Dealer",
				}
			).insert(ignore_permissions=True)
			frappe.get_doc(
				{"doctype": "Task", "subject": "Load", "project": project.name, "exp_start_date": today()}
			).insert(ignore_permissions=True)
			contract = frappe.get_doc(
				{
					"doctype": "Contract",
					"party_type": "Customer",
					"party_name": "Demo Dealer",
					"start_date": today(),
					"contract_terms": "Load",
				}
			).insert(ignore_permissions=True)
			contract.submit()
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"load-{i}.pdf",
					"content": PDF,
					"is_private": 1,
					"attached_to_doctype": "Customer",
					"attached_to_name": "Demo Dealer",
					"portal_shared": 1,
				}
			).insert(ignore_permissions=True)
			frappe.get_doc(
				{
					"doctype": "Opportunity",
					"opportunity_from": "Customer",
					"party_name": "Demo Dealer",
					"portal_request_key": uuid.uuid4().hex,
					"items": [{"item_code": ITEMS[i % len(ITEMS)][0], "qty": 1, "rate": 1}],
				}
			).insert(ignore_permissions=True)

	def test_same_query_count_at_small_and_larger_data(self):
		small = self.counts()
		self.add_rows(45)  # more than two pages of each list
		larger = self.counts()
		self.assertEqual(small, larger)
		for label, count in larger.items():
			self.assertLessEqual(count, MAX_QUERIES, label)
		frappe.db.rollback()
