"""Whitelisted methods of the invoices and payments page (/portal/invoices): one page as JSON, an
invoice's PDF (ERPNext's print format) and the statement of the unpaid invoices as a PDF. Each asks
the access point first, then calls services.portal_invoices."""

import frappe
from frappe import _
from frappe.utils import cint, today

from rma_portal import access
from rma_portal.api import page_arg, per_user_limit, send_file, text_arg
from rma_portal.services.portal import portal_invoices, portal_print

PAGE_SIZE = 20


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
	send_file(f"{name}.pdf", portal_print.pdf_of("Sales Invoice", name), as_pdf=True)


@frappe.whitelist(methods=["GET"])
@per_user_limit(limit=30)
def download_statement():
	"""The caller's unpaid invoices as one printable statement (PDF)."""
	customer = access.customer_for("invoice.read")
	send_file(f"statement-{today()}.pdf", portal_invoices.statement_pdf(customer), as_pdf=True)
