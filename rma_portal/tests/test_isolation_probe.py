"""Isolation probe: every portal page and whitelisted method of the app, found in the code (so a new
one is probed without anyone listing it), called with the first customer's document names and
attachment rows:

- as the other customer's portal user, and as a guest: refused (403/404) wherever a document of the
  first customer is named, and nothing of the first customer's in any answer;
- as the first customer's own portal user, for the desk's methods (receive, credit, decide…): refused;
- never a server error, never a traceback.

"Data of the first customer" is a set of unique tokens written into its documents (reference, remarks,
serial, descriptions, file names) plus its name and its users' e-mail addresses; a token the call
itself sent (an echo of the input) does not count.
"""

import importlib
import inspect
import itertools
import pkgutil
import uuid
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime, today

import rma_portal
from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.tests.http import Browser

OWNER = "Demo Dealer"
OWNER_USER, OTHER_USER = (CUSTOMERS[name][0] for name in (OWNER, "Second Dealer"))
API = "/api/method/"
DENIED = (401, 403, 404)

# Arguments that name a document of the first customer, or one of its attachment rows.
DOCUMENT_PARAMS = ("name", "rma", "claim")
ROW_PARAMS = ("row", "ref")
# Plausible values for the other arguments, so that a method gets past its parsing to its checks.
SAMPLES = {
	"kind": ("claim", "response", "attachment", "credit", "credit_file"),
	"page": ("1",),
	"filters": ("{}",),
	"header": ("{}",),
	"lines": ("[]",),
	"quantities": ("{}",),
	"received": ("1",),
}


def app_modules():
	"""Every module of the app but its tests and demo, imported so their whitelisted methods register."""
	for info in pkgutil.walk_packages(rma_portal.__path__, "rma_portal."):
		parts = info.name.split(".")
		if any(part.startswith("test") or part in ("demo", "patches") for part in parts):
			continue
		yield importlib.import_module(info.name)


def whitelisted_methods() -> list:
	list(app_modules())
	found = {fn for fn in frappe.whitelisted if getattr(fn, "__module__", "").startswith("rma_portal.")}
	return sorted(found, key=lambda fn: f"{fn.__module__}.{fn.__name__}")


def www_routes() -> list[str]:
	"""Routes of the app's www pages: www/rma/index.html -> rma, www/rma/view.html -> rma/view."""
	www = Path(rma_portal.__file__).parent / "www"
	routes = set()
	for page in www.rglob("*"):
		if page.suffix in (".html", ".md"):
			route = page.relative_to(www).with_suffix("").as_posix()
			routes.add(route.removesuffix("/index").removesuffix("index") or "")
	return sorted(routes)


def is_desk_method(fn) -> bool:
	"""A staff action: it (or a helper of its module that it calls) checks desk permissions."""
	module = inspect.getmodule(fn)
	checkers = [
		name
		for name, helper in vars(module).items()
		if inspect.isfunction(helper)
		and helper.__module__ == module.__name__
		and "has_permission(" in inspect.getsource(helper)
	]
	source = inspect.getsource(fn)
	return "has_permission(" in source or any(f"{name}(" in source for name in checkers)


ACCESS_CALLS = ("access.", "frappe.has_permission(")


def goes_through_access(fn) -> bool:
	"""The function, or a function of its own module that it calls, asks the access point (or, for
	desk actions, Frappe's DocType permissions) before anything else can happen."""
	source = inspect.getsource(fn)
	if any(call in source for call in ACCESS_CALLS):
		return True
	module = inspect.getmodule(fn)
	helpers = [
		helper
		for name, helper in vars(module).items()
		if inspect.isfunction(helper) and helper.__module__ == module.__name__ and f"{name}(" in source
	]
	return any(any(call in inspect.getsource(helper) for call in ACCESS_CALLS) for helper in helpers)


def www_page_modules() -> list:
	www = Path(rma_portal.__file__).parent / "www"
	modules = []
	for page in sorted(www.rglob("*.py")):
		if page.name == "__init__.py":
			continue
		name = "rma_portal." + page.relative_to(www.parent).with_suffix("").as_posix().replace("/", ".")
		modules.append(importlib.import_module(name))
	return modules


def http_methods(fn) -> list[str]:
	return list(frappe.allowed_http_methods_for_whitelisted_func.get(fn) or ["GET", "POST"])


class TestIsolationProbe(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tokens = {}
		cls.created = []
		cls.make_targets()
		frappe.db.commit()  # the request threads read with connections of their own
		cls.other = Browser(OTHER_USER, DEMO_PASSWORD)
		cls.owner = Browser(OWNER_USER, DEMO_PASSWORD)
		cls.guest = Browser()

	@classmethod
	def tearDownClass(cls):
		for doctype, name in reversed(cls.created):
			if doctype == "File":
				frappe.delete_doc("File", name, force=True, ignore_permissions=True)
			else:
				child_tables = [df.options for df in frappe.get_meta(doctype).get_table_fields()]
				for child in child_tables:
					frappe.db.delete(child, {"parent": name, "parenttype": doctype})
				frappe.db.delete(doctype, {"name": name})
		frappe.db.commit()
		super().tearDownClass()

	# -- the first customer's documents -------------------------------------------------------------

	@classmethod
	def token(cls, field: str) -> str:
		cls.tokens[field] = f"probe{uuid.uuid4().hex[:16]}"
		return cls.tokens[field]

	@classmethod
	def private_file(cls, doctype: str, name: str) -> str:
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{cls.token(doctype + ' file')}.pdf",
				"content": b"%PDF-1.4\n% probe\n%%EOF\n",
				"is_private": 1,
				"attached_to_doctype": doctype,
				"attached_to_name": name,
			}
		).insert(ignore_permissions=True)
		cls.created.append(("File", file.name))
		return file.file_url

	@classmethod
	def make_targets(cls):
		"""A service RMA and a warranty claim of the first customer, with private attachments, written
		directly (the probe is about who may read them, not about the rules that made them)."""
		cls.return_rma = frappe.db.get_value("RMA", {"customer": OWNER, "kind": "Return"}, "name")
		company = frappe.db.get_value("RMA", cls.return_rma, "company") or frappe.db.get_value("Company", {})
		item = frappe.db.get_value("Item", {"is_sales_item": 1, "disabled": 0}, "name")

		rma = frappe.new_doc("RMA")
		rma.name = f"RMA/9{uuid.uuid4().int % 10000:04d}/PROBE/2026"
		rma.update(
			{
				"kind": "Service",
				"status": "Expected",
				"customer": OWNER,
				"customer_name": OWNER,
				"company": company,
				"portal_user": OWNER_USER,
				"submitted_on": now_datetime(),
				"customer_reference": cls.token("reference"),
				"customer_rma_no": cls.token("own number"),
				"remarks": cls.token("remarks"),
				"package_contents": cls.token("package contents"),
			}
		)
		rma.append(
			"items",
			{
				"item_code": item,
				"qty_requested": 1,
				"serial_no": cls.token("serial"),
				"purchase_date": today(),
				"problem_description": cls.token("problem"),
			},
		)
		rma.append("attachments", {"kind": "Proof of purchase", "file_name": "proof.pdf"})
		rma.db_insert()
		cls.created.append(("RMA", rma.name))
		rma.attachments[0].file = cls.private_file("RMA", rma.name)
		for row in rma.get_all_children():
			row.db_insert()
		cls.service_rma = rma.name

		claim = frappe.new_doc("Customer Warranty Claim")
		claim.name = f"WC-2026-9{uuid.uuid4().int % 10000:04d}"
		claim.update(
			{
				"status": "Received",
				"customer": OWNER,
				"customer_name": OWNER,
				"company": company,
				"portal_user": OWNER_USER,
				"submitted_on": now_datetime(),
				"item_code": item,
				"purchase_date": today(),
				"description": cls.token("claim description"),
				"remark": cls.token("claim remark"),
			}
		)
		claim.append("attachments", {"side": "Customer", "description": cls.token("attachment note")})
		claim.db_insert()
		cls.created.append(("Customer Warranty Claim", claim.name))
		claim.attachments[0].file = cls.private_file("Customer Warranty Claim", claim.name)
		for row in claim.get_all_children():
			row.db_insert()
		cls.claim = claim.name

		# the customer portal's documents (/portal/invoices, /portal/offers): an invoice and a quotation
		cls.invoice = frappe.db.get_value("Sales Invoice", {"customer": OWNER, "docstatus": 1}, "name")
		cls.quotation = frappe.db.get_value(
			"Quotation", {"party_name": OWNER, "quotation_to": "Customer", "docstatus": 1}, "name"
		)
		cls.document_names = [
			n for n in (cls.return_rma, cls.service_rma, cls.claim, cls.invoice, cls.quotation) if n
		]
		cls.row_names = [rma.attachments[0].name, claim.attachments[0].name]
		return_documents = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "RMA", "attached_to_name": cls.return_rma, "is_private": 1},
			pluck="file_url",
		)
		cls.file_urls = [rma.attachments[0].file, claim.attachments[0].file, *return_documents]
		cls.markers = {*cls.tokens.values(), OWNER, OWNER_USER, *cls.document_names}

	# -- checks --------------------------------------------------------------------------------------

	def check_answer(self, response, what: str, sent: str, denied: bool, own_data: bool = False):
		# a PDF (the caller's own statement) is bytes: read it as text, unknown bytes replaced
		body = response.get_data().decode("utf-8", "replace")
		self.assertLess(response.status_code, 500, f"{what}: server error\n{body[:400]}")
		self.assertNotIn("Traceback", body, what)
		if denied:
			self.assertIn(response.status_code, DENIED, f"{what}: not refused\n{body[:400]}")
		if own_data:  # the first customer's own user may see its own name and e-mail in a refusal
			return
		leaked = sorted(marker for marker in self.markers if marker in body and marker not in sent)
		self.assertEqual(leaked, [], f"{what}: the first customer's data in the answer\n{body[:400]}")

	def call(self, client: Browser, fn, args: dict):
		path = API + f"{fn.__module__}.{fn.__name__}"
		if "GET" in http_methods(fn):
			return client.get(path, **args)
		return client.post(path, args, csrf=client is not self.guest)

	def argument_sets(self, fn):
		params = [
			p.name
			for p in inspect.signature(fn).parameters.values()
			if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
		]
		choices = []
		for param in params:
			if param in DOCUMENT_PARAMS:
				choices.append(self.document_names)
			elif param in ROW_PARAMS:
				choices.append(self.row_names)
			elif param in SAMPLES:
				choices.append(SAMPLES[param])
			else:  # free text: the first customer's own tokens, as a guess would be
				choices.append((self.tokens["serial"],))
		targeted = any(p in DOCUMENT_PARAMS + ROW_PARAMS for p in params)
		return targeted, [dict(zip(params, values, strict=True)) for values in itertools.product(*choices)]

	# -- the probe -----------------------------------------------------------------------------------

	def test_every_method_and_page_asks_the_access_point(self):
		guest_methods = set(frappe.guest_methods)
		methods = [fn for fn in whitelisted_methods() if fn not in guest_methods]
		pages = [m.get_context for m in www_page_modules() if hasattr(m, "get_context")]
		missing = [f"{fn.__module__}.{fn.__name__}" for fn in methods + pages if not goes_through_access(fn)]
		print(
			f"\naccess point: {len(methods)} methods and {len(pages)} pages checked "
			f"({len(guest_methods & set(whitelisted_methods()))} guest methods exempt)"
		)
		self.assertEqual(missing, [], "these do not ask rma_portal.access (or desk permissions) first")

	def test_no_route_or_method_crosses_the_company_boundary(self):
		methods, routes = whitelisted_methods(), www_routes()
		self.assertGreaterEqual(len(methods), 20, [m.__name__ for m in methods])
		self.assertIn("rma/view", routes)
		guest_methods = set(frappe.guest_methods)
		combinations = 0
		# What each role filed with success through a POST method (a ticket, a request): it is stored in
		# that role's own documents, where its pages show it back; that is not a leak.
		typed = {"other customer": set(), "guest": set()}

		for fn in methods:
			targeted, argument_sets = self.argument_sets(fn)
			desk = is_desk_method(fn)
			roles = [("other customer", self.other), ("guest", self.guest)]
			if desk:
				roles.append(("own portal user", self.owner))
			for (role, client), args in itertools.product(roles, argument_sets):
				with self.subTest(method=fn.__name__, role=role, args=args):
					sent = " ".join(args.values())
					must_refuse = targeted or desk or (client is self.guest and fn not in guest_methods)
					response = self.call(client, fn, args)
					if response.status_code < 300 and "GET" not in http_methods(fn):
						typed.setdefault(role, set()).add(sent)
					what = f"{fn.__module__}.{fn.__name__} as {role} {args}"
					self.check_answer(response, what, sent, must_refuse, own_data=client is self.owner)
				combinations += 1

		for route, (role, client), name in itertools.product(
			routes, [("other customer", self.other), ("guest", self.guest)], [*self.document_names, ""]
		):
			with self.subTest(route=route, role=role, name=name):
				response = client.get("/" + route, **({"name": name} if name else {}))
				sent = " ".join([name, *typed[role]])
				self.check_answer(response, f"/{route}?name={name} as {role}", sent, denied=False)
			combinations += 1

		for url, (role, client) in itertools.product(
			self.file_urls, [("other customer", self.other), ("guest", self.guest)]
		):
			with self.subTest(file=url, role=role):
				response = client.get(url)
				self.check_answer(response, f"{url} as {role}", url, denied=True)
			combinations += 1

		print(
			f"\nisolation probe: {combinations} route x role x target combinations "
			f"({len(methods)} methods, {len(routes)} pages, {len(self.file_urls)} private files)"
		)

	def test_a_member_without_the_flag_is_refused_its_module(self):
		"""A user of the first customer itself, without any right (Company Member with no flag): every
		method and page of the service & RMA module (RM) refuses them, with the first customer's own
		document names and without; no server error, no traceback."""
		from rma_portal.demo.data import user_creation_unthrottled
		from rma_portal.services import members

		email = f"probe-noflags-{uuid.uuid4().hex[:8]}@probe.example"
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "No Flags",
				"user_type": "Website User",
				"send_welcome_email": 0,
				"new_password": DEMO_PASSWORD,
			}
		)
		user.append("roles", {"role": "Customer"})
		with user_creation_unthrottled():
			user.insert(ignore_permissions=True)
		member = members.ensure_member(OWNER, email, flags=())
		frappe.db.commit()
		try:
			client = Browser(email, DEMO_PASSWORD)
			modules = ("rma_portal.api.returns", "rma_portal.api.service", "rma_portal.api.warranty")
			methods = [
				fn
				for fn in whitelisted_methods()
				if fn.__module__ in modules and fn not in set(frappe.guest_methods) and not is_desk_method(fn)
			]
			routes = [r for r in www_routes() if r.split("/")[0] in ("rma", "service", "warranty")]
			combinations = 0
			for fn in methods:
				for args in self.argument_sets(fn)[1]:
					with self.subTest(method=fn.__name__, role="member without RM", args=args):
						response = self.call(client, fn, args)
						what = f"{fn.__module__}.{fn.__name__} as a member without RM {args}"
						# Frappe refuses an argument of the wrong type before the method runs
						typed = response.status_code == 417 and "FrappeTypeError" in response.get_data(True)
						self.check_answer(response, what, " ".join(args.values()), not typed, own_data=True)
					combinations += 1
			for route, name in itertools.product(routes, [*self.document_names, ""]):
				with self.subTest(route=route, role="member without RM", name=name):
					response = client.get("/" + route, **({"name": name} if name else {}))
					self.check_answer(
						response, f"/{route}?name={name} as a member without RM", name, True, True
					)
				combinations += 1
			self.assertGreaterEqual(len(methods), 10)
			print(
				f"\nisolation probe: a member without RM refused {combinations} times "
				f"({len(methods)} methods, {len(routes)} pages)"
			)
		finally:
			frappe.db.delete("Company Member", {"name": member})
			frappe.db.delete("Portal User", {"parenttype": "Customer", "parent": OWNER, "user": email})
			frappe.delete_doc("User", email, force=True, ignore_permissions=True)
			frappe.db.commit()
