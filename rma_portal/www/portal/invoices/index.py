"""/portal/invoices: the customer's invoices with amount, paid, outstanding, due date and an overdue
mark, "unpaid only", the payments and credits not yet allocated, the balance per currency (ERPNext's
Payment Ledger), each invoice's PDF and payments, and the statement PDF."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import cint

from rma_portal import access
from rma_portal.api import download_url
from rma_portal.api import invoices as api
from rma_portal.services.portal import portal_invoices
from rma_portal.www.portal_display import page_context, paging

no_cache = 1


def invoice_state(row) -> str:
	if row.is_return:
		return "Credit not yet allocated" if row.outstanding < 0 else "Credit note"
	if row.overdue:
		return "Overdue"
	if row.outstanding <= 0:
		return "Paid"
	return "Partly Paid" if row.paid > 0 else "Unpaid"


def get_context(context):
	access.customer_for("invoice.read")
	page_context(context, _("Invoices and payments"))
	unpaid = 1 if cint(frappe.form_dict.get("unpaid")) else 0
	result = api.list_invoices(unpaid=unpaid, page=frappe.form_dict.get("page") or 1)
	for row in result["rows"]:
		row.state = invoice_state(row)
		row.pdf_url = download_url("invoices.download_invoice", name=row.name)
	paging(context, "/portal/invoices", result["total"], result["page"], api.PAGE_SIZE, unpaid=unpaid or None)
	context.update(
		{
			"rows": result["rows"],
			"totals": result["totals"],
			"unallocated": [
				dict(item, kind=portal_invoices.item_kind(item)) for item in result["unallocated"]
			],
			"unpaid": unpaid,
			"statement_url": "/api/method/rma_portal.api.invoices.download_statement",
		}
	)
	return context
