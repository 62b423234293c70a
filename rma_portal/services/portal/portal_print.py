"""ERPNext's print format of a document as PDF, for a portal user the caller has already checked."""

import frappe

# wkhtmltopdf fetches a print format's stylesheets and images from the site's own URL. Where that URL
# does not answer from the server itself (a site behind a proxy, tests without a web server), a
# network error would fail the whole PDF (Frappe lets only missing files pass): print what loads.
PDF_OPTIONS = {"load-error-handling": "ignore", "load-media-error-handling": "ignore"}


# ERPNext's own designed print formats, used when staff have not chosen a default for the DocType
# (Frappe's generic "Standard" layout lists internal fields and has no heading).
PREFERRED_PRINT_FORMATS = {"Sales Invoice": "Sales Invoice Print"}


def print_format_of(doctype: str) -> str | None:
	chosen = frappe.get_meta(doctype).default_print_format
	if chosen:
		return chosen
	preferred = PREFERRED_PRINT_FORMATS.get(doctype)
	if preferred and frappe.db.get_value("Print Format", {"name": preferred, "disabled": 0}):
		return preferred
	return None


def pdf_of(doctype: str, name: str) -> bytes:
	"""The document's PDF in its default print format. The caller has checked that the user's customer
	owns the document (the app's access point); Frappe's own print check knows only ERPNext's website
	permissions, which do not cover every doctype (Contract) nor the Portal Users table."""
	from frappe.utils.print_utils import get_print

	previous = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		return get_print(
			doctype, name, print_format=print_format_of(doctype), as_pdf=True, pdf_options=dict(PDF_OPTIONS)
		)
	finally:
		frappe.flags.ignore_print_permissions = previous
