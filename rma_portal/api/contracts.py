"""Whitelisted methods of the customer's contracts: the list and each contract's PDF."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import formatdate

from rma_portal import access
from rma_portal.api import page_arg, per_user_limit, text_arg
from rma_portal.services.portal import contracts, portal_print
from rma_portal.services.portal.tickets import display_text

PAGE_SIZE = 20


def pdf_url(name: str) -> str:
	return "/api/method/rma_portal.api.contracts.download?name=" + quote(name, safe="")


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_contracts(search: str | None = None, status: str | None = None, page: str | int = 1) -> dict:
	"""One page of the caller's contracts, active ones first, with their terms as plain text."""
	customer = access.customer_for("contract.read")
	result = contracts.list_contracts(
		customer,
		search=text_arg(search, "search"),
		status=text_arg(status, "status") or None,
		page=page_arg(page),
		page_size=PAGE_SIZE,
	)
	for row in result["rows"]:
		row["terms"] = display_text(row.pop("contract_terms"))
		row["status_display"] = _(row["status"])
		row["start_display"] = formatdate(row.start_date) if row.get("start_date") else ""
		row["end_display"] = formatdate(row.end_date) if row.get("end_date") else ""
		row["deadline_display"] = (
			formatdate(row.fulfilment_deadline) if row.get("fulfilment_deadline") else ""
		)
		row["signed_display"] = formatdate(row.signed_on) if row.get("signed_on") else ""
		row["pdf_url"] = pdf_url(row["name"])
	return result


@frappe.whitelist(methods=["GET"])
def download(name: str):
	"""The contract as PDF (ERPNext's print format), only for its customer's users."""
	customer = access.customer_for("contract.read")
	name = text_arg(name, "name")
	contracts.check_contract(customer, name)
	portal_print.send_pdf(f"{name}.pdf", portal_print.pdf_of("Contract", name))
