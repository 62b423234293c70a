"""No input is a server error (issue 22), through Frappe's whole request path (rma_portal.tests.http).

- Every whitelisted method of the app, found in its modules (not listed by hand), called by a guest,
  the demo dealer and a staff user with no arguments, with each required argument missing in turn,
  with an argument it does not take and with each argument of the wrong type: never a 5xx, and the
  refusal names the field (overrides/arguments.py checks the call against the signature).
- Frappe's generic "/<DocType>/<name>" page of every DocType, as a guest and as the dealer: never a
  5xx (a 404: the portal's own pages show customers their documents), nor the print view of a
  DocType named in lower case, nor of a File.
"""

import importlib
import inspect
import json
import pkgutil
import typing
from urllib.parse import quote

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import update_password

import rma_portal
from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.domain import inputs
from rma_portal.overrides import request_guard
from rma_portal.tests.http import Browser, over_http

DEALER = CUSTOMERS["Demo Dealer"][0]
STAFF = "h22-staff@example.com"
STAFF_PASSWORD = "Staff#h22-2026"
UNKNOWN = "zz_unknown_field"
NAMED = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
# refusals that come before the arguments are looked at (not logged in, not allowed, wrong verb)
REFUSED_BEFORE = (401, 403)
# DocTypes of documents a customer has, beside the app's own
CUSTOMER_DOCTYPES = (
	*("Sales Invoice", "Payment Entry", "Sales Order", "Quotation", "Delivery Note", "Project", "Issue"),
	*("Contract", "File", "Contact", "Address", "Customer", "Opportunity", "User", "Task", "Shipment"),
)


def app_methods() -> dict:
	"""{"rma_portal.api.returns.submit_return": function, ...}: every module-level whitelisted function
	of the app (tests and patches left out)."""
	methods = {}
	for info in pkgutil.walk_packages(rma_portal.__path__, "rma_portal."):
		last = info.name.rsplit(".", 1)[-1]
		if last.startswith("test_") or ".tests" in info.name or ".patches" in info.name:
			continue
		module = importlib.import_module(info.name)
		for fn in vars(module).values():
			if callable(fn) and fn in frappe.whitelisted and getattr(fn, "__module__", None) == info.name:
				methods[f"{info.name}.{fn.__name__}"] = fn
	return methods


def parameters(fn) -> dict[str, inspect.Parameter]:
	"""The method's named parameters, but those Frappe itself fills ("cmd")."""
	return {
		n: p
		for n, p in inspect.signature(fn).parameters.items()
		if p.kind in NAMED and n not in inputs.FRAMEWORK_ARGUMENTS
	}


def takes_an_object(parameter: inspect.Parameter) -> bool:
	annotation = parameter.annotation
	return annotation is not parameter.empty and dict in (typing.get_args(annotation) or (annotation,))


def calls(fn):
	"""(what, arguments, JSON body?, the field the answer must name or None) for one method. The
	other arguments get "1", a value of every type a form sends (text, number, yes/no)."""
	params = parameters(fn)
	given = {name: "Issue" if name == "doctype" else "1" for name in params}  # a DocType that exists
	required = [name for name, p in params.items() if p.default is p.empty]
	yield "no arguments", {}, False, required[0] if required else None
	for name in required:
		yield f"without {name}", {k: v for k, v in given.items() if k != name}, False, name
	open_ended = any(p.kind == p.VAR_KEYWORD for p in inspect.signature(fn).parameters.values())
	yield "an unknown argument", {**given, UNKNOWN: "1"}, False, None if open_ended else UNKNOWN
	for name, parameter in params.items():
		expected = None if takes_an_object(parameter) else name
		yield f"{name} as an object", {**given, name: {"zz": [1]}}, True, expected


def messages(response) -> str:
	data = response.json if response.is_json else {}
	data = data if isinstance(data, dict) else {}
	texts = [str(data.get("message") or "")]
	for raw in json.loads(data.get("_server_messages") or "[]"):
		try:
			texts.append(str(json.loads(raw).get("message")))
		except (ValueError, AttributeError):
			texts.append(str(raw))
	return " ".join(texts)


class TestNoServerErrors(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.methods = app_methods()
		if not frappe.db.exists("User", STAFF):
			frappe.get_doc(
				{"doctype": "User", "email": STAFF, "first_name": "Staff h22", "send_welcome_email": 0}
			).insert(ignore_permissions=True)
		frappe.get_doc("User", STAFF).add_roles("System Manager", "Stock Manager", "Accounts User")
		update_password(STAFF, STAFF_PASSWORD)
		frappe.db.commit()
		cls.users = {
			"guest": Browser(),
			"dealer": Browser(DEALER, DEMO_PASSWORD),
			"staff": Browser(STAFF, STAFF_PASSWORD),
		}

	def setUp(self):
		frappe.cache.delete_keys("rma_portal:rate:")  # the per-user query limits are not under test

	def call(self, browser: Browser, method: str, fn, arguments: dict, as_json: bool):
		path = "/api/method/" + method
		verb = "POST" if "POST" in frappe.allowed_http_methods_for_whitelisted_func[fn] else "GET"
		headers = {"Accept": "application/json"}
		if verb == "POST":
			headers["X-Frappe-CSRF-Token"] = browser.page_csrf_token()
		if as_json:
			call = browser.client.post if verb == "POST" else browser.client.get
			return over_http(
				call, path, data=json.dumps(arguments), content_type="application/json", headers=headers
			)
		if verb == "GET":
			return over_http(browser.client.get, path, query_string=arguments, headers=headers)
		return over_http(browser.client.post, path, data=arguments, headers=headers)

	def walk(self, who: str) -> tuple[int, list[str]]:
		"""Every call of every method as `who`: (calls made, what went wrong)."""
		browser, made, wrong = self.users[who], 0, []
		for method, fn in sorted(self.methods.items()):
			frappe.cache.delete_keys("rma_portal:rate:")
			for what, arguments, as_json, field in calls(fn):
				response = self.call(browser, method, fn, arguments, as_json)
				made += 1
				body, status = response.get_data().decode(errors="replace"), response.status_code
				problem = None
				if status >= 500:
					problem = f"HTTP {status}"
				elif "Traceback" in body and who != "staff":
					problem = "a traceback"
				elif field and status not in REFUSED_BEFORE and field not in messages(response):
					problem = f"HTTP {status} does not name {field}"
				if problem:
					wrong.append(f"{who} {method} ({what}): {problem}: {body[:300]}")
		return made, wrong

	def test_the_app_finds_its_methods(self):
		# the walk below is only as good as the enumeration: the methods the issue named are in it
		for method in (
			"rma_portal.api.quotations.accept_quotation",
			"rma_portal.api.tickets.get_ticket",
			"rma_portal.api.company.switch_customer",
			"rma_portal.api.desk.reject_rma",
			"rma_portal.api.registration.register",
		):
			self.assertIn(method, self.methods)
		self.assertGreater(len(self.methods), 60)

	def test_every_method_answers_wrong_arguments_without_a_server_error(self):
		report = []
		for who in ("guest", "dealer", "staff"):
			made, wrong = self.walk(who)
			report.extend(wrong)
			print(f"\n{who}: {made} calls of {len(self.methods)} methods, {len(wrong)} wrong")
		self.assertEqual(report, [], "\n".join(report[:40]))

	def test_a_missing_argument_is_a_translated_417_naming_it(self):
		dealer = self.users["dealer"]
		response = dealer.post("/api/method/rma_portal.api.quotations.accept_quotation", {}, csrf=True)
		self.assertEqual(response.status_code, 417)
		self.assertIn("name is missing", messages(response))
		response = over_http(
			dealer.client.get,
			"/api/method/rma_portal.api.projects.get_project",
			query_string={"name": "x", "_lang": "fr", UNKNOWN: "1"},
		)
		self.assertEqual(response.status_code, 417)
		self.assertIn(UNKNOWN, messages(response))
		self.assertNotIn("is not a field of this request", messages(response))  # in French

	def test_generic_document_pages_of_every_doctype_are_not_found_for_guests_and_customers(self):
		"""A guest names every DocType (in lower case: Frappe matches any case, and the lower case
		failed where the name did not); the dealer the DocTypes of documents a customer has."""
		wrong = []
		everyone = frappe.get_all("DocType", filters={"istable": 0}, pluck="name")
		customers = sorted({*request_guard.app_doctypes(), *CUSTOMER_DOCTYPES})
		for who, doctypes in (("guest", [d.lower() for d in everyone]), ("dealer", customers)):
			browser = self.users[who]
			for doctype in doctypes:
				name = self.a_name_of(doctype)
				response = browser.get(f"/{quote(doctype)}/{quote(name, safe='')}")
				body = response.get_data().decode(errors="replace")
				# refused (403), not found (404) or elsewhere (Frappe's "/desk..." -> "/app..."), never shown
				if response.status_code >= 500 or response.status_code == 200 or "Traceback" in body:
					wrong.append(f"{who} /{doctype}/{name}: HTTP {response.status_code}")
				elif response.status_code == 404 and "rma-error-page" not in body:
					wrong.append(f"{who} /{doctype}/{name}: not the site's not-found page")
		self.assertEqual(wrong, [], "\n".join(wrong[:40]))

	def test_print_views_of_lower_case_doctypes_and_of_files(self):
		invoice = frappe.db.get_value("Sales Invoice", {"customer": "Demo Dealer", "docstatus": 1}, "name")
		other_file = frappe.db.get_value("File", {"is_private": 1, "is_folder": 0}, "name")
		for who in ("guest", "dealer", "staff"):
			browser = self.users[who]
			response = browser.get("/printview", doctype="sales invoice", name=invoice)
			self.assertLess(response.status_code, 500, f"{who}: {response.get_data(as_text=True)[:300]}")
			if who != "staff" and other_file:
				response = browser.get("/printview", doctype="File", name=other_file)
				self.assertEqual(response.status_code, 404, who)
				self.assertNotIn(other_file, response.get_data(as_text=True))
		# staff see the invoice whatever the case of its DocType
		response = self.users["staff"].get("/printview", doctype="sales invoice", name=invoice)
		self.assertEqual(response.status_code, 200)
		self.assertIn(invoice, response.get_data(as_text=True))

	@staticmethod
	def a_name_of(doctype: str) -> str:
		"""A real document's name where the DocType has a table with rows, else a made-up one."""
		try:
			return frappe.db.get_value(doctype, {}, "name") or "x-1"
		except Exception:
			frappe.db.rollback()
			return "x-1"
