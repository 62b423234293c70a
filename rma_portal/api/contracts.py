"""Whitelisted methods of the customer's contracts: the list and each contract's PDF."""

from urllib.parse import quote

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import display_dates, download_url, list_args, per_user_limit, send_file, text_arg
from rma_portal.services.portal import contracts, portal_print
from rma_portal.services.portal.tickets import display_text

PAGE_SIZE = 20


def pdf_url(name: str) -> str:
	return download_url("contracts.download", name=name)


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_contracts(search: str | None = None, status: str | None = None, page: str | int = 1) -> dict:
	"""One page of the caller's contracts, active ones first, with their terms as plain text."""
	customer = access.customer_for("contract.read")
	result = contracts.list_contracts(customer, **list_args(search, page, PAGE_SIZE, status=status))
	for row in result["rows"]:
		row["terms"] = display_text(row.pop("contract_terms"))
		row["status_display"] = _(row["status"])
		display_dates(
			row,
			start_date="start_display",
			end_date="end_display",
			fulfilment_deadline="deadline_display",
			signed_on="signed_display",
		)
		row["pdf_url"] = pdf_url(row["name"])
	return result


@frappe.whitelist(methods=["GET"])
def download(name: str):
	"""The contract as PDF (ERPNext's print format), only for its customer's users."""
	customer = access.customer_for("contract.read")
	name = text_arg(name, "name")
	contracts.check_contract(customer, name)
	send_file(f"{name}.pdf", portal_print.pdf_of("Contract", name), as_pdf=True)
