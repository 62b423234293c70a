"""Whitelisted methods of the invoices and payments page (/portal/invoices): one page as JSON, an
invoice's PDF (ERPNext's print format) and the statement of the unpaid invoices as a PDF. Each asks
the access point first, then calls services.portal_invoices."""

import frappe
from frappe import _
from frappe.utils import cint, today

from rma_portal import access
from rma_portal.api import page_arg, per_user_limit, text_arg
from rma_portal.services.portal import portal_invoices

PAGE_SIZE = 20


def _send_pdf(file_name: str, content: bytes):
	frappe.local.response.filename = file_name
	frappe.local.response.filecontent = content
	frappe.local.response.type = "pdf"


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


def print_pdf(doctype: str, name: str) -> bytes:
	"""ERPNext's print format of a document the caller has checked belongs to the user's customer.
	Frappe's own print check knows only ERPNext's website permissions, not the Portal Users table."""
	from frappe.utils.print_utils import get_print

	previous = frappe.flags.ignore_print_permissions
	frappe.flags.ignore_print_permissions = True
	try:
		return get_print(doctype, name, print_format=print_format_of(doctype), as_pdf=True)
	finally:
		frappe.flags.ignore_print_permissions = previous


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_invoices(unpaid: str | int | None = None, page: str | int = 1) -> dict:
	"""One page of the caller's invoices (newest first; only those with something owed when `unpaid`),
	each with its payments, and the totals per currency."""
	customer = access.customer_for("invoice.read")
	unpaid = cint(text_arg(unpaid, "unpaid") or 0)
	return portal_invoices.invoice_list(
		customer, unpaid_only=bool(unpaid), page=page_arg(page), page_size=PAGE_SIZE
	)


@frappe.whitelist(methods=["GET"])
@per_user_limit(limit=30)
def download_invoice(name: str):
	"""One of the caller's invoices as PDF, in ERPNext's print format."""
	customer = access.customer_for("invoice.read")
	name = text_arg(name, "name")
	if not name or portal_invoices.customer_of_invoice(name) != customer:
		# the same answer for "not yours" and "does not exist": invoice numbers are guessable
		frappe.throw(_("This invoice was not found among your invoices."), frappe.PermissionError)
	_send_pdf(f"{name}.pdf", print_pdf("Sales Invoice", name))


@frappe.whitelist(methods=["GET"])
@per_user_limit(limit=30)
def download_statement():
	"""The caller's unpaid invoices as one printable statement (PDF)."""
	customer = access.customer_for("invoice.read")
	_send_pdf(f"statement-{today()}.pdf", portal_invoices.statement_pdf(customer))
