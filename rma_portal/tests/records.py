"""Keeps Frappe's test runner from building other apps' "_Test" records for our DocType tests."""

import frappe


def linked_doctypes(doctype: str) -> list[str]:
	"""Every DocType that `doctype` and its child tables link to.

	A DocType test module lists these as `test_ignore`: our tests make the data they need, and Frappe
	would otherwise build ERPNext's "_Test ..." records for each link, recursively (minutes, and apps
	we do not require). Computed from the meta, so a new link field is covered without an edit.
	"""
	meta = frappe.get_meta(doctype)
	links = {df.options for df in meta.get_link_fields()}
	for table in meta.get_table_fields():
		links |= {df.options for df in frappe.get_meta(table.options).get_link_fields()}
	return sorted(links - {doctype})
