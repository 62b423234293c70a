"""ERPNext's print format of a document as PDF, for a portal user the caller has already checked."""

import frappe


def pdf_of(doctype: str, name: str) -> bytes:
	"""The document's PDF in its default print format. The caller has checked that the user's customer
	owns the document (the app's access point); Frappe's own print check knows only ERPNext's website
	permissions, which do not cover every doctype (Contract) nor the Portal Users table."""
	from frappe.utils.print_utils import get_print

	previous = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		return get_print(doctype, name, as_pdf=True)
	finally:
		frappe.flags.ignore_print_permissions = previous


def send_pdf(file_name: str, content: bytes):
	frappe.local.response.filename = file_name
	frappe.local.response.filecontent = content
	frappe.local.response.type = "pdf"
