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

import frappe
from frappe import _

from rma_portal import access
from rma_portal.domain import request_rules
from rma_portal.overrides import portal_reads

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

	if request_rules.refused_to_portal_users(method) and access.is_portal_user(user):
		frappe.throw(_("This method is not available to portal users."), frappe.PermissionError)

	printing = method in request_rules.PRINT_METHODS or path.rstrip("/") == "/printview"
	if printing and _names_app_doctype() and not access.is_staff(user):
		frappe.throw(
			_("Print views of this document are not available in the portal."), frappe.PermissionError
		)

	if request_rules.document_route(path, app_doctypes_lower(), portal_routes()):
		raise frappe.PageDoesNotExistError

	# ERPNext's own portal pages and print views need the same right as the app's pages (SPEC §4)
	form = frappe.form_dict
	action = request_rules.erpnext_action(path, method, form.get("doctype"), form.get("web_form"))
	if action and access.is_portal_user(user) and not portal_reads.page_asks_itself(path, method):
		access.check(action)
	portal_reads.check_document_page(path)  # /projects?project=X: no hook there


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
