"""Whitelisted methods of quote requests: item search, the form's choices, sending a request, the list."""

from urllib.parse import quote

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import display_dates, download_url, page_arg, per_user_limit, rows_arg, text_arg
from rma_portal.services.portal import quote_requests as requests

PAGE_SIZE = 20


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def search_items(text: str | None = None) -> list[dict]:
	"""Items to add to a request, found by code, name or EAN (at least two characters)."""
	access.customer_for("quote_request.create")
	return requests.search_items(text_arg(text, "text"))


def delivery_options(customer: str) -> tuple[str, ...]:
	"""The delivery options the caller may choose: pickup at our branch only with BR."""
	if access.can("branch.pickup", customer):
		return requests.DELIVERY_OPTIONS
	return tuple(option for option in requests.DELIVERY_OPTIONS if option != requests.PICKUP)


@frappe.whitelist(methods=["GET"])
@frappe.read_only()
def get_form_options() -> dict:
	"""The delivery options and the caller's addresses for the request form."""
	customer = access.customer_for("quote_request.create")
	return {
		"delivery_options": [{"value": o, "label": _(o)} for o in delivery_options(customer)],
		"addresses": requests.addresses(customer),
	}


@frappe.whitelist(methods=["POST"])
def send_request(
	request_key: str | None = None,
	lines: str | None = None,
	delivery_option: str | None = None,
	address: str | None = None,
	remarks: str | None = None,
) -> dict:
	"""Send a quote request: `lines` is a JSON list of {item_code, qty}. The same request_key sent
	again returns the first request's record and makes nothing."""
	customer = access.customer_for("quote_request.create")
	if (text_arg(delivery_option, "delivery_option") or "").strip() == requests.PICKUP:
		access.check("branch.pickup", customer)  # collecting at our branch is the BR right's
	doctype, name, made = requests.create_request(
		customer,
		text_arg(request_key, "request_key"),
		rows_arg(lines or "[]", "lines"),
		text_arg(delivery_option, "delivery_option"),
		text_arg(address, "address"),
		text_arg(remarks, "remarks"),
	)
	return {
		"doctype": doctype,
		"name": name,
		"created": made,
		"url": "/portal/quotes?sent=" + quote(name, safe=""),
	}


@frappe.whitelist(methods=["GET"])
@per_user_limit()
def list_requests(page: str | int = 1) -> dict:
	"""One page of the caller's quote requests, newest first, each with its lines and quotation."""
	customer = access.customer_for("quote_request.read")
	# the supervisor rule (company members): a member sees the requests they and their reports raised
	raised_by_filter = getattr(access, "raised_by_filter", None)
	raised_by = raised_by_filter("quote_request.read", customer) if raised_by_filter else None
	result = requests.list_requests(customer, page=page_arg(page), page_size=PAGE_SIZE, raised_by=raised_by)
	lines = requests.request_lines(result["rows"])
	for row in result["rows"]:
		row["items"] = lines.get(row["name"], [])
		row["status_display"] = _(row["status"])
		row["delivery_display"] = _(row.delivery_option) if row.get("delivery_option") else ""
		display_dates(row, "valid_till", transaction_date="date_display")
		row["quotation_pdf"] = (
			download_url("quotations.download_quotation", name=row["quotation"])
			if row.get("quotation")
			else None
		)
		for field in ("record_status", "creation"):
			row.pop(field, None)
	return result
