"""Whitelisted methods of the pending order lines page (/portal/orders): one page as JSON and the CSV
export of every matching line. Each asks the access point first, then calls services.portal_orders."""

import frappe
from frappe import _
from frappe.utils import formatdate

from rma_portal import access
from rma_portal.api import page_arg, parse_arg, per_user_limit, send_file, text_arg
from rma_portal.api.returns import _date_filter
from rma_portal.domain.formats import format_qty
from rma_portal.domain.spreadsheet import csv_bytes, escape_cell
from rma_portal.services.portal import portal_orders

PAGE_SIZE = 20


def filters_arg(filters) -> dict:
	"""The per-column search boxes: known columns only, dates typed in the user's format searched as
	stored (13-10-2026 -> 2026-10-13)."""
	out = {
		key: text_arg(value, f"filters.{key}")
		for key, value in parse_arg(filters, dict, "filters").items()
		if value not in (None, "") and key in dict(portal_orders.ORDER_COLUMNS)
	}
	for key in portal_orders.DATE_COLUMNS:
		if out.get(key):
			out[key] = _date_filter(str(out[key]))
	return out


def display(row: dict) -> dict:
	row["transaction_date_display"] = (
		formatdate(row.get("transaction_date")) if row.get("transaction_date") else ""
	)
	row["delivery_date_display"] = formatdate(row.get("delivery_date")) if row.get("delivery_date") else ""
	for key in portal_orders.NUMBER_COLUMNS:
		row[f"{key}_display"] = format_qty(row.get(key))
	return row


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def get_pending_lines(
	filters: str | dict | None = None, page: str | int = 1, sort: str | None = None
) -> dict:
	"""One page of the caller's order lines not fully delivered, searched per column, sorted by the
	expected delivery date (sort "expected", "expected_desc" or "order")."""
	customer = access.customer_for("order.read")
	result = portal_orders.pending_lines(
		customer,
		filters_arg(filters),
		page=page_arg(page),
		page_size=PAGE_SIZE,
		sort=(text_arg(sort, "sort") or "").strip() or None,
	)
	result["rows"] = [display(row) for row in result["rows"]]
	return result


@frappe.whitelist(methods=["GET"])
@per_user_limit(limit=20)
@frappe.read_only()
def export_pending_lines(filters: str | dict | None = None, sort: str | None = None):
	"""Every matching pending line as a CSV file (formula-like cells escaped: domain.spreadsheet)."""
	customer = access.customer_for("order.read")
	rows = portal_orders.all_pending_lines(
		customer, filters_arg(filters), sort=(text_arg(sort, "sort") or "").strip() or None
	)
	columns = [*portal_orders.ORDER_COLUMNS, ("uom", "UOM")]
	lines = [
		[
			escape_cell("" if row.get(key) is None else str(row.get(key)))
			if key not in portal_orders.NUMBER_COLUMNS
			else format_qty(row.get(key))
			for key, _label in columns
		]
		for row in rows
	]
	send_file("pending-order-lines.csv", csv_bytes([[_(label) for _key, label in columns], *lines]))
