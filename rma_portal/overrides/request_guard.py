"""before_request: what Frappe would serve a portal user generically and the portal must not.

- Frappe's generic read methods (frappe.client.get_count counts any DocType with any filter and no
  permission check: a user could read another customer's fields one character at a time).
- Print views of the app's DocTypes (/printview, the print/PDF methods, "/<DocType>/<name>"): they
  show staff names and internal references that the portal's own pages leave out. Staff keep them.
- "/rma/<anything>": Frappe takes "rma" for the DocType's print route and fails with a server error;
  it is answered 404 like any other unknown page.
- ERPNext's own portal pages (/invoices, /orders, ...) and print views of its documents: a company
  member needs the same right as for the app's pages (access.check), e.g. FI for invoices.
The rules themselves are plain functions in domain/request_rules.py.
"""

import json
import os
from functools import cache
from urllib.parse import quote

import frappe
from frappe import _
from frappe.website.page_renderers.print_page import PrintPage
from frappe.website.path_resolver import PathResolver

from rma_portal import access
from rma_portal.domain import request_rules
from rma_portal.overrides import not_found_page, portal_reads

APP_PATH = os.path.dirname(os.path.dirname(__file__))


@cache
def app_doctypes() -> frozenset[str]:
	"""The app's DocTypes, from their JSON files (no query per request)."""
	root = os.path.join(APP_PATH, "rma_portal", "doctype")
	names = set()
	for folder in os.listdir(root):
		path = os.path.join(root, folder, f"{folder}.json")
		if os.path.exists(path):
			with open(path) as f:
				names.add(json.load(f)["name"])
	return frozenset(names)


@cache
def app_doctypes_lower() -> frozenset[str]:
	return frozenset(name.lower() for name in app_doctypes())


@cache
def portal_routes() -> frozenset[str]:
	"""The app's own www routes ("rma", "rma/new", ...), lower case."""
	root = os.path.join(APP_PATH, "www")
	routes = set()
	for folder, _dirs, files in os.walk(root):
		for file in files:
			if file.endswith((".html", ".md")):
				route = os.path.relpath(os.path.join(folder, os.path.splitext(file)[0]), root)
				routes.add(route.removesuffix("/index").removesuffix("index").lower())
	return frozenset(r for r in routes if r)


def before_request():
	request = getattr(frappe.local, "request", None)
	if not request:
		return
	path, user = request.path, frappe.session.user
	method = request_rules.method_of(path, frappe.form_dict.get("cmd"))
	if not _canonical_doctype():
		return _not_found(path)

	if request_rules.refused_to_portal_users(method) and access.is_portal_user(user):
		frappe.throw(_("This method is not available to portal users."), frappe.PermissionError)

	printing = method in request_rules.PRINT_METHODS or path.rstrip("/") == "/printview"
	if printing and _names_app_doctype() and not access.is_staff(user):
		frappe.throw(
			_("Print views of this document are not available in the portal."), frappe.PermissionError
		)

	if request_rules.document_route(path, app_doctypes_lower(), portal_routes()):
		return _not_found(path)
	outsider = user == "Guest" or access.is_portal_user(user)
	# Frappe's generic "/<DocType>/<name>" print page of any DocType, and the print view of a File
	# (a page naming any file): the portal's own pages show customers their documents
	if outsider and (_generic_print_page(path) or (printing and frappe.form_dict.get("doctype") == "File")):
		return _not_found(path)

	# ERPNext's own portal pages and print views need the same right as the app's pages (SPEC §4)
	form = frappe.form_dict
	action = request_rules.erpnext_action(path, method, form.get("doctype"), form.get("web_form"))
	if action and access.is_portal_user(user) and not portal_reads.page_asks_itself(path, method):
		access.check(action)
	if path.rstrip("/") == "/projects":
		return _projects_page(outsider)
	portal_reads.check_document_page(path)  # /projects?project=X: no hook there


def _projects_page(outsider: bool):
	"""ERPNext's page of one project (/projects?project=X) refused a dealer (and failed without a
	project): a guest or customer is led to the app's Projects pages, which show it with its tasks."""
	project = frappe.form_dict.get("project")
	if project:
		portal_reads.check_document_page("/projects")  # another customer's project stays refused
	if outsider:
		view = f"/portal/projects/view?name={quote(project)}" if isinstance(project, str) and project else ""
		not_found_page.redirect(view or "/portal/projects")


def _names_app_doctype() -> bool:
	"""Does the request name one of the app's DocTypes? download_multi_pdf may pass a JSON map
	{doctype: [names]} in place of one doctype."""
	doctype = frappe.form_dict.get("doctype")
	if isinstance(doctype, str) and doctype.lstrip().startswith("{"):
		try:
			doctype = json.loads(doctype)
		except ValueError:
			return False
	if isinstance(doctype, dict):
		return bool(set(doctype) & app_doctypes())
	return doctype in app_doctypes()


def _not_found(path: str):
	"""404. A page request is answered with the site's not-found page (overrides/not_found_page.py
	renders it when Frappe routes the page); an exception here would give Frappe's bare message page."""
	if path.startswith("/api/") or frappe.form_dict.get("cmd"):
		raise frappe.PageDoesNotExistError
	frappe.local.flags.rma_portal_not_found = True


def _canonical_doctype() -> bool:
	"""A DocType named in another case ("sales invoice") as the DocType's own name: Frappe's print
	view and methods find the document but then fail with a server error on the name; and the rules
	above compare exact names. False when the request names a DocType that does not exist (Frappe's
	list and print code fail on it with a server error): not found."""
	doctype = frappe.form_dict.get("doctype")
	if not isinstance(doctype, str) or not doctype.strip() or doctype.lstrip().startswith("{"):
		return True
	name = frappe.db.get_value("DocType", doctype, "name", cache=True)
	if name and name != doctype:
		frappe.form_dict.doctype = name
	return bool(name)


def _generic_print_page(path: str) -> bool:
	"""Would Frappe render `path` as its generic "/<DocType>/<name>" print page?"""
	route = path.strip("/ ")
	parts = route.split("/", 1)
	if len(parts) != 2 or path.startswith("/api/"):
		return False
	# "rma/new" (RMA is a DocType): the app's own page comes first; resolving it here as well cost a
	# second route resolution on every such page, and asking for "portal" as a DocType a query
	if route in portal_routes() or not frappe.db.exists("DocType", parts[0], cache=True):
		return False
	try:
		_endpoint, renderer = PathResolver(path).resolve()
	except Exception:
		return False  # a redirect or a broken route: Frappe answers it itself
	return isinstance(renderer, PrintPage)
