"""The Frappe / ERPNext APIs that differ between v15 (tested) and v16 (checked on paper), in one place.

Each name here works on both lines; the rest of the app calls these instead of the moved or changed
API. docs/v16-compatibility.md lists every API the app uses and what v16 does with it. This module
imports only Frappe and ERPNext (any layer may use it); nothing is imported before it is needed.
"""

import frappe

FRAPPE_MAJOR = int(frappe.__version__.split(".")[0])


def payment_entry_for(doctype: str, name: str, amount: float | None = None):
	"""ERPNext's Payment Entry for an invoice or order (not inserted), for `amount` or the outstanding.

	v16 dropped get_payment_entry's ignore_permissions argument (v15 accepted it and did not use it):
	only the arguments both lines take, by keyword.
	"""
	from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

	if amount is None:
		return get_payment_entry(doctype, name)
	return get_payment_entry(doctype, name, party_amount=amount)


def number_format_info(number_format: str) -> tuple[str, str, int]:
	"""(decimal separator, thousands separator, precision) of a number format such as "#.###,##".

	v16 moved frappe.utils.data.get_number_format_info to frappe.deprecation_dumpster (it warns) and
	offers frappe.utils.number_format.NumberFormat instead; v15 has only the former.
	"""
	try:
		from frappe.utils.number_format import NUMBER_FORMAT_MAP
	except ImportError:  # v15
		from frappe.utils.data import get_number_format_info

		return get_number_format_info(number_format)
	return NUMBER_FORMAT_MAP.get(number_format) or (".", ",", 2)


def shares_compiled_templates() -> bool:
	"""Whether Frappe's own Jinja environment already shares compiled templates between requests.

	v16's get_jenv overlays one process-wide environment (its template cache shared); v15 builds the
	environment anew per request, which overrides/templates.py makes up for.
	"""
	return FRAPPE_MAJOR >= 16


def web_boot_reads_workspaces() -> bool:
	"""Whether every web page's boot data reads the desk's workspaces for its app switcher.

	v15's frappe.apps.get_apps (called by frappe.website.utils.get_boot_data) reads every Workspace
	and checks it against the user's roles first; v16's reads none. overrides/website_boot.py spares
	website users that reading on v15.
	"""
	return FRAPPE_MAJOR < 16


def list_page_renderer():
	"""Frappe's page renderer of a DocType's generic web list (/invoices, /orders, ...).

	v15: frappe.website.page_renderers.list_page.ListPage (template www/list.html);
	v16: frappe.website.page_renderers.list_renderer.ListPage (the list is drawn by www/portal).
	"""
	try:
		from frappe.website.page_renderers.list_renderer import ListPage
	except ImportError:  # v15
		from frappe.website.page_renderers.list_page import ListPage
	return ListPage


def _web_list_module():
	"""Frappe's module of the rendered web list: frappe.www.list (v15); v16 moved its get_context, get
	and set_route to frappe.www.portal (frappe.www.list keeps get_list_data, prepare_filters,
	get_list_context and get_list on both lines)."""
	try:
		from frappe.www import portal  # v16

		return portal
	except ImportError:  # v15: no www/portal
		from frappe.www import list as web_list

		return web_list


def rendered_list(doctype: str, txt=None, limit_start=0, limit=20, pathname=None, **kwargs) -> dict:
	"""Frappe's own rendered rows of a web list (the answer of list.js's "More": result, raw_result,
	show_more, next_start), under Frappe's permissions: v15 frappe.www.list.get, v16
	frappe.www.portal.get (not whitelisted there; list.js still calls the method frappe.www.list.get)."""
	return _web_list_module().get(doctype, txt, limit_start, limit, pathname, **kwargs)


def set_list_route(context) -> None:
	"""Frappe's link of one row of a web list (context.route): set_route of the list module."""
	_web_list_module().set_route(context)


def list_page_context(context) -> None:
	"""What Frappe's list page adds to its context beyond the list: v16's www/portal a sidebar and its
	home (/portal); v15's www/list nothing."""
	if _web_list_module().__name__ == "frappe.www.portal":
		context.show_sidebar = True
		context.home_page = "/portal"


def _test_base():
	try:
		from frappe.tests import IntegrationTestCase  # v16

		return IntegrationTestCase
	except ImportError:  # v15: FrappeTestCase (in v16 only a deprecated copy of it)
		from frappe.tests.utils import FrappeTestCase

		return FrappeTestCase


def __getattr__(name: str):
	"""`compat.IntegrationTestCase`: the base of the app's integration tests, imported only by tests."""
	if name == "IntegrationTestCase":
		return _test_base()
	raise AttributeError(name)
