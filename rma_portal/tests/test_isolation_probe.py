"""Isolation probe: every portal page and whitelisted method of the app, found in the code (so a new
one is probed without anyone listing it), called over HTTP with real documents of the first customer
(Demo Dealer) of the DocType each argument names, by every role that may not act on them:

- a guest;
- the other customer's user (Second Dealer);
- a member of the first customer with exactly one right, one member per right (BR, US, OR, RM, FI,
  AD, PRO): refused every page and method whose action needs another right (or the administrator);
- a user of two companies (every right in both) who chose the other company with the switcher:
  refused every document of the first customer;
- desk actions: refused to every portal role.

Each such cell must be refused: 403/404 whose answer is the app's refusal (Frappe's PermissionError or
DoesNotExistError with a message; a page's refusal page), never a server error or a traceback, and
nothing of the first customer's in it. "Of the first customer" is compared with the targets' real
field values (references, remarks, serials, descriptions, subjects, file names, addresses, the
users' e-mail addresses...) that no other customer's document has, plus tokens written into the
probe's own documents. A cell where the role may act is not asserted (a GET to an outsider is still
read for leaks); POST calls are only made where a refusal is required, so the probe changes nothing.

The matrix (pages and methods x roles x targets) is printed; each kind of target must be present.
"""

import ast
import importlib
import inspect
import itertools
import json
import pkgutil
import textwrap
import typing
import uuid
from pathlib import Path

import frappe
from frappe.app import application
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime, today
from werkzeug.test import Client as WerkzeugClient

import rma_portal
from rma_portal import access
from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.domain import members as rules
from rma_portal.tests import records
from rma_portal.tests.http import Browser, over_http

OWNER = "Demo Dealer"
OWNER_USER, OTHER_USER = (CUSTOMERS[name][0] for name in (OWNER, "Second Dealer"))
API = "/api/method/"
REFUSED = (403, 404)
REFUSAL_EXCEPTIONS = ("PermissionError", "DoesNotExistError")

# -- which argument names which kind of document --------------------------------------------------
# A kind of target: (DocType, owned by the first customer?). An item is no one's: it is probed for
# leaks (the other customer's invoices of it are theirs), not for a refusal.
KINDS = {
	"return rma": "RMA",
	"service rma": "RMA",
	"claim": "Customer Warranty Claim",
	"invoice": "Sales Invoice",
	"order": "Sales Order",
	"quotation": "Quotation",
	"delivery note": "Delivery Note",
	"ticket": "Issue",
	"project": "Project",
	"contract": "Contract",
	"shared file": "File",
	"ticket file": "File",
	"service attachment": "RMA Attachment",
	"claim attachment": "Customer Warranty Claim Attachment",
	"member": "Company Member",
	"member user": "User",
	"customer": "Customer",
	"item": "Item",
	"address": "Address",
	"authorisation": "Company Authorisation",
	"account request": "Dealer Account Request",
	"invitation": "Company Invitation",
	"api key": "Dealer API Key",
	"webhook": "Dealer Webhook",
}
NOT_OWNED = ("item",)
# a document of one person (the authorisation's requester, the invited address): methods that ask
# for no right but the person refuse everyone else
PERSONAL = ("authorisation", "invitation")

# method.param -> kinds; then param alone -> kinds. A method argument found in neither (nor among
# SAMPLES) fails the probe: a new method's arguments are given targets, not guessed.
PARAM_TARGETS = {
	"rma_portal.api.returns.download_documents.name": ("return rma", "service rma"),
	"rma_portal.api.service.download_attachment.rma": ("service rma",),
	"rma_portal.api.warranty.get_claim.name": ("claim",),
	"rma_portal.api.warranty.download.name": ("claim",),
	"rma_portal.api.invoices.download_invoice.name": ("invoice",),
	"rma_portal.api.quotations.download_quotation.name": ("quotation",),
	"rma_portal.api.quotations.accept_quotation.name": ("quotation",),
	"rma_portal.api.quotations.reject_quotation.name": ("quotation",),
	"rma_portal.api.shipments.download.name": ("delivery note",),
	"rma_portal.api.tickets.get_ticket.name": ("ticket",),
	"rma_portal.api.tickets.reply.name": ("ticket",),
	"rma_portal.api.tickets.download.name": ("ticket",),
	"rma_portal.api.projects.get_project.name": ("project",),
	"rma_portal.api.warranty.appeal_claim.name": ("claim",),
	"rma_portal.api.projects.add_project_user.name": ("project",),
	"rma_portal.api.projects.remove_project_user.name": ("project",),
	"rma_portal.api.contracts.download.name": ("contract",),
	"rma_portal.api.company.update_member.name": ("member",),
	"rma_portal.api.company.remove_address.name": ("address",),
	"rma_portal.api.company.save_address.name": ("address",),
	"rma_portal.api.company.authorisation_pdf.name": ("authorisation",),
	"rma_portal.api.company.upload_signed_authorisation.name": ("authorisation",),
	"rma_portal.api.company.accept_authorisation.name": ("authorisation",),
	"rma_portal.api.company.reject_authorisation.name": ("authorisation",),
	"rma_portal.api.company.accept_invitation.name": ("invitation",),
	"rma_portal.api.company.decline_invitation.name": ("invitation",),
	"rma_portal.api.company.resend_invitation.name": ("invitation",),
	"rma_portal.api.service.answer_repair_quote.name": ("service rma",),
	"rma_portal.api.conversation.post_message.name": ("service rma", "claim"),
	"rma_portal.api.conversation.download_file.name": ("service rma", "claim"),
	"rma_portal.api.conversation.download_file.file": ("ticket file",),
	"rma_portal.api.account_requests.approve.name": ("account request",),
	"rma_portal.api.account_requests.reject.name": ("account request",),
	"rma_portal.api.tickets.download.file": ("ticket file",),
	"rma_portal.api.shared_files.download.file": ("shared file",),
	"rma_portal.api.company.update_member.supervisor": ("member",),
	"rma_portal.api.company.invite_member.supervisor": ("member",),
	"rma_portal.api.warranty.submit_claim.sales_invoice": ("invoice",),
	"rma_portal.api.quote_requests.send_request.address": ("address",),
	# desk page RMA Receiving (staff only)
	"rma_portal.api.receiving.scan.rma": ("return rma", "service rma"),
	"rma_portal.api.receiving.book.rma": ("return rma", "service rma"),
	"rma_portal.api.receiving.match_parcel.rma": ("return rma", "service rma"),
	# the dealer API's keys and webhooks (/company/users)
	"rma_portal.api.dealer_api.create_key.member": ("member",),
	"rma_portal.api.dealer_api.revoke_key.key_id": ("api key",),
	"rma_portal.api.dealer_api.remove_webhook.name": ("webhook",),
	"rma_portal.api.dealer_api.list_deliveries.webhook": ("webhook",),
	# the review queue's bulk approve / decline (staff only)
	"rma_portal.api.desk.decide_requests.names": ("return rma", "service rma"),
}
PARAM_KIND_BY_NAME = {
	"row": ("service attachment",),
	"ref": ("claim attachment",),
	"user": ("member user",),
	"customer": ("customer",),
	"item_code": ("item",),
}
# desk actions on an RMA, a claim: every portal role is refused, with a real document
DESK_NAME_KINDS = {
	"rma_portal.api.desk": ("return rma", "service rma"),
	"rma_portal.api.warranty": ("claim",),
}
PAGE_TARGETS = {
	"rma/view": ("return rma", "service rma"),
	"warranty/view": ("claim",),
	"portal/tickets/view": ("ticket",),
	"portal/projects/view": ("project",),
}
# Plausible values for the other arguments, so that a method gets past its parsing to its checks.
SAMPLES = {
	"kind": ("claim", "attachment", "credit_file"),
	"page": ("1",),
	"filters": ("{}",),
	"header": ("{}",),
	"lines": ("[]",),
	"quantities": ("{}",),
	"received": ("1",),
	"rights": ('["RM"]',),
	"enabled": ("1",),
	"all_documents": ("1",),
	"replace": ("0",),
	"request_key": ("probe-key",),
	"values": ("{}",),
	"request_type": ("Edit",),
	"answer": ("accept",),
	"amount": ("1",),
	"label": ("probe key",),
	"all_rights": ("1",),
	"url": ("https://example.com/probe-hook",),
	"events": ('["invoice.due"]',),
	# Frappe's generic portal lists (frappe.www.list, wrapped by the app): each DocType the portal serves
	"doctype": ("Sales Invoice", "Sales Order", "Quotation", "Delivery Note", "Issue", "Project", "RMA"),
	"txt": ("",),
	"limit_start": ("0",),
	"limit": (),  # left out: Frappe's own frappe.www.list.get adds 1 to it as it comes (a string)
	"pathname": ("",),
	"fields": ('["name"]',),
	"cmd": ("",),
	"web_form_name": ("",),
}
# what reading a DocType's generic list asks the access point for (SPEC §4, issue 19)
DOCTYPE_ACTIONS = {
	"Sales Invoice": "invoice.read",
	"Sales Order": "order.read",
	"Quotation": "quotation.read",
	"Delivery Note": "shipment.read",
	"Issue": "ticket.read",
	"Project": "project.read",
	"RMA": "rma.read",
}

# The right each page and method needs, written down from SPEC §4 (not read from the code, so a
# wrong action string in the code fails the matrix): the longest matching prefix of its qualified
# name; ANY for every member of an authorised company. Pages: rma_portal.www.<route>.get_context.
ANY = rules.ANY_MEMBER
SPEC_RIGHTS = {
	"rma_portal.api.invoices.": "FI",
	"rma_portal.api.orders.": "OR",
	"rma_portal.api.quotations.": "OR",
	"rma_portal.api.returns.": "RM",
	"rma_portal.api.service.": "RM",
	"rma_portal.api.warranty.": "RM",
	"rma_portal.api.conversation.": "RM",
	"rma_portal.api.company.list_members": "US",
	"rma_portal.api.company.invite_member": "US",
	"rma_portal.api.company.update_member": "US",
	"rma_portal.api.company.add_linked_member": "US",
	"rma_portal.api.company.resend_invitation": "US",
	"rma_portal.api.company.list_addresses": ANY,
	"rma_portal.api.company.save_address": "AD",
	"rma_portal.api.company.remove_address": "AD",
	"rma_portal.api.company.activate_company": rules.ADMIN_ONLY,
	"rma_portal.api.dealer_api.": "US",
	"rma_portal.api.dealer_api.add_webhook": rules.ADMIN_ONLY,
	"rma_portal.api.dealer_api.remove_webhook": rules.ADMIN_ONLY,
	"rma_portal.api.dealer_api.list_deliveries": rules.ADMIN_ONLY,
	"rma_portal.api.projects.": ANY,
	"rma_portal.api.projects.add_project_user": "PRO",
	"rma_portal.api.projects.remove_project_user": "PRO",
	"rma_portal.api.tickets.": "RM",
	"rma_portal.api.shipments.": ANY,
	"rma_portal.api.contracts.": ANY,
	"rma_portal.api.shared_files.": ANY,
	"rma_portal.api.quote_requests.": ANY,
	"rma_portal.www.rma.": "RM",
	"rma_portal.www.service.": "RM",
	"rma_portal.www.warranty.": "RM",
	"rma_portal.www.portal.invoices.": "FI",
	"rma_portal.www.portal.orders.": "OR",
	"rma_portal.www.portal.offers.": "OR",
	"rma_portal.www.portal.index.": ANY,
	"rma_portal.www.portal.projects.": ANY,
	"rma_portal.www.portal.tickets.": "RM",
	"rma_portal.www.portal.shipments.": ANY,
	"rma_portal.www.portal.contracts.": ANY,
	"rma_portal.www.portal.files.": ANY,
	"rma_portal.www.portal.quotes.": ANY,
	"rma_portal.www.company.users.": "US",
	"rma_portal.www.company.addresses.": ANY,
}


def spec_right(name: str, action: str | None) -> str | None:
	"""The right SPEC_RIGHTS gives `name` (a desk action or an unlisted one: what its action needs)."""
	if action == "desk":
		return None
	prefixes = [prefix for prefix in SPEC_RIGHTS if name.startswith(prefix)]
	if prefixes:
		return SPEC_RIGHTS[max(prefixes, key=len)]
	return rules.needed(action) if action else None


def need_of(name: str, action: str | None, doctype: str | None = None) -> str | None:
	"""What a cell needs: "desk", the right a generic list of `doctype` needs, or spec_right."""
	if action == "desk":
		return "desk"
	if doctype in DOCTYPE_ACTIONS:
		return rules.needed(DOCTYPE_ACTIONS[doctype])
	return spec_right(name, action)


# -- finding what to probe ---------------------------------------------------------------------------


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
	return sorted(found, key=qualified)


def qualified(fn) -> str:
	return f"{fn.__module__}.{fn.__name__}"


def www_routes() -> list[str]:
	"""Routes of the app's www pages: www/rma/index.html -> rma, www/rma/view.html -> rma/view."""
	www = Path(rma_portal.__file__).parent / "www"
	routes = set()
	for page in www.rglob("*"):
		if page.suffix in (".html", ".md"):
			route = page.relative_to(www).with_suffix("").as_posix()
			routes.add(route.removesuffix("/index").removesuffix("index") or "")
	return sorted(routes)


def page_module(route: str):
	"""The Python module of a www route (rma/view -> rma_portal.www.rma.view), or None."""
	www = Path(rma_portal.__file__).parent / "www"
	for candidate in (route, f"{route}/index" if route else "index"):
		if (www / f"{candidate}.py").exists():
			return importlib.import_module("rma_portal.www." + candidate.replace("/", "."))
	return None


def http_methods(fn) -> list[str]:
	return list(frappe.allowed_http_methods_for_whitelisted_func.get(fn) or ["GET", "POST"])


# -- the access point, read from the syntax tree ---------------------------------------------------

# Calls allowed before the access point: reading the request's own arguments, no stored data.
ARGUMENT_CALLS = {
	"text_arg",
	"parse_arg",
	"fields_arg",
	"rows_arg",
	"page_arg",
	"filters_arg",
	"form_arg",
	"_rights_arg",
	"_bool_arg",
	"_",
	"cint",
	"flt",
	"cstr",
	"str",
	"int",
	"bool",
	"len",
	"strip",
	"get",
	"lower",
	"format",
	"update",
	"exc_info",
}
DESK_GATES = ("has_permission", "only_for", "check_permission", "_desk_users_only")


def _source_tree(fn):
	fn = inspect.unwrap(fn)
	return fn, ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]


def _calls_in_order(node) -> list[ast.Call]:
	"""The calls of a function's body (nested functions left out), in the order they are written: the
	order they run in, but for the arguments of a call, which run before it (sorted first here, as
	their position is inside the call's)."""
	calls = []

	def visit(child):
		if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
			return
		if isinstance(child, ast.Call):
			calls.append(child)
		for grandchild in ast.iter_child_nodes(child):
			visit(grandchild)

	for statement in node.body:
		visit(statement)
	# a call's arguments run before it, and they end before it does
	return sorted(calls, key=lambda call: (call.end_lineno, call.end_col_offset))


def _local_imports(fn) -> dict:
	"""Names a function imports in its own body ("from x import y as z"): z -> y."""
	names = {}
	for node in ast.walk(_source_tree(fn)[1]):
		if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
			module = importlib.import_module(node.module)
			for alias in node.names:
				names[alias.asname or alias.name] = getattr(module, alias.name, None)
	return names


def _resolve(fn, func: ast.AST):
	"""What a call's function is, from the calling function's globals and its own imports:
	(object, attribute name)."""
	scope = {**fn.__globals__, **_local_imports(fn)}
	if isinstance(func, ast.Name):
		return scope.get(func.id), func.id
	if isinstance(func, ast.Attribute):
		owner = _resolve(fn, func.value)[0] if isinstance(func.value, ast.Name | ast.Attribute) else None
		try:
			return (getattr(owner, func.attr, None) if owner is not None else None), func.attr
		except RuntimeError:  # frappe.local and frappe.request outside a request
			return None, func.attr
	return None, ""


def first_gate(fn, depth: int = 0) -> tuple[str, str | None] | None:
	"""How `fn` starts: ("access", action) when its first call that can read anything asks the
	access point (or, for desk actions, Frappe's permissions; or refuses outright); ("read", name)
	when something else comes first; None when it calls neither."""
	fn, tree = _source_tree(fn)
	for call in _calls_in_order(tree):
		target, attr = _resolve(fn, call.func)
		module = getattr(target, "__module__", None) or getattr(target, "__name__", "")
		if module == access.__name__ or target is access:
			return "access", _action_of(call)
		if attr in DESK_GATES:
			return "access", "desk"
		if attr == "throw" or attr in ARGUMENT_CALLS or attr == "PermissionError":
			if attr == "throw":
				return "access", None
			continue
		if (
			inspect.isfunction(target)
			and target.__module__.startswith("rma_portal.")
			and not target.__module__.startswith("rma_portal.domain")
			and depth < 3
		):
			inner = first_gate(target, depth + 1)
			if inner and inner[0] == "access":
				return inner
			return "read", f"{target.__module__}.{target.__name__}"
		if inspect.isfunction(target) and target.__module__.startswith("rma_portal.domain"):
			continue  # plain rules, no data
		return "read", attr
	for node in ast.walk(tree):
		if isinstance(node, ast.Raise):
			return "access", None
	return None


def _action_of(call: ast.Call) -> str | None:
	for arg in call.args:
		if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "." in arg.value:
			return arg.value
	return None


def gate_of(fn, depth: int = 0) -> str | None:
	"""The first action `fn` (or a function of the app it calls) names to the access point
	("rma.read"), "desk" for Frappe's permissions, or None (it asks only who the caller is)."""
	fn, tree = _source_tree(fn)
	for call in _calls_in_order(tree):
		target, attr = _resolve(fn, call.func)
		if getattr(target, "__module__", None) == access.__name__ and _action_of(call):
			return _action_of(call)
		if attr in DESK_GATES:
			return "desk"
		if inspect.isfunction(target) and target.__module__.startswith("rma_portal.api") and depth < 2:
			inner = gate_of(target, depth + 1)
			if inner:
				return inner
	return None


GUEST_REFUSALS = ("require_login", "require_portal_user", "customer_for", "check", "portal_customer")


def refuses_guests(fn, depth: int = 0) -> bool:
	"""Does the first call `fn` (or a function of the app it calls) makes to the access point
	refuse guests? (A page such as /register asks only whether the caller is a guest.)"""
	fn, tree = _source_tree(fn)
	for call in _calls_in_order(tree):
		target, attr = _resolve(fn, call.func)
		if getattr(target, "__module__", None) == access.__name__:
			return attr in GUEST_REFUSALS
		if attr in DESK_GATES:
			return True
		if inspect.isfunction(target) and target.__module__.startswith("rma_portal.") and depth < 3:
			gate = first_gate(target)
			if gate and gate[0] == "access":
				return refuses_guests(target, depth + 1)
	return False


def is_guest_only(fn) -> bool:
	fn, tree = _source_tree(fn)
	return any(
		isinstance(call.func, ast.Attribute) and call.func.attr == "require_guest"
		for call in _calls_in_order(tree)
	)


# -- the roles ---------------------------------------------------------------------------------------


# Roles that call with a dealer API key (issue 26) instead of a browser session: the other customer's
# key, and a key of a member of the first customer who holds every right, made with RM only
KEY_ROLES = ("key of the other customer", "key with RM only")
OUTSIDERS = ("guest", "other customer", "two companies", "key of the other customer")

PROBE_IP = f"10.29.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


class Client(Browser):
	"""A browser whose CSRF token comes from a page every logged-in user may open, calling from an
	address of the probe's own (X-Forwarded-For), so the per-IP limits its calls reach (activate)
	are not the other tests' ones."""

	TOKEN_PAGE = "/me"

	def get(self, path: str, **params):
		return over_http(
			self.client.get, path, query_string=params or None, headers={"X-Forwarded-For": PROBE_IP}
		)

	def post_call(self, path: str, data: dict | None = None, csrf: bool = False, headers: dict | None = None):
		return super().post_call(path, data, csrf, {**(headers or {}), "X-Forwarded-For": PROBE_IP})


class KeyClient(Client):
	"""A dealer's system: no cookies, every request with its API key (`Authorization: RmaKey`)."""

	def __init__(self, authorization: str):
		super().__init__()
		self.client = WerkzeugClient(application, use_cookies=False)
		self.authorization = authorization

	def get(self, path: str, **params):
		headers = {"X-Forwarded-For": PROBE_IP, "Authorization": self.authorization}
		return over_http(self.client.get, path, query_string=params or None, headers=headers)

	def post_call(self, path: str, data: dict | None = None, csrf: bool = False, headers: dict | None = None):
		headers = {**(headers or {}), "X-Forwarded-For": PROBE_IP, "Authorization": self.authorization}
		return self.client.post, (path,), {"data": data or {}, "headers": headers}


def make_user(email: str, first_name: str):
	from rma_portal.demo.catalogue import make_portal_user

	make_portal_user(email, first_name)


class TestIsolationProbe(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.tokens, cls.created, cls.users = {}, [], []
		cls.suffix = uuid.uuid4().hex[:8]
		try:
			cls.make_targets()
			cls.make_roles()
			frappe.db.commit()  # the request threads read with connections of their own
			cls.clients = {
				role: Client(user, DEMO_PASSWORD) if user else Client()
				for role, user in cls.roles
				if role not in KEY_ROLES
			}
			cls.clients.update({role: KeyClient(key) for role, key in cls.keys.items()})
			switched = cls.clients["two companies"].post(
				API + "rma_portal.api.company.switch_customer", {"customer": cls.second_company}, csrf=True
			)
			assert switched.status_code == 200, switched.get_data(as_text=True)[:300]
		except Exception:
			cls.remove_made()
			raise

	@classmethod
	def tearDownClass(cls):
		cls.remove_made()
		super().tearDownClass()

	@classmethod
	def remove_made(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for user in cls.users:
			frappe.db.delete("Company Member", {"user": user})
			frappe.db.delete("Portal User", {"user": user})
			for contact in frappe.get_all("Contact", {"user": user}, pluck="name"):
				frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		for doctype, name in reversed(cls.created):
			if doctype == "File":
				frappe.delete_doc("File", name, force=True, ignore_permissions=True)
				continue
			for child in [df.options for df in frappe.get_meta(doctype).get_table_fields()]:
				frappe.db.delete(child, {"parent": name, "parenttype": doctype})
			frappe.db.delete(doctype, {"name": name})
		frappe.db.commit()

	# -- the first customer's documents -------------------------------------------------------------

	@classmethod
	def token(cls, field: str) -> str:
		cls.tokens[field] = f"probe{uuid.uuid4().hex[:16]}"
		return cls.tokens[field]

	@classmethod
	def private_file(cls, doctype: str, name: str) -> frappe._dict:
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
		return file

	@classmethod
	def first(cls, doctype: str, filters: dict) -> str | None:
		return frappe.db.get_value(doctype, filters, "name", order_by="creation desc")

	@classmethod
	def make_targets(cls):
		"""kind -> the first customer's documents of that kind: the demo's, and a service RMA, a claim,
		a ticket file and an authorisation request written directly (the probe is about who may read
		them, not about the rules that made them)."""
		targets = {
			"return rma": cls.first("RMA", {"customer": OWNER, "kind": "Return"}),
			"invoice": cls.first("Sales Invoice", {"customer": OWNER, "docstatus": 1, "is_return": 0}),
			"order": cls.first("Sales Order", {"customer": OWNER, "docstatus": 1}),
			"quotation": cls.first(
				"Quotation", {"party_name": OWNER, "quotation_to": "Customer", "docstatus": 1}
			),
			"delivery note": cls.first("Delivery Note", {"customer": OWNER, "docstatus": 1, "is_return": 0}),
			"ticket": cls.first("Issue", {"customer": OWNER}),
			"project": cls.first("Project", {"customer": OWNER}),
			"contract": cls.first("Contract", {"party_type": "Customer", "party_name": OWNER}),
			"shared file": cls.first(
				"File", {"attached_to_doctype": "Customer", "attached_to_name": OWNER, "portal_shared": 1}
			),
			"member": cls.first("Company Member", {"customer": OWNER, "user": OWNER_USER}),
			"member user": OWNER_USER,
			"customer": OWNER,
			"account request": cls.first("Dealer Account Request", {"customer": OWNER}),
		}
		targets["item"] = frappe.db.get_value(
			"Sales Invoice Item", {"parent": targets["invoice"]}, "item_code"
		)
		targets["address"] = frappe.db.get_value(
			"Dynamic Link",
			{"parenttype": "Address", "link_doctype": "Customer", "link_name": OWNER},
			"parent",
		)
		company = frappe.db.get_value("RMA", targets["return rma"], "company") or frappe.db.get_value(
			"Company", {}
		)
		item = frappe.db.get_value("Item", {"is_sales_item": 1, "disabled": 0}, "name")
		targets["service rma"], targets["service attachment"] = cls.make_service_rma(company, item)
		targets["claim"], targets["claim attachment"] = cls.make_claim(company, item)
		targets["authorisation"] = cls.make_authorisation()
		targets["invitation"] = cls.make_invitation()
		targets["api key"], targets["webhook"] = cls.make_dealer_api_targets()
		if targets["ticket"]:
			targets["ticket file"] = cls.private_file("Issue", targets["ticket"]).name
		cls.targets = {kind: [name] for kind, name in targets.items() if name}
		cls.markers = cls.leak_markers()

	@classmethod
	def make_service_rma(cls, company: str, item: str) -> tuple[str, str]:
		rma = records.new_service_rma(
			"9{}/PROBE",
			OWNER,
			OWNER_USER,
			company,
			customer_reference=cls.token("reference"),
			customer_rma_no=cls.token("own number"),
			remarks=cls.token("remarks"),
			package_contents=cls.token("package contents"),
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
		rma.attachments[0].file = cls.private_file("RMA", rma.name).file_url
		for row in rma.get_all_children():
			row.db_insert()
		return rma.name, rma.attachments[0].name

	@classmethod
	def make_claim(cls, company: str, item: str) -> tuple[str, str]:
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
				"serial_no": cls.token("claim serial"),
				"description": cls.token("claim description"),
				"remark": cls.token("claim remark"),
			}
		)
		claim.append("attachments", {"side": "Customer", "description": cls.token("attachment note")})
		claim.db_insert()
		cls.created.append(("Customer Warranty Claim", claim.name))
		claim.attachments[0].file = cls.private_file("Customer Warranty Claim", claim.name).file_url
		for row in claim.get_all_children():
			row.db_insert()
		return claim.name, claim.attachments[0].name

	@classmethod
	def make_authorisation(cls) -> str:
		doc = frappe.new_doc("Company Authorisation")
		doc.update(
			{
				"user": OWNER_USER,
				"customer": OWNER,
				"company_name": cls.token("authorisation company"),
				"address_line1": cls.token("authorisation street"),
				"pincode": "1234",
				"city": cls.token("authorisation city"),
				"country": frappe.db.get_value("Country", {}, "name"),
				"status": "Open",
			}
		)
		doc.name = f"CA-PROBE-{cls.suffix}"
		doc.db_insert()
		cls.created.append(("Company Authorisation", doc.name))
		return doc.name

	@classmethod
	def make_invitation(cls) -> str:
		doc = frappe.new_doc("Company Invitation")
		doc.update(
			{
				"customer": OWNER,
				"email": f"{cls.token('invited')}@probe.example",
				"first_name": cls.token("invited name"),
				"status": "Pending",
				"invited_by": OWNER_USER,
				"expires_on": frappe.utils.add_days(today(), 7),
				"rights": "RM",
			}
		)
		doc.name = f"probe-invitation-{cls.suffix}"
		doc.db_insert()
		cls.created.append(("Company Invitation", doc.name))
		return doc.name

	# -- what counts as the first customer's data -----------------------------------------------------

	# per DocType: the fields whose values would show the document (the customer field, for the
	# uniqueness check: a value another customer's document also has is no proof of a leak)
	MARKER_FIELDS: typing.ClassVar[dict] = {
		"RMA": ("customer", ("name", "customer_reference", "remarks", "customer_rma_no", "contact_email")),
		"Customer Warranty Claim": ("customer", ("name", "description", "remark", "serial_no")),
		# not the address text: a city there is also the supplier's, on every page's footer
		"Sales Invoice": ("customer", ("name", "po_no", "contact_email")),
		"Sales Order": ("customer", ("name", "po_no")),
		"Quotation": ("party_name", ("name",)),
		"Delivery Note": ("customer", ("name", "lr_no", "po_no")),
		"Issue": ("customer", ("name", "subject", "description")),
		"Project": ("customer", ("name", "project_name")),
		"Contract": ("party_name", ("name", "contract_terms")),
		"File": (None, ("name", "file_name", "file_url")),
		"Company Member": ("customer", ("user",)),
		"Address": (None, ("address_line1", "address_line2", "email_id", "phone")),
		"Company Authorisation": ("customer", ("name", "company_name", "address_line1", "city")),
		"Dealer Account Request": ("customer", ("name",)),
		"Company Invitation": ("customer", ("name", "email", "first_name")),
	}

	@classmethod
	def make_dealer_api_targets(cls) -> tuple[str, str]:
		"""An API key of the first customer's member, and a webhook endpoint of the first customer
		(for a daily event only: the probe's calls send nothing)."""
		from rma_portal.services.dealer_api import keys, webhooks

		member = cls.first("Company Member", {"customer": OWNER, "user": OWNER_USER})
		key = keys.create_key(OWNER, member, OWNER_USER, cls.token("api key label"), True, [])["key_id"]
		url = f"https://example.com/{cls.token('webhook url')}"
		hook = frappe.get_doc(
			{
				"doctype": "Dealer Webhook",
				"customer": OWNER,
				"url": url,
				"events": "invoice.due",
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
		cls.created.extend((("Dealer API Key", key), ("Dealer Webhook", hook.name)))
		return key, hook.name

	@classmethod
	def leak_markers(cls) -> dict[str, str]:
		"""value -> where it comes from ("Issue.subject"), for every target's distinctive values."""
		markers = {value: field for field, value in cls.tokens.items()}
		markers[OWNER] = "Customer.name"
		markers[OWNER_USER] = "User.name"
		for kind, names in cls.targets.items():
			doctype = KINDS[kind]
			if kind in NOT_OWNED or doctype not in cls.MARKER_FIELDS:
				continue
			customer_field, fields = cls.MARKER_FIELDS[doctype]
			for name in names:
				row = frappe.db.get_value(doctype, name, fields, as_dict=True) or {}
				for field, value in row.items():
					for text in cls.distinctive(doctype, customer_field, field, value):
						markers[text] = f"{doctype}.{field}"
		return markers

	@classmethod
	def distinctive(cls, doctype, customer_field, field, value) -> list[str]:
		"""The value (each line of a text), when it is long enough to mean something and no document
		of another customer has it."""
		texts = [
			line.strip()
			for line in frappe.utils.strip_html(str(value or "")).splitlines()
			if len(line.strip()) >= 6 and not line.strip().replace(".", "").isdigit()
		]
		found = []
		for text in texts[:5]:
			filters = {field: ("like", f"%{text}%")}
			if customer_field:
				filters[customer_field] = ("!=", OWNER)
				shared = frappe.db.exists(doctype, filters)
			else:
				shared = frappe.db.count(doctype, filters) > 1
			if not shared:
				found.append(text)
		return found

	# -- the roles ------------------------------------------------------------------------------------

	@classmethod
	def make_roles(cls):
		"""(role, user): guest, the other customer's user, a member with each single right, a user
		of two companies."""
		from rma_portal.demo.data import make_customer
		from rma_portal.services.company import members

		roles = [("guest", None), ("other customer", OTHER_USER)]
		cls.single_right = {}
		for flag in rules.FLAGS:
			email = f"probe-{flag.lower()}-{cls.suffix}@probe.example"
			make_user(email, f"Probe {flag}")
			cls.users.append(email)
			members.ensure_member(OWNER, email, flags=(flag,))
			cls.single_right[f"member with {flag} only"] = flag
			roles.append((f"member with {flag} only", email))
		two = f"probe-two-{cls.suffix}@probe.example"
		cls.second_company = f"Probe Second Company {cls.suffix}"
		cls.users.append(two)
		make_customer(cls.second_company, two, "Probe", "Two Companies")
		cls.created.append(("Customer", cls.second_company))
		members.ensure_member(OWNER, two, flags=rules.FLAGS, all_documents=True)
		roles.append(("two companies", two))
		cls.keys = cls.make_keys(two)
		cls.single_right["key with RM only"] = "RM"
		roles.extend((role, None) for role in KEY_ROLES)
		cls.roles = roles
		access.clear_cache()

	@classmethod
	def make_keys(cls, two: str) -> dict[str, str]:
		"""role -> the Authorization header of its API key."""
		from rma_portal.services.company import members
		from rma_portal.services.dealer_api import keys

		second = "Second Dealer"
		other = members.load(second, OTHER_USER).name
		made = {
			"key of the other customer": keys.create_key(second, other, OTHER_USER, "probe", True, []),
			"key with RM only": keys.create_key(
				OWNER, members.load(OWNER, two).name, two, "probe", False, ["RM"]
			),
		}
		cls.created.extend(("Dealer API Key", key["key_id"]) for key in made.values())
		# the probe calls every page and method with each key in a minute or two: the highest limit a
		# key may have, so the matrix sees the rights, not the rate limit (test_dealer_api tests that)
		for key in made.values():
			frappe.db.set_value("Dealer API Key", key["key_id"], "requests_per_minute", 1200)
		return {role: key["authorization"] for role, key in made.items()}

	# -- the matrix -------------------------------------------------------------------------------

	def must_refuse(self, role: str, need: str | None, kinds: set, guest_only: bool, guests=False) -> bool:
		"""May `role` not act here? `need` is the right the page or method needs (SPEC_RIGHTS; "desk"
		for staff actions), `kinds` the kinds of the first customer's documents it names; `guests`:
		the page or method is open to guests."""
		owned = kinds - set(NOT_OWNED)
		if role == "guest":
			return not (guest_only or guests)
		if guest_only or need == "desk":
			return True
		if owned & set(PERSONAL) and need is None:  # none of the roles is that person
			return True
		if role in ("other customer", "key of the other customer"):
			return bool(owned)
		if role == "two companies":  # a member of the first customer too: it may switch to it
			return bool(owned - {"customer"})
		flag = self.single_right[role]
		return need == rules.ADMIN_ONLY or (need in rules.FLAGS and need != flag)

	def argument_sets(self, fn) -> list[tuple[dict, set]]:
		"""Every combination of targets and samples for fn's arguments: (args, kinds named)."""
		signature = inspect.signature(inspect.unwrap(fn)).parameters.values()
		params = [p.name for p in signature if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
		numeric = {
			p.name for p in signature if "str" not in str(p.annotation) and p.annotation is not p.empty
		}
		choices = []
		for param in params:
			kinds = self.kinds_of(fn, param)
			if kinds:
				missing = [kind for kind in kinds if kind not in self.targets]
				self.assertEqual(missing, [], f"{qualified(fn)}({param}): no target of these kinds")
				choices.append([(name, kind) for kind in kinds for name in self.targets[kind]])
			elif param in SAMPLES:
				choices.append([(value, None) for value in SAMPLES[param]] or [(None, None)])
			elif param in numeric:  # a number or a flag: a valid one, so the call reaches its checks
				choices.append([("1", None)])
			else:  # free text: one of the first customer's own tokens, as a guess would be
				choices.append([(self.tokens["serial"], None)])
		sets = {}
		for values in itertools.product(*choices):
			args = {
				param: value
				for param, (value, _kind) in zip(params, values, strict=True)
				if value is not None
			}
			named = dict(zip(params, (kind for _value, kind in values), strict=True))
			if "doctype" in args and named.get("name"):  # a document given by DocType and name
				args["doctype"] = KINDS[named["name"]]
			sets[json.dumps(args, sort_keys=True)] = (args, {kind for kind in named.values() if kind})
		return list(sets.values())

	def kinds_of(self, fn, param: str) -> tuple:
		key = f"{qualified(fn)}.{param}"
		if key in PARAM_TARGETS:
			return PARAM_TARGETS[key]
		if param == "name" and fn.__module__ in DESK_NAME_KINDS and gate_of(fn) == "desk":
			return DESK_NAME_KINDS[fn.__module__]
		if param in PARAM_KIND_BY_NAME:
			return PARAM_KIND_BY_NAME[param]
		if param in ("name", "rma", "claim", "file"):
			self.fail(f"{key}: which kind of document does this argument name? (PARAM_TARGETS)")
		return ()

	# -- checks --------------------------------------------------------------------------------------

	def refused(self, response, what: str, api: bool, as_field: bool = False, guest_only: bool = False):
		"""403/404 with the app's refusal; `as_field`: the first customer's document was only given as
		a field of something the caller files (an invoice, an address), and a validation error naming
		that field (417) refuses it too."""
		body = response.get_data().decode("utf-8", "replace")
		if guest_only and response.status_code == 429:  # a guest method's per-IP limit, hit by the probe
			return
		if as_field and response.status_code == 417:
			self.assertIn("_server_messages", body, f"{what}: a refusal without its message\n{body[:400]}")
			return
		self.assertIn(response.status_code, REFUSED, f"{what}: not refused\n{body[:400]}")
		if api:
			answer = json.loads(body or "{}")
			self.assertIn(
				answer.get("exc_type"), REFUSAL_EXCEPTIONS, f"{what}: not the app's refusal\n{body[:400]}"
			)
			if answer["exc_type"] == "PermissionError":  # says why (Frappe sends no text with a raised 404)
				self.assertTrue(
					answer.get("_server_messages"), f"{what}: a refusal without its message\n{body[:400]}"
				)
		else:  # a page: Frappe's refusal page, or the app's not-found / error page, with its message
			self.assertTrue(
				'class="page-card' in body or "rma-error-page" in body,
				f"{what}: not a refusal page\n{body[:400]}",
			)

	def no_leak(self, response, what: str, sent: str, role: str):
		# a PDF (the caller's own statement) is bytes: read it as text, unknown bytes replaced
		body = response.get_data().decode("utf-8", "replace")
		self.assertLess(response.status_code, 500, f"{what}: server error\n{body[:400]}")
		self.assertNotIn("Traceback", body, what)
		markers = dict(self.markers)
		if role == "two companies":  # its own membership of the first customer (the switcher)
			markers.pop(OWNER, None)
		leaked = sorted(
			f"{source}: {marker}"
			for marker, source in markers.items()
			if marker in body and marker not in sent
		)
		self.assertEqual(leaked, [], f"{what}: the first customer's data in the answer\n{body[:400]}")

	def named_as_field(self, fn, args: dict, kinds: set, role: str) -> bool:
		"""Is the first customer's document named only in a field of a POST that files something (a
		claim's invoice, a request's address), not as the document the method acts on?"""
		document_params = ("name", "rma", "claim", "file", "row", "ref", "customer", "user")
		if "POST" not in http_methods(fn) or role not in (
			"other customer",
			"two companies",
			"key of the other customer",
		):
			return False
		return not any(param in document_params for param in args if self.kinds_of(fn, param))

	def call(self, role: str, fn, args: dict):
		client = self.clients[role]
		path = API + qualified(fn)
		if "GET" in http_methods(fn):
			return client.get(path, **args)
		return client.post(path, args, csrf=role != "guest")

	# -- the probe -----------------------------------------------------------------------------------

	def test_every_method_and_page_asks_the_access_point_before_anything_else(self):
		# Frappe's own guest methods the app wraps (generic lists) hand over to Frappe's checks
		guest_methods = set(frappe.guest_methods)
		methods = [fn for fn in whitelisted_methods() if fn not in guest_methods or is_guest_only(fn)]
		pages = [m.get_context for m in map(page_module, www_routes()) if m and hasattr(m, "get_context")]
		found = {qualified(fn): first_gate(fn) for fn in methods + pages}
		late = {name: gate for name, gate in found.items() if not gate or gate[0] != "access"}
		exempt = sorted(qualified(fn) for fn in set(whitelisted_methods()) - set(methods))
		print(
			f"\naccess point: {len(methods)} methods and {len(pages)} pages ask it before any read "
			f"(guest methods exempt: {', '.join(exempt)})"
		)
		self.assertEqual(late, {}, "these read (or call) something before asking rma_portal.access")

	def test_each_page_and_method_asks_for_the_right_spec_gives_it(self):
		pages = [m.get_context for m in map(page_module, www_routes()) if m and hasattr(m, "get_context")]
		wrong = {}
		for fn in whitelisted_methods() + pages:
			action = gate_of(fn)
			if action == "desk" or not action:
				continue
			spec = spec_right(qualified(fn), None)
			if spec and rules.needed(action) != spec:
				wrong[qualified(fn)] = f"asks {action} ({rules.needed(action)}), SPEC: {spec}"
		self.assertEqual(wrong, {})

	def test_the_syntax_tree_check_sees_a_read_before_the_access_call(self):
		self.assertEqual(first_gate(_reads_first)[0], "read")
		self.assertEqual(first_gate(_asks_first), ("access", "rma.read"))
		self.assertEqual(first_gate(_argument_then_asks), ("access", "invoice.read"))

	def test_every_kind_of_target_is_probed(self):
		missing = sorted(set(KINDS) - set(self.targets))
		self.assertEqual(missing, [], "the demo (or the probe) has no document of these kinds")
		self.assertGreaterEqual(sum(map(len, self.targets.values())), len(KINDS))
		self.assertGreaterEqual(len(self.markers), 2 * len(KINDS), self.markers)

	def test_each_role_may_do_what_its_right_allows(self):
		"""The refusals below are for the right reason: each role is let in where it may act."""
		allowed = {
			"other customer": "rma_portal.api.returns.list_rmas",
			"two companies": "rma_portal.api.invoices.list_invoices",
			"member with RM only": "rma_portal.api.returns.list_rmas",
			"member with FI only": "rma_portal.api.invoices.list_invoices",
			"member with OR only": "rma_portal.api.orders.get_pending_lines",
			"member with US only": "rma_portal.api.company.list_members",
			"member with AD only": "rma_portal.api.company.list_addresses",
			"member with PRO only": "rma_portal.api.projects.list_projects",
			"member with BR only": "rma_portal.api.shipments.list_shipments",
			"key with RM only": "rma_portal.api.returns.list_rmas",
			"key of the other customer": "rma_portal.api.returns.list_rmas",
		}
		for role, method in allowed.items():
			with self.subTest(role=role):
				response = self.clients[role].get(API + method)
				self.assertEqual(
					response.status_code, 200, f"{role}: {response.get_data(as_text=True)[:300]}"
				)

	def test_no_page_or_method_lets_a_role_act_where_it_may_not(self):
		methods, routes = whitelisted_methods(), www_routes()
		self.assertGreaterEqual(len(methods), 60, [m.__name__ for m in methods])
		self.assertIn("rma/view", routes)
		guest_methods = set(frappe.guest_methods)
		roles = [role for role, _user in self.roles]
		cells = {"refused": 0, "read for leaks": 0, "allowed, not called": 0}

		for fn in methods:
			action, guest_only = gate_of(fn), is_guest_only(fn)
			for role, (args, kinds) in itertools.product(roles, self.argument_sets(fn)):
				if role == "guest" and fn in guest_methods and not guest_only:
					refuse = False  # open to guests (Frappe's generic lists): read for leaks
				else:
					refuse = self.must_refuse(
						role, need_of(qualified(fn), action, args.get("doctype")), kinds, guest_only
					)
				outsider = role in OUTSIDERS
				if not refuse and not (outsider and "GET" in http_methods(fn)):
					cells["allowed, not called"] += 1
					continue
				what = f"{qualified(fn)} as {role} {args}"
				with self.subTest(method=qualified(fn), role=role, args=args):
					response = self.call(role, fn, args)
					if refuse:
						as_field = self.named_as_field(fn, args, kinds, role)
						self.refused(response, what, api=True, as_field=as_field, guest_only=guest_only)
					if outsider:
						self.no_leak(response, what, " ".join(args.values()), role)
				cells["refused" if refuse else "read for leaks"] += 1

		for route in routes:
			module = page_module(route)
			action = gate_of(module.get_context) if module and hasattr(module, "get_context") else None
			guest_only = bool(module and hasattr(module, "get_context") and is_guest_only(module.get_context))
			guests = bool(
				module and hasattr(module, "get_context") and not refuses_guests(module.get_context)
			)
			if not module or not hasattr(module, "get_context") or first_gate(module.get_context) is None:
				continue  # a static page: nothing of a customer's
			names = [(name, kind) for kind in PAGE_TARGETS.get(route, ()) for name in self.targets[kind]]
			for role, (name, kind) in itertools.product(roles, names or [("", None)]):
				need = need_of(qualified(module.get_context), action)
				refuse = self.must_refuse(role, need, {kind} if kind else set(), guest_only, guests)
				outsider = role in OUTSIDERS
				if not refuse and not outsider:
					cells["allowed, not called"] += 1
					continue
				what = f"/{route}?name={name} as {role}"
				with self.subTest(route=route, role=role, name=name):
					response = self.clients[role].get("/" + route, **({"name": name} if name else {}))
					if refuse:
						self.refused(response, what, api=False)
					if outsider:
						self.no_leak(response, what, name, role)
				cells["refused" if refuse else "read for leaks"] += 1

		files = self.private_file_urls()
		for url, role in itertools.product(files, roles):
			with self.subTest(file=url, role=role):
				response = self.clients[role].get(url)
				body = response.get_data().decode("utf-8", "replace")
				self.assertIn(response.status_code, REFUSED, f"{url} as {role}: not refused\n{body[:300]}")
				if role in OUTSIDERS:
					self.no_leak(response, f"{url} as {role}", url, role)
			cells["refused"] += 1

		targets = sum(map(len, self.targets.values()))
		print(
			f"\nisolation probe: {len(routes)} pages x {len(methods)} methods x {len(roles)} roles x "
			f"{targets} targets ({len(self.targets)} kinds) + {len(files)} private files: "
			+ ", ".join(f"{count} {what}" for what, count in cells.items())
		)
		self.assertGreaterEqual(cells["refused"], 500)

	def private_file_urls(self) -> list[str]:
		"""The first customer's private files other than the shared ones: the probe's attachments and
		the return RMA's documents."""
		names = [
			*self.targets.get("ticket file", []),
			*[name for doctype, name in self.created if doctype == "File"],
		]
		urls = set(frappe.get_all("File", {"name": ("in", names)}, pluck="file_url"))
		urls |= set(
			frappe.get_all(
				"File",
				{
					"attached_to_doctype": "RMA",
					"attached_to_name": self.targets["return rma"][0],
					"is_private": 1,
				},
				pluck="file_url",
			)
		)
		return sorted(urls)


# Functions for the syntax tree check's own test: one reads before it asks, two ask first.
def _reads_first(name):
	customer = frappe.db.get_value("RMA", name, "customer")
	access.check("rma.read", customer)


def _asks_first(name):
	customer = access.customer_for("rma.read")
	return frappe.db.get_value("RMA", {"name": name, "customer": customer})


def _argument_then_asks(name):
	from rma_portal.api import text_arg

	name = text_arg(name, "name")
	return access.customer_for("invoice.read"), name
