"""Frappe's error page in the portal's look, without "Uncaught Server Exception" (www/error_pages.py)."""

import frappe

from rma_portal.www.error_pages import error

no_cache = 1


def get_context(context):
	if frappe.flags.in_migrate:
		return
	error(context)
