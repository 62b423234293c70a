"""Frappe's "not found" page in the portal's look (www/error_pages.py)."""

from rma_portal.www.error_pages import not_found

no_cache = 1


def get_context(context):
	not_found(context)
