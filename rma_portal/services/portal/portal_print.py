"""ERPNext's print format of a document as PDF, for a portal user the caller has already checked."""

import frappe

# wkhtmltopdf fetches a print format's stylesheets and images from the site's own URL. Where that URL
# does not answer from the server itself (a site behind a proxy, tests without a web server), a
# network error would fail the whole PDF (Frappe lets only missing files pass): print what loads.
PDF_OPTIONS = {"load-error-handling": "ignore", "load-media-error-handling": "ignore"}


def pdf_of(doctype: str, name: str) -> bytes:
	"""The document's PDF in its default print format. The caller has checked that the user's customer
	owns the document (the app's access point); Frappe's own print check knows only ERPNext's website
	permissions, which do not cover every doctype (Contract) nor the Portal Users table."""
	from frappe.utils.print_utils import get_print

	previous = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		return get_print(doctype, name, as_pdf=True, pdf_options=dict(PDF_OPTIONS))
	finally:
		frappe.flags.ignore_print_permissions = previous


def send_pdf(file_name: str, content: bytes):
	frappe.local.response.filename = file_name
	frappe.local.response.filecontent = content
	frappe.local.response.type = "pdf"
