"""One read boundary for ERPNext's and Frappe's generic portal routes and methods (SPEC §6).

ERPNext shows a customer's portal user the documents of every customer linked to them (its own
website permission and list pages), whatever company they chose on /company and whatever rights
their Company Member record gives. Here each DocType of domain/portal_doctypes.py is held to the
access point instead: the company the user acts for, and the action of the app's own page of those
documents (access.refusal, so the refusal reads the same). Through Frappe's hooks:

- `has_website_permission` (ANDed with ERPNext's): ERPNext's pages of one document (/invoices/<name>),
  /printview, the print and PDF methods, "/<DocType>/<name>", web forms;
- `has_permission` and `permission_query_conditions` for Address and Contact, the customer documents
  a Website User reads by role (their own): Frappe's REST API (/api/resource, /api/v2), lists;
- the lists ERPNext fills without permission checks (/invoices, /orders, ..., frappe.www.list.get and
  get_list_data): a page renderer for the list routes and `override_whitelisted_methods` for the two
  methods, listing the acting customer's documents with ERPNext's own list functions and templates.

Staff, guests and Website Users who act for no customer (a supplier's portal) keep Frappe's and
ERPNext's own rules.
"""

import json
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.model.document import Document, get_controller
from frappe.utils.response import json_handler
from frappe.www import list as frappe_list

from rma_portal import access, compat
from rma_portal.domain import portal_doctypes as doctypes

HOOK = __name__ + ".has_website_permission"

# This module is the list page's Python module (PortalListPage): never cache the page, it is per user
no_cache = 1


def _applies(user: str | None = None) -> bool:
	"""Is `user` the boundary's subject: a portal user (Website User), also one whose membership was
	disabled or who has no company (both are refused by the access point), but not a supplier's user
	(ERPNext's supplier portal keeps its own rules)?"""
	user = user or frappe.session.user
	if not access.is_portal_user(user):
		return False
	roles = frappe.get_roles(user)
	return "Customer" in roles or "Supplier" not in roles


def page_asks_itself(path: str, method: str | None) -> bool:
	"""Does this page request reach a page that asks the boundary itself (and refuses with the access
	point's message, which before_request cannot show)? ERPNext's list and document pages of the
	boundary's DocTypes, the print view."""
	first = (path or "").strip("/").split("/")[0].lower()
	return not method and first in doctypes.PAGES_ASKING_THE_BOUNDARY


# -- one document -------------------------------------------------------------------------------------


def document_customers(doc) -> list[str]:
	"""The customers a document belongs to (Address and Contact: every customer they are linked to)."""
	doctype = doc.doctype
	if doctype in doctypes.LINKED_BY_DYNAMIC_LINK:
		return [link.link_name for link in doc.get("links") or [] if link.link_doctype == "Customer"]
	if doctype == "Task":
		project = doc.get("project")
		customer = project and frappe.db.get_value("Project", project, "customer")
		return [customer] if customer else []
	if doctype == "Quotation" and doc.get("quotation_to") != "Customer":
		return []
	if doctype == "Payment Entry" and doc.get("party_type") != "Customer":
		return []
	customer = doc.get(doctypes.customer_field(doctype))
	return [customer] if customer else []


def _own_record(doc, user: str) -> bool:
	"""A user's own Contact, or an address or contact they made that names no customer."""
	if doc.doctype == "Contact" and doc.get("user") == user:
		return True
	return (
		doc.doctype in doctypes.LINKED_BY_DYNAMIC_LINK
		and doc.get("owner") == user
		and not any(link.link_doctype == "Customer" for link in doc.get("links") or [])
	)


def refusal(doc, user: str | None = None) -> str | None:
	"""Why the portal user may not read `doc`, or None when they may: it must belong to the customer
	they act for, and they need the action of its DocType there."""
	user = user or frappe.session.user
	if doc.doctype in doctypes.NOT_IN_PORTAL:
		return _("These documents are not available in the portal.")
	action = doctypes.read_action(doc.doctype)
	if not action:
		return None
	if _own_record(doc, user):
		return None
	customers = document_customers(doc)
	acting = access.acting_customer(user)
	customer = acting if acting in customers else (customers[0] if customers else None)
	if not customer:
		return _("You are not allowed to do this for this customer.")
	reason = access.refusal(action, customer, user)
	if not reason and doc.doctype in ("Project", "Task") and not _sees_project(doc, customer, user):
		reason = _("You are not allowed to do this for this customer.")
	return reason


def _sees_project(doc, customer: str, user: str) -> bool:
	"""A member without PRO sees only the projects they are a Project User of (and their tasks)."""
	if not access.project_user_filter(customer, user):
		return True
	project = doc.name if doc.doctype == "Project" else doc.get("project")
	return bool(project) and project in _projects_of_user(user)


def _projects_of_user(user: str) -> list[str]:
	return frappe.get_all("Project User", filters={"parenttype": "Project", "user": user}, pluck="parent")


def has_website_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""has_website_permission hook of every DocType the boundary covers. The caller's own request is
	refused with the access point's reason (Frappe's pages would only say "Not Permitted")."""
	user = user or frappe.session.user
	if not _applies(user):
		# ANDed with Frappe's or ERPNext's own check where there is one; alone, it grants nothing
		others = set((frappe.get_hooks("has_website_permission") or {}).get(doc.doctype, [])) - {HOOK}
		return bool(others)
	reason = refusal(doc, user)
	if reason and user == frappe.session.user:
		frappe.throw(reason, frappe.PermissionError)
	return not reason


def has_permission(doc, ptype=None, user=None, debug=False) -> bool | None:
	"""has_permission hook of Address and Contact (a Website User reads their own by role): refuses
	those of another customer than the one acted for, and without the right; and Tag Link; grants
	nothing."""
	user = user or frappe.session.user
	if not _applies(user) or not doc or isinstance(doc, str):
		return None
	if doc.doctype in doctypes.ROLE_READABLE_REFUSED:
		return False
	return False if refusal(doc, user) else None


def _linked_conditions(doctype: str, user: str) -> str:
	"""SQL condition: the acting customer's records of `doctype` (with the right), and the user's own."""
	table = f"`tab{doctype}`"
	links = (
		f"select dl.parent from `tabDynamic Link` dl where dl.parenttype = {frappe.db.escape(doctype)} "
		"and dl.link_doctype = 'Customer'"
	)
	own = f"({table}.owner = {frappe.db.escape(user)} and {table}.name not in ({links}))"
	if doctype == "Contact":
		own = f"({own} or {table}.user = {frappe.db.escape(user)})"
	customer = access.acting_customer(user)
	if not customer or not access.can(doctypes.READ_ACTIONS[doctype], customer, user):
		return own
	acting = f"{table}.name in ({links} and dl.link_name = {frappe.db.escape(customer)})"
	return f"({acting} or {own})"


def refused_query_conditions(user: str | None = None) -> str:
	"""permission_query_conditions of what a Website User reads by role but the portal never shows
	(Tag Link: every tagged document's name and title, of any customer)."""
	user = user or frappe.session.user
	return "1 = 0" if _applies(user) else ""


def address_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	return _linked_conditions("Address", user) if _applies(user) else ""


def contact_query_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	return _linked_conditions("Contact", user) if _applies(user) else ""


# -- lists ERPNext fills without permission checks ---------------------------------------------------


def _boundary_list(doctype) -> bool:
	"""Is this a list of one of the boundary's DocTypes asked by its subject?"""
	return bool(doctypes.canonical(doctype)) and _applies()


def _scoped_list(doctype) -> bool:
	"""Lists of `doctype` that ERPNext fills with ignore_permissions for a customer's portal user (the
	boundary lists them itself); Address and Contact lists are Frappe's own, under the query conditions."""
	return _boundary_list(doctype) and doctypes.canonical(doctype) not in doctypes.LINKED_BY_DYNAMIC_LINK


def _frappes_own_list(doctype) -> str | None:
	"""Address or Contact asked by the boundary's subject: refused without the right (the app's message),
	else Frappe's own list of the DocType (its canonical name)."""
	if not _boundary_list(doctype) or _scoped_list(doctype):
		return None
	name = doctypes.canonical(doctype)
	_customer_for_list(name)
	return name


def _customer_for_list(doctype: str) -> str:
	if doctype in doctypes.NOT_IN_PORTAL or not doctypes.read_action(doctype):
		frappe.throw(_("These documents are not available in the portal."), frappe.PermissionError)
	return access.customer_for(doctypes.read_action(doctype))


def _rows(doctype: str, customer: str, txt, filters: dict, limit_start: int, limit: int) -> list:
	"""One page of the customer's documents as ERPNext's list pages show them."""
	field = doctypes.customer_field(doctype)
	if doctype in doctypes.TRANSACTIONS:
		from erpnext.controllers.website_list_for_contact import get_list_for_transactions, post_process

		filters.update({"docstatus": 1, field: customer})
		if doctype == "Quotation":
			filters["quotation_to"] = "Customer"
		names = get_list_for_transactions(
			doctype, txt, filters, limit_start, limit, ignore_permissions=True, fields="name"
		)
		return post_process(doctype, names)
	if doctype == "Payment Entry":
		filters.update({"docstatus": 1, "party_type": "Customer"})
	project_user = doctype in ("Project", "Task") and access.project_user_filter(customer)
	if doctype == "Task":
		project_filters = {"customer": customer}
		if project_user:
			project_filters["name"] = ["in", _projects_of_user(project_user) or [""]]
		projects = frappe.get_all("Project", filters=project_filters, pluck="name")
		filters["project"] = ["in", projects or [""]]
	else:
		filters[field] = customer
		if project_user:  # a member without PRO: the projects they are a Project User of
			filters["name"] = ["in", _projects_of_user(project_user) or [""]]
	return frappe_list.get_list(doctype, txt, filters, limit_start, limit, ignore_permissions=True)


def _list_data(doctype, txt, limit_start, limit, web_form_name, kwargs) -> list:
	doctype = doctypes.canonical(doctype)
	customer = _customer_for_list(doctype)
	if not txt and frappe.form_dict.search:
		txt = frappe.form_dict.search
	filters = frappe_list.prepare_filters(doctype, get_controller(doctype), dict(kwargs))
	filters.pop(doctypes.customer_field(doctype), None)
	list_context = frappe_list.get_list_context(frappe._dict(), doctype, web_form_name)
	meta = frappe.get_meta(doctype)
	list_context.title_field = getattr(get_controller(doctype), "website", {}).get(
		"page_title_field", meta.title_field or "name"
	)
	frappe.flags.list_context = list_context
	return _rows(doctype, customer, txt, dict(filters), frappe.utils.cint(limit_start), limit)


@frappe.whitelist(allow_guest=True)
def get_list_data(
	doctype, txt=None, limit_start=0, fields=None, cmd=None, limit=20, web_form_name=None, **kwargs
):
	"""frappe.www.list.get_list_data, the acting customer's documents for the DocTypes of the boundary."""
	doctype = _frappes_own_list(doctype) or doctype
	if not _scoped_list(doctype):
		return frappe_list.get_list_data(
			doctype, txt, limit_start, fields, cmd, limit, web_form_name, **kwargs
		)
	return _list_data(doctype, txt, limit_start, frappe.utils.cint(limit) or 20, web_form_name, kwargs)


@frappe.whitelist(allow_guest=True)
def get(doctype, txt=None, limit_start=0, limit=20, pathname=None, **kwargs):
	"""frappe.www.list.get (the rendered rows of a list page and its "More"), scoped like get_list_data."""
	# numbers from the query string: Frappe's own get adds 1 to `limit` as it came (a TypeError, 500)
	limit, limit_start = frappe.utils.cint(limit) or 20, frappe.utils.cint(limit_start)
	doctype = _frappes_own_list(doctype) or doctype
	if not _scoped_list(doctype):
		return compat.rendered_list(doctype, txt, limit_start, limit, pathname, **kwargs)
	kwargs.pop("cmd", None)
	raw_result = _list_data(doctype, txt, limit_start, limit + 1, None, kwargs)
	return _rendered(doctypes.canonical(doctype), raw_result, txt, limit_start, limit, pathname)


def _rendered(doctype: str, raw_result: list, txt, limit_start: int, limit: int, pathname) -> dict:
	"""frappe.www.list.get's answer for rows already read: each rendered with the list's row template."""
	show_more = len(raw_result) > limit
	raw_result = raw_result[:limit]
	if not raw_result:
		return {"result": []}
	meta, list_context = frappe.get_meta(doctype), frappe.flags.list_context
	if txt:
		list_context.default_subtitle = _('Filtered by "{0}"').format(txt)
	row_template = list_context.row_template or "templates/includes/list/row_template.html"
	list_view_fields = [df for df in meta.fields if df.in_list_view][:4]
	pathname = (pathname or frappe.local.request.path).strip("/ ")
	result = []
	for doc in raw_result:
		doc.doctype = doctype
		context = frappe._dict(doc=doc, meta=meta, list_view_fields=list_view_fields, pathname=pathname)
		if not list_context.get_list and not isinstance(doc, Document):
			context.doc = frappe.get_doc(doctype, doc.name)
			context.update(context.doc.as_dict())
		context.update(list_context)
		compat.set_list_route(context)
		result.append(frappe.render_template(row_template, context, is_path=True))
	return {
		"raw_result": json.dumps(raw_result, default=json_handler),
		"result": result,
		"show_more": show_more,
		"next_start": limit_start + limit,
	}


def get_context(context, **params):
	"""The list page's context (Frappe's list page get_context: www/list in v15, www/portal in v16),
	with the scoped rows."""
	frappe.local.form_dict.update(params)
	doctype = frappe.local.form_dict.doctype
	context.parents = [{"route": "me", "title": _("My Account")}]
	context.meta = frappe.get_meta(doctype)
	context.update(frappe_list.get_list_context(context, doctype) or {})
	context.doctype = doctype
	context.txt = frappe.local.form_dict.txt
	compat.list_page_context(context)
	context.update(get(**frappe.local.form_dict))


class PortalListPage(compat.list_page_renderer()):
	"""page_renderer: ERPNext's list routes of the boundary's DocTypes (/invoices, /orders, ...) for a
	customer's portal user, rendered with Frappe's list template (www/list in v15, www/portal in v16)
	and this module's context."""

	def can_render(self):
		return _boundary_list(self.path)

	def render(self):
		self.path = doctypes.canonical(self.path)
		return super().render()

	def set_pymodule(self):
		self.pymodule_name = __name__


# -- ERPNext's pages of one document named by a query argument ---------------------------------------


def check_document_page(path: str):
	"""ERPNext's pages of one document that do not ask has_website_permission first, held to the same
	boundary (before_request: they have no hook): /projects?project=X reads its project without asking
	its customer; a web form's /issues/<name> and /addresses/<name>/edit let the document's owner in
	before any website permission (a ticket made for the other company). Its broken pages: refused."""
	route = (path or "").strip("/")
	first, _sep, rest = route.partition("/")
	page = doctypes.DOCUMENT_PAGES.get(route.lower())
	web_form = (
		first.lower() in doctypes.WEB_FORM_DOCUMENTS and rest and rest.split("/")[0] not in ("new", "list")
	)
	broken = route.lower() in doctypes.BROKEN_PAGES
	if not (page or web_form or broken) or not _applies():
		return
	if broken:
		frappe.throw(_("These documents are not available in the portal."), frappe.PermissionError)
	if page:
		doctype, name = page[0], frappe.form_dict.get(page[1])
	else:
		doctype, name = doctypes.WEB_FORM_DOCUMENTS[first.lower()], unquote(rest.split("/")[0])
	doc = frappe.get_doc(doctype, name) if isinstance(name, str) and frappe.db.exists(doctype, name) else None
	reason = refusal(doc) if doc else _("You are not allowed to do this for this customer.")
	if reason:
		frappe.throw(reason, frappe.PermissionError)
