"""One read boundary over ERPNext's and Frappe's generic routes and methods (overrides/portal_reads.py).

A portal user who is a member of two customers (the demo's Demo Dealer and Second Dealer) reads,
through every route and method Frappe and ERPNext offer a Website User — ERPNext's list pages and
their pages of one document, Frappe's list pages, frappe.www.list.get and get_list_data, /printview,
download_pdf, "/<DocType>/<name>", /api/resource and /api/v2 — only the documents of the customer
chosen on /company, and only with the right of the app's own page of those documents; the other
customer's documents never. The DocTypes are enumerated from the site (ERPNext's and Frappe's route
rules, website permission hooks, list pages, web forms and what a Website User's roles may read),
so a DocType someone makes reachable later fails here until the boundary covers it.

Requests go through Frappe's whole WSGI path as the logged-in user (rma_portal.tests.http).
"""

import json
import uuid

import frappe
from frappe.modules import load_doctype_module
from frappe.tests.utils import FrappeTestCase

from rma_portal.demo import catalogue
from rma_portal.domain import members as rules
from rma_portal.domain import portal_doctypes
from rma_portal.services.company import members
from rma_portal.tests.http import Browser

PASSWORD = "Boundary#2026x"
CUSTOMERS = ("Demo Dealer", "Second Dealer")
API = "/api/method/"
PRINT_ROLES = ("Customer", "All", "Guest")  # the roles a customer's portal user has

# Reachable DocTypes that hold no customer's documents or only the user's own records, each with why
# it is outside the company boundary. A DocType found reachable that is in neither this list nor the
# boundary (domain/portal_doctypes.py) fails test_every_reachable_doctype_is_covered.
OUTSIDE_THE_BOUNDARY = {
	"Communication": "the user's own e-mails (role permission only if the owner)",
	"File": "Frappe's own check: a file is read through its document's permission",
	"ToDo": "Frappe's query conditions: the user's own tasks",
	"Event": "Frappe's query conditions: public events and the user's own",
	"Notification Log": "Frappe's query conditions: the user's own notifications",
	"Personal Data Download Request": "the user's own request",
	"Token Cache": "the user's own tokens",
	"Video": "the user's own",
	"RMA": "the app's own website permission (access.has_rma_permission)",
	"Customer Warranty Claim": "the app's own website permission",
	"Newsletter": "public newsletters",
	"Blog Post": "public web pages",
	"Help Article": "public web pages",
	"BOM": "published BOMs (website generator), no customer",
	"Sales Partner": "published partner pages, no customer",
	"Lead": "a web form for guests: no list or page of existing records to portal users",
	"Job Opening": "public web pages",
}

# ERPNext's list page (website route) and page of one document of each DocType, from its route rules
# and web forms (enumerated in setUpClass); Frappe's generic ones come on top.
DETAIL_PAGES = {"Project": "/projects?project={}", "Task": "/task_info?task={}"}


def _module_has_list_context(doctype: str) -> bool:
	try:
		return hasattr(load_doctype_module(doctype), "get_list_context")
	except Exception:  # a DocType without a module of its own
		return False


def reachable_doctypes() -> set[str]:
	"""Every DocType a customer's portal user can reach through Frappe's and ERPNext's generic routes:
	route rules to a DocType, website permission hooks, list pages (get_list_context), published web
	forms, and the DocTypes their roles may read at permission level 0 (REST API, frappe.www.list)."""
	found = set((frappe.get_hooks("has_website_permission") or {}).keys())
	for rule in frappe.get_hooks("website_route_rules"):
		target = rule.get("defaults", {}).get("doctype") or rule.get("to_route")
		if target and frappe.db.exists("DocType", target):
			found.add(target)
	found |= set(frappe.get_all("Web Form", filters={"published": 1}, pluck="doc_type"))
	for table in ("DocPerm", "Custom DocPerm"):
		found |= set(
			frappe.get_all(
				table, filters={"role": ["in", PRINT_ROLES], "read": 1, "permlevel": 0}, pluck="parent"
			)
		)
	standard = frappe.get_all("DocType", filters={"custom": 0, "istable": 0, "issingle": 0}, pluck="name")
	found |= {doctype for doctype in standard if _module_has_list_context(doctype)}
	return {d for d in found if frappe.db.exists("DocType", d) and not frappe.get_meta(d).issingle}


def holds_customer_documents(doctype: str) -> bool:
	"""Does `doctype` name a customer (a Customer link or links to any DocType)?"""
	meta = frappe.get_meta(doctype)
	if any(df.options == "Customer" for df in meta.get_link_fields()):
		return True
	if any(df.fieldtype == "Dynamic Link" for df in meta.fields):
		return True
	return any(
		any(df.fieldtype == "Dynamic Link" for df in frappe.get_meta(t.options).fields)
		for t in meta.get_table_fields()
	)


def make_portal_user() -> str:
	email = f"two-companies-{uuid.uuid4().hex[:8]}@boundary.example"
	catalogue.make_portal_user(email, "Two Companies", password=PASSWORD)
	return email


def _route_rules() -> tuple[dict, dict]:
	"""ERPNext's (and any app's) website routes per DocType: its list route and its page of one document."""
	lists, pages = {}, {}
	for rule in frappe.get_hooks("website_route_rules"):
		source, target = rule.get("from_route", ""), rule.get("to_route")
		doctype = rule.get("defaults", {}).get("doctype") or target
		if "<" in source:
			pages.setdefault(doctype, source.split("<", 1)[0] + "{}")
		elif frappe.db.exists("DocType", doctype or ""):
			lists.setdefault(doctype, source)
	for form in frappe.get_all("Web Form", filters={"published": 1}, fields=["route", "doc_type"]):
		lists.setdefault(form.doc_type, "/" + form.route)
		pages.setdefault(form.doc_type, f"/{form.route}/{{}}")
	return lists, pages


class TestErpnextBoundary(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.user = make_portal_user()
		cls.made = []  # (doctype, name) made here, deleted afterwards
		cls.hidden_projects = {}
		cls.members = {c: members.ensure_member(c, cls.user, flags=rules.FLAGS) for c in CUSTOMERS}
		for customer in CUSTOMERS:
			cls._make_documents(customer)
		cls.docs = {c: cls._documents_of(c) for c in CUSTOMERS}
		frappe.db.commit()
		cls.list_routes, cls.detail_routes = _route_rules()
		cls.browser = Browser(cls.user, PASSWORD)
		body = cls.browser.get("/company").get_data(as_text=True)
		cls.browser.csrf_token = body.split('frappe.csrf_token = "', 1)[1].split('"', 1)[0]

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		for doctype, name in reversed(cls.made):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		for customer, member in cls.members.items():
			frappe.delete_doc("Company Member", member, force=True, ignore_permissions=True)
			frappe.db.delete("Portal User", {"parent": customer, "user": cls.user})
		frappe.delete_doc("User", cls.user, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	@classmethod
	def _insert(cls, record: dict, owner: str | None = None) -> str:
		doc = frappe.get_doc(record).insert(ignore_permissions=True)
		if owner:
			frappe.db.set_value(doc.doctype, doc.name, "owner", owner, update_modified=False)
		cls.made.append((doc.doctype, doc.name))
		return doc.name

	@classmethod
	def _make_documents(cls, customer: str):
		"""What the demo lacks for the boundary's every DocType: a ticket, a project with a task and
		the user as a Project User, an address and a colleague's contact the user made."""
		tag = uuid.uuid4().hex[:6]
		link = [{"link_doctype": "Customer", "link_name": customer}]
		# made by the user: ERPNext's web form lets a document's owner in before any website permission
		cls._insert({"doctype": "Issue", "subject": f"Boundary {tag}", "customer": customer}, owner=cls.user)
		hidden = {
			"doctype": "Project",
			"project_name": f"Boundary hidden {customer} {tag}",
			"customer": customer,
		}
		cls.hidden_projects[customer] = cls._insert(hidden)
		# the user is no Project User of it (ERPNext's project users; the app adds PRO members to new ones)
		frappe.db.delete("Project User", {"parent": cls.hidden_projects[customer], "user": cls.user})
		project = cls._insert(
			{
				"doctype": "Project",
				"project_name": f"Boundary {customer} {tag}",
				"customer": customer,
				"users": [{"user": cls.user}],
			}
		)
		cls._insert({"doctype": "Task", "subject": f"Boundary {tag}", "project": project})
		address = {"doctype": "Address", "address_title": f"Boundary {tag}", "address_line1": "Street 1"}
		address.update(city="Utrecht", country="Netherlands", links=link)
		cls._insert(address, owner=cls.user)
		contact = {"doctype": "Contact", "first_name": f"Colleague {tag}", "links": link}
		cls._insert(contact, owner=cls.user)

	@classmethod
	def _documents_of(cls, customer: str) -> dict:
		"""DocType -> the customer's documents the boundary covers, newest first."""
		names = {}
		for doctype in portal_doctypes.READ_ACTIONS:
			if doctype in portal_doctypes.LINKED_BY_DYNAMIC_LINK:
				names[doctype] = frappe.get_all(
					doctype,
					filters=[
						["Dynamic Link", "link_doctype", "=", "Customer"],
						["Dynamic Link", "link_name", "=", customer],
					],
					pluck="name",
					order_by=f"`tab{doctype}`.modified desc",
				)
			elif doctype == "Task":
				projects = frappe.get_all("Project", filters={"customer": customer}, pluck="name")
				names[doctype] = frappe.get_all(doctype, filters={"project": ["in", projects]}, pluck="name")
			else:
				filters = {portal_doctypes.customer_field(doctype): customer}
				if frappe.get_meta(doctype).is_submittable:
					filters["docstatus"] = 1
				names[doctype] = frappe.get_all(
					doctype, filters=filters, pluck="name", order_by="modified desc"
				)
		return names

	# -- helpers ---------------------------------------------------------------------------------------

	def choose(self, customer: str):
		answer = self.browser.post(
			API + "rma_portal.api.company.switch_customer", {"customer": customer}, csrf=True
		)
		self.assertEqual(answer.status_code, 200, answer.get_data(as_text=True)[:300])

	def set_rights(self, customer: str, flags):
		frappe.db.set_value(
			"Company Member", self.members[customer], {rules.FIELDS[f]: int(f in flags) for f in rules.FLAGS}
		)
		frappe.db.commit()

	def list_requests(self, doctype: str) -> list[tuple[str, dict, bool]]:
		"""(path, query, serves) of every list of `doctype`; `serves`: it lists the chosen customer's."""
		role_readable = doctype in portal_doctypes.LINKED_BY_DYNAMIC_LINK
		requests = [
			(API + "frappe.www.list.get", {"doctype": doctype}, True),
			(API + "frappe.www.list.get_list_data", {"doctype": doctype}, True),
			("/" + doctype, {}, True),
			("/api/resource/" + doctype, {"limit_page_length": "500"}, role_readable),
			("/api/v2/document/" + doctype, {"limit": "500"}, role_readable),
		]
		if doctype in self.list_routes:
			# a web form's list is filled by its script through get_list_data (above)
			web_form = frappe.db.exists("Web Form", {"route": self.list_routes[doctype].strip("/")})
			requests.append((self.list_routes[doctype], {}, not web_form))
		return requests

	def detail_requests(self, doctype: str, name: str, pdf: bool) -> list[tuple[str, dict, bool]]:
		"""(path, query, serves) of every page, print and API read of one document."""
		role_readable = doctype in portal_doctypes.LINKED_BY_DYNAMIC_LINK
		requests = [
			("/printview", {"doctype": doctype, "name": name}, True),
			(f"/{doctype}/{name}", {}, False),
			(f"/api/resource/{doctype}/{name}", {}, role_readable),
			(f"/api/v2/document/{doctype}/{name}", {}, role_readable),
		]
		if pdf:
			requests.append(
				(API + "frappe.utils.print_format.download_pdf", {"doctype": doctype, "name": name}, True)
			)
			multi = {"doctype": doctype, "name": json.dumps([name])}
			requests.append((API + "frappe.utils.print_format.download_multi_pdf", multi, True))
		html_and_style = {"doc": doctype, "name": name}
		requests.append((API + "frappe.www.printview.get_html_and_style", html_and_style, role_readable))
		page = DETAIL_PAGES.get(doctype) or self.detail_routes.get(doctype)
		if page:
			path, _sep, query = page.format(name).partition("?")
			serves = doctype not in ("Address", "Task")  # /addresses/<name> edits; /task_info is refused
			requests.append((path, dict([query.split("=", 1)]) if query else {}, serves))
		return requests

	def get(self, path: str, query: dict):
		from urllib.parse import quote

		response = self.browser.get(quote(path), **query)
		if response.status_code in (301, 302) and response.headers["Location"].startswith("/"):
			response = self.browser.get(response.headers["Location"])  # /issues -> its list
		body = response.get_data().decode("utf-8", "replace")  # a PDF too
		self.assertLess(response.status_code, 500, f"{path} {query}: {_text(body)}")
		at = body.find("Traceback")
		self.assertTrue(at < 0, f"{path} {query}: {body[at : at + 1500]}")
		return response, body

	def assertRefused(self, response, body: str, name: str, where: str):
		"""Refused (4xx); or, from download_multi_pdf, which leaves out what it may not print, a PDF
		without the document."""
		if response.status_code < 400 and response.headers.get("Content-Type", "").startswith(
			"application/pdf"
		):
			self.assertNotIn(name, _pdf_text(response.get_data()), f"{where}: printed")
			return
		self.assertGreaterEqual(response.status_code, 400, f"{where}: {_text(body)}")

	def assertLeaksNone(self, body: str, customer: str, doctype: str, where: str):
		other = next(c for c in CUSTOMERS if c != customer)
		leaked = [name for name in self.docs[other][doctype] if _mentions(body, name)]
		self.assertFalse(leaked, f"{where}: {other}'s {doctype} {leaked[:3]} shown acting for {customer}")

	# -- the DocTypes -----------------------------------------------------------------------------------

	def test_every_reachable_doctype_is_covered(self):
		reachable = {d for d in reachable_doctypes() if holds_customer_documents(d)}
		self.assertTrue({"Sales Invoice", "Sales Order", "Issue", "Address"} <= reachable, reachable)
		covered = portal_doctypes.covered() | portal_doctypes.ROLE_READABLE_REFUSED
		uncovered = reachable - covered - set(OUTSIDE_THE_BOUNDARY)
		self.assertFalse(uncovered, "reachable by a portal user, with no rule of the boundary")
		for doctype in portal_doctypes.covered():
			hooks = frappe.get_hooks("has_website_permission").get(doctype, [])
			self.assertIn("rma_portal.overrides.portal_reads.has_website_permission", hooks, doctype)

	# -- the chosen customer's documents, nobody else's ---------------------------------------------------

	def test_each_chosen_customer_sees_its_own_documents_and_never_the_others(self):
		for customer in CUSTOMERS:
			self.set_rights(customer, rules.FLAGS)
		for customer in CUSTOMERS:
			other = next(c for c in CUSTOMERS if c != customer)
			self.choose(customer)
			for doctype in portal_doctypes.READ_ACTIONS:
				self.assertTrue(self.docs[customer][doctype], f"no {doctype} of {customer} to read")
				for path, query, serves in self.list_requests(doctype):
					where = f"acting for {customer}: {path} {query}"
					response, body = self.get(path, query)
					self.assertLeaksNone(body, customer, doctype, where)
					if serves:
						self.assertEqual(response.status_code, 200, f"{where}: {_text(body)}")
						shown = [n for n in self.docs[customer][doctype] if _mentions(body, n)]
						self.assertTrue(shown, f"{where}: none of {customer}'s {doctype} listed")
				own = self.docs[customer][doctype][0]
				for path, query, serves in self.detail_requests(doctype, own, pdf=True):
					response, body = self.get(path, query)
					if serves:
						self.assertEqual(response.status_code, 200, f"{path} {query}: {_text(body)}")
				theirs = self.docs[other][doctype][0]
				for path, query, _serves in self.detail_requests(doctype, theirs, pdf=True):
					response, body = self.get(path, query)
					where = f"acting for {customer}: {other}'s {path} {query}"
					self.assertRefused(response, body, theirs, where)

	# -- refused without the right ------------------------------------------------------------------------

	def test_without_the_right_every_route_refuses(self):
		needing_a_right = {
			doctype: rules.needed(action)
			for doctype, action in portal_doctypes.READ_ACTIONS.items()
			if rules.needed(action) in rules.FLAGS
		}
		self.assertIn("Sales Invoice", needing_a_right)
		for customer in CUSTOMERS:
			self.set_rights(customer, rules.FLAGS)
		for customer in CUSTOMERS:
			self.choose(customer)
			for doctype, flag in needing_a_right.items():
				self.set_rights(customer, [f for f in rules.FLAGS if f != flag])
				try:
					self._assert_refused(customer, doctype, flag)
				finally:
					self.set_rights(customer, rules.FLAGS)

	def _assert_refused(self, customer: str, doctype: str, flag: str):
		needs = frappe._("This needs the right {0}: {1}").split("{0}")[0]
		for path, query, serves in self.list_requests(doctype):
			response, body = self.get(path, query)
			where = f"{customer} without {flag}: {path} {query}"
			for owner in CUSTOMERS:
				shown = [n for n in self.docs[owner][doctype] if _mentions(body, n)]
				self.assertFalse(shown and response.status_code < 400, f"{where}: lists {shown[:3]}")
			if serves and path != "/api/resource/" + doctype:
				self.assertEqual(response.status_code, 403, f"{where}: {_text(body)}")
				self.assertTrue(needs in body, f"{where}: not the app's refusal: {_text(body)}")
		own = self.docs[customer][doctype][0]
		for path, query, _serves in self.detail_requests(doctype, own, pdf=False):
			response, body = self.get(path, query)
			self.assertRefused(response, body, own, f"{customer} without {flag}: {path} {query}")

	# -- projects: all of them with PRO, otherwise those the member is a Project User of ------------------

	def test_without_pro_only_the_members_own_projects(self):
		customer = CUSTOMERS[0]
		self.set_rights(customer, [f for f in rules.FLAGS if f != "PRO"])
		self.choose(customer)
		hidden = self.hidden_projects[customer]
		own = next(
			p for p in self.docs[customer]["Project"] if p != hidden and self.user in _project_users(p)
		)
		try:
			for path, query, _serves in self.list_requests("Project"):
				response, body = self.get(path, query)
				self.assertFalse(_mentions(body, hidden), f"{path} {query}: lists a project of others")
			for path in (API + "frappe.www.list.get", API + "frappe.www.list.get_list_data", "/project"):
				response, body = self.get(path, {"doctype": "Project"} if path.startswith(API) else {})
				self.assertTrue(_mentions(body, own), f"{path}: not the member's own project")
			for path, query, _serves in self.detail_requests("Project", hidden, pdf=False):
				response, body = self.get(path, query)
				self.assertRefused(response, body, hidden, f"{path} {query}")
			response, body = self.get("/projects", {"project": own})
			self.assertEqual(response.status_code, 200, _text(body))
		finally:
			self.set_rights(customer, rules.FLAGS)

	# -- documents the portal does not show ------------------------------------------------------------

	def test_erpnexts_documents_outside_the_portal_are_refused(self):
		self.set_rights(CUSTOMERS[0], rules.FLAGS)
		self.choose(CUSTOMERS[0])
		for doctype in sorted(portal_doctypes.NOT_IN_PORTAL):
			requests = [(API + "frappe.www.list.get", {"doctype": doctype}), ("/" + doctype, {})]
			if doctype in self.list_routes:
				requests.append((self.list_routes[doctype], {}))
			for path, query in requests:
				response, body = self.get(path, query)
				self.assertEqual(response.status_code, 403, f"{path} {query}: {_text(body)}")

	def test_tags_of_any_customers_documents_are_not_listed(self):
		"""Frappe lets every role read Tag Link: each tagged document's name and title."""
		invoice = self.docs[CUSTOMERS[1]]["Sales Invoice"][0]
		if not frappe.db.exists("Tag", "boundary"):
			frappe.get_doc({"doctype": "Tag", "name": "boundary"}).insert(ignore_permissions=True)
		link = {"doctype": "Tag Link", "document_type": "Sales Invoice", "document_name": invoice}
		frappe.get_doc({**link, "tag": "boundary", "title": invoice}).insert(ignore_permissions=True)
		frappe.db.commit()
		try:
			self.choose(CUSTOMERS[0])
			for path in ("/api/resource/Tag Link", "/api/v2/document/Tag Link"):
				response, body = self.get(path, {"fields": '["*"]', "limit_page_length": "0"})
				self.assertFalse(
					_mentions(body, invoice) and response.status_code < 400, f"{path}: {body[:300]}"
				)
			tag = frappe.db.get_value("Tag Link", {"document_name": invoice}, "name")
			response, body = self.get(f"/api/resource/Tag Link/{tag}", {})
			self.assertEqual(response.status_code, 403, body[:300])
		finally:
			frappe.db.delete("Tag Link", {"document_name": invoice, "tag": "boundary"})
			frappe.db.commit()


def _project_users(project: str) -> list[str]:
	return frappe.get_all("Project User", filters={"parent": project, "parenttype": "Project"}, pluck="user")


def _pdf_text(content: bytes) -> str:
	import io

	from pypdf import PdfReader

	return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def _text(body: str) -> str:
	"""The readable part of an answer, for a failure message (a page's main content, or JSON)."""
	start = body.find("page_content")
	return body[start : start + 400] if start >= 0 else body[:400]


def _mentions(body: str, name: str) -> bool:
	"""Does an answer show the document `name` (as text, in a link, or JSON-escaped)?"""
	from urllib.parse import quote

	return name in body or quote(name) in body or json.dumps(name)[1:-1] in body
