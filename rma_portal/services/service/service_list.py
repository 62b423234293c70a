"""All of a customer's service requests, filtered, one page at a time, and the same list as CSV.

Filters: status, RMA type, brand (of any of the request's products), submitted from / to (dates),
and a search over the request's number, the customer's own RMA number, item codes and serial
numbers. Every filter value is checked first; a wrong one is a translated 417 naming the field.
Callers (www/service, api/service) check access and pass the supervisor rule's `raised_by`.
"""

import frappe
from frappe import _
from frappe.utils import cint, format_datetime, getdate

from rma_portal.domain.spreadsheet import csv_bytes, escape_cell
from rma_portal.services.shared.query import kept_with_items, like_pattern, page_bounds

STATUSES = ("Expected", "Received", "Invoiced", "Completed", "Rejected", "Cancelled")
FILTERS = ("status", "rma_type", "brand", "from_date", "to_date", "search")
EXPORT_LIMIT = 5000

_FROM = """from `tabRMA` rma
where rma.customer = %(customer)s and rma.kind = 'Service' and rma.docstatus < 2 {where}"""
_SELECT = """rma.name, rma.submitted_on, rma.status, rma.rma_type, rma.customer_rma_no, rma.received_on,
	rma.total_qty_requested, rma.total_qty_received, rma.outbound_carrier, rma.outbound_tracking_no,
	rma.repair_quote_status,
	(select group_concat(i.item_code order by i.idx separator ', ') from `tabRMA Item` i
		where i.parent = rma.name and i.parenttype = 'RMA') as item_codes,
	(select group_concat(i.serial_no order by i.idx separator ', ') from `tabRMA Item` i
		where i.parent = rma.name and i.parenttype = 'RMA' and ifnull(i.serial_no, '') != '') as serials"""


def clean_filters(values: dict | None) -> frappe._dict:
	"""The filters as the query uses them; ValidationError naming the first wrong field."""
	values = frappe._dict({key: str((values or {}).get(key) or "").strip() for key in FILTERS})
	if values.status and values.status not in STATUSES:
		frappe.throw(_("Status: {0} is not a status of a service request.").format(values.status))
	for field, label in (("from_date", _("From")), ("to_date", _("To"))):
		if values[field]:
			try:
				values[field] = getdate(values[field])
			except Exception:
				frappe.throw(
					_("{0}: {1} is not a date; write it like 2026-01-31.").format(label, values[field])
				)
	if len(values.search) > 140:
		frappe.throw(_("Search: at most {0} characters.").format(140))
	return values


# each filter given adds its condition, in this order; the value is the cleaned filter (a search is a
# LIKE pattern)
_CONDITIONS = (
	("status", "rma.status = %(status)s"),
	("rma_type", "rma.rma_type = %(rma_type)s"),
	("from_date", "rma.submitted_on >= %(from_date)s"),
	("to_date", "rma.submitted_on < date_add(%(to_date)s, interval 1 day)"),
	(
		"brand",
		"""exists (select 1 from `tabRMA Item` b join `tabItem` it on it.name = b.item_code
			where b.parent = rma.name and b.parenttype = 'RMA' and it.brand = %(brand)s)""",
	),
	(
		"search",
		"""(rma.name like %(search)s or rma.customer_rma_no like %(search)s
			or exists (select 1 from `tabRMA Item` s where s.parent = rma.name and s.parenttype = 'RMA'
				and (s.item_code like %(search)s or s.serial_no like %(search)s or s.ean like %(search)s)))""",
	),
)


def _where(customer: str, filters: frappe._dict, raised_by: list[str] | None) -> tuple[str, dict]:
	values = {"customer": customer}
	where = []
	if raised_by is not None:
		values["raised_by"] = tuple(raised_by) or ("",)
		where.append("rma.portal_user in %(raised_by)s")
	for field, condition in _CONDITIONS:
		if filters[field]:
			values[field] = like_pattern(filters.search) if field == "search" else filters[field]
			where.append(condition)
	return "".join(f" and {condition}" for condition in where), values


def service_requests(
	customer: str, filters: dict | None = None, page: int = 1, page_size: int = 20, raised_by=None
) -> dict:
	"""One page of the customer's service requests, newest first, with the total and the filters."""
	filters = clean_filters(filters)
	page, page_size = page_bounds(page, page_size)
	where, values = _where(customer, filters, raised_by)
	values.update(limit=page_size, offset=(page - 1) * page_size)
	rows = frappe.db.sql(
		f"select {_SELECT} {_FROM.format(where=where)}"  # nosec B608 - fixed texts and parameters
		" order by rma.submitted_on desc, rma.creation desc limit %(limit)s offset %(offset)s",
		values,
		as_dict=True,
	)
	total = frappe.db.sql(f"select count(*) {_FROM.format(where=where)}", values)[0][0]  # nosec B608
	return {"rows": rows, "total": cint(total), "page": page, "page_size": page_size, "filters": filters}


def brands_of(customer: str) -> list[str]:
	"""The brands of the customer's service requests, for the brand filter. Kept between changes of
	the customer's requests (an RMA's lines are saved with it) and of the items (a brand changed):
	the join reads every line of the customer's requests (4,600 requests at 200,000 delivered lines,
	20-33 ms); the newest `modified` of both is one row of an index each (RMA customer_modified,
	Item modified)."""
	return kept_with_items("service_brands", "RMA", customer, lambda: _brands_of(customer))


def _brands_of(customer: str) -> list[str]:
	return frappe.db.sql_list(
		"""select distinct it.brand from `tabRMA` rma
		join `tabRMA Item` i on i.parent = rma.name and i.parenttype = 'RMA'
		join `tabItem` it on it.name = i.item_code
		where rma.customer = %(customer)s and rma.kind = 'Service' and ifnull(it.brand, '') != ''
		order by it.brand""",
		{"customer": customer},
	)


def export_csv(customer: str, filters: dict | None = None, raised_by=None) -> bytes:
	"""The filtered list (up to EXPORT_LIMIT rows) as CSV, UTF-8 with BOM (Excel opens it)."""
	filters = clean_filters(filters)
	where, values = _where(customer, filters, raised_by)
	values["limit"] = EXPORT_LIMIT
	rows = frappe.db.sql(
		f"select {_SELECT} {_FROM.format(where=where)}"  # nosec B608 - fixed texts and parameters
		" order by rma.submitted_on desc, rma.creation desc limit %(limit)s",
		values,
		as_dict=True,
	)
	header = [
		_("RMA no."),
		_("Requested on"),
		_("Status"),
		_("RMA type"),
		_("Your RMA number"),
		_("Items"),
		_("Serial numbers"),
		_("Qty requested"),
		_("Qty received"),
		_("Tracking number"),
	]
	lines = (
		[
			row.name,
			format_datetime(row.submitted_on, "yyyy-MM-dd HH:mm") if row.submitted_on else "",
			_(row.status),
			_(row.rma_type) if row.rma_type else "",
			_csv_text(row.customer_rma_no),
			row.item_codes or "",
			_csv_text(row.serials),
			f"{row.total_qty_requested or 0:g}",
			f"{row.total_qty_received or 0:g}",
			_csv_text(row.outbound_tracking_no),
		]
		for row in rows
	)
	return csv_bytes([header, *lines])


def _csv_text(value) -> str:
	"""Customer-typed text as a spreadsheet cell: never a formula (domain.spreadsheet)."""
	return escape_cell(str(value or ""))
