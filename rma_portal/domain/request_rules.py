"""Which generic Frappe entry points a portal (Website) user may not reach: plain rules on the
request's path and method name, applied by overrides/request_guard.py before Frappe routes it."""

import re

from rma_portal.domain import portal_doctypes

# Frappe's generic read methods answer from any DocType with filters chosen by the caller; some skip
# permissions entirely (frappe.client.get_count counts with any filter: a data oracle). The portal
# never calls them; its own methods return what a customer may see.
REFUSED_METHOD_PREFIXES = ("frappe.desk.",)
REFUSED_METHODS = frozenset(
	{
		"frappe.client.get_count",
		"frappe.client.get_list",
		"frappe.client.get",
		"frappe.client.get_value",
		"frappe.client.get_single_value",
		"frappe.client.get_doc_permissions",
	}
)

# Print entry points that take a doctype argument: the portal shows its own views of the app's
# documents, which leave out staff names and internal references that a print view would show.
PRINT_METHODS = frozenset(
	{
		"frappe.www.printview.get_html_and_style",
		"frappe.www.printview.get_rendered_raw_commands",
		"frappe.utils.print_format.download_pdf",
		"frappe.utils.print_format.download_multi_pdf",
		"frappe.utils.print_format.download_multi_pdf_async",
	}
)

# Frappe's v1 route takes "/api/method/<method>/<anything>" as <method> (it drops what follows)
_METHOD_PATH = re.compile(r"^/api/(?:v[12]/)?method/([^/]+)")


def method_of(path: str, cmd: str | None = None) -> str | None:
	"""The whitelisted method a request calls: /api/method/x, /api/v1|v2/method/x, or the legacy cmd."""
	if cmd:
		return cmd
	match = _METHOD_PATH.match(path or "")
	return match.group(1) if match else None


def refused_to_portal_users(method: str | None) -> bool:
	if not method:
		return False
	return method in REFUSED_METHODS or method.startswith(REFUSED_METHOD_PREFIXES)


def document_route(path: str, doctype_names: set[str], portal_routes: set[str]) -> bool:
	"""Is `path` Frappe's generic "/<DocType>/<name>" print route for one of `doctype_names`
	(lower case), and not one of the app's own pages? Frappe matches the DocType case-insensitively,
	so "/rma/<anything>" would render a print view (or fail with a server error)."""
	parts = (path or "").strip("/").split("/", 1)
	if len(parts) != 2 or not parts[1]:
		return False
	if "/".join(parts).lower() in portal_routes:
		return False
	return parts[0].lower() in doctype_names


# ERPNext's own portal pages and the print views of its documents show a customer's documents to any
# of its portal users: with company members (SPEC §4) each needs the right of the app's own pages, the
# action of its DocType (domain/portal_doctypes.py). /invoices/<name> is ERPNext's page of one document.
# ERPNext's web forms: writing through them (/addresses/new, /addresses/<name>/edit, their save method)
ERPNEXT_WEB_FORM_ACTIONS = {"addresses": "address.write", "issues": "ticket.create", "tasks": "project.write"}
WEB_FORM_SAVE = "frappe.website.doctype.web_form.web_form.accept"


def erpnext_action(path: str, method: str | None, doctype, web_form=None) -> str | None:
	"""The access action an ERPNext portal page, web form or print view needs, or None for others."""
	if method == WEB_FORM_SAVE:
		return ERPNEXT_WEB_FORM_ACTIONS.get(web_form) if isinstance(web_form, str) else None
	parts = (path or "").strip("/").split("/")
	first = parts[0].lower()
	writing = parts[1:2] == ["new"] or (len(parts) > 2 and parts[-1] == "edit")
	if first in ERPNEXT_WEB_FORM_ACTIONS and writing:
		return ERPNEXT_WEB_FORM_ACTIONS[first]
	route_doctype = portal_doctypes.route_doctype(path)
	if route_doctype:
		return portal_doctypes.read_action(route_doctype)
	printing = method in PRINT_METHODS or (path or "").rstrip("/") == "/printview"
	if printing:
		return portal_doctypes.read_action(doctype)
	return None
