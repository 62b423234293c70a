"""/service: the service request desk of a portal user (SPEC §1, seed 000).

New request, serial number lookup, search by RMA / serial / own number, warranty check by EAN,
CSV import, and all of the customer's service requests (filtered by status, type, brand and dates,
a page at a time, exported as CSV with the same filters). The look-ups and the import run through
rma_portal.api.service from the page's script; this context only lists what the page shows first.
"""

import math
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import cint, format_datetime, get_user_date_format, getdate, today

from rma_portal import access
from rma_portal.domain import dates
from rma_portal.domain.csv_rows import COLUMN_LABELS, MAX_ROWS
from rma_portal.services.service import (
	service_csv,
	service_list,
	service_lookups,
	service_rma,
	service_rules,
)
from rma_portal.services.shared.settings import rma_settings
from rma_portal.www.rma import common_context, script_json

no_cache = 1


def get_context(context):
	customer = access.customer_for("rma.read")
	common_context(context, _("Service requests"))
	context.show_sidebar = True
	types = service_rma.rma_types()
	context.update(request_list(customer))
	context.update(
		{
			"customer": customer,
			"can_create": access.can("rma.create", customer),
			"rma_types": types,
			"service_address": rma_settings().return_address,
			"max_rows": MAX_ROWS,
			"csv_columns": COLUMN_LABELS,
			"background_rows": service_csv.CSV_BACKGROUND_ROWS,
			"date_example": dates.example(get_user_date_format(), getdate(today())),
			"iso_example": getdate(today()).isoformat(),
			"expectations": service_rules.expectation_names(),
			"search_depth": service_lookups.SEARCH_DEPTH,
		}
	)
	context.config_json = script_json({"max_rows": MAX_ROWS})
	return context


def request_list(customer: str) -> dict:
	"""One page of the customer's service requests with the filters of the query string."""
	form = frappe.form_dict
	filters = {key: form.get(key) for key in service_list.FILTERS}
	page = max(1, cint(form.get("page")) or 1)
	try:
		result = service_list.service_requests(
			customer, filters, page=page, raised_by=access.raised_by_filter("rma.read", customer)
		)
		problem = None
	except frappe.ValidationError as e:  # a wrong filter typed in the address: said, and all shown
		frappe.clear_messages()
		problem = str(e)
		result = service_list.service_requests(
			customer, {}, page=1, raised_by=access.raised_by_filter("rma.read", customer)
		)
	for row in result["rows"]:
		row["submitted_display"] = format_datetime(row.submitted_on) if row.submitted_on else ""
	shown = {key: str(value) for key, value in result["filters"].items() if value}
	pages = max(1, math.ceil(result["total"] / result["page_size"]))

	def url(page_no: int) -> str:
		return "/service?" + urlencode({**shown, "page": page_no}) + "#requests"

	return {
		"requests": result["rows"],
		"requests_total": result["total"],
		"requests_page": result["page"],
		"requests_pages": pages,
		"filter_values": shown,
		"filter_problem": problem,
		"statuses": service_list.STATUSES,
		"brands": service_list.brands_of(customer),
		"prev_url": url(result["page"] - 1) if result["page"] > 1 else None,
		"next_url": url(result["page"] + 1) if result["page"] < pages else None,
		"export_url": "/api/method/rma_portal.api.service.export_requests?" + urlencode(shown),
	}
