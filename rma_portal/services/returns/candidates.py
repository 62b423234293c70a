"""Return candidates (SPEC §1): the customer's delivered lines with what is still returnable.

Callers (api/, www/) check access first; these functions then trust `customer`. They never
commit: the web request (or the test) owns the transaction.

Quantities are in the delivery note line's UOM. "Returned" counts what ERPNext itself returned
against a delivery note line, per line the GREATER of two sums (never their total, since one unit
can have both documents):
- Delivery Note returns with dn_detail = the line (stock came back: ERPNext's own returns and
  the ones RMA receipt books, services/returns/lifecycle.py), and
- credit-only Sales Invoice returns (update_stock = 0) whose items carry dn_detail = the line (the
  credit notes made for RMAs, and ERPNext credit-only returns).
The greater is right for each path: stock-only returns, credit-only returns, ERPNext's "return
delivery note, then credit note from it" (that credit note's dn_detail points at the return
note's line, so only the stock return counts), and ours (stock return at receipt, credit note
against the invoice later: both carry the same units).
"Requested" counts lines of RMAs that are Requested (awaiting approval), Expected or Received. The units such an open RMA has
already put back into stock (qty_received of its lines with a return_delivery_note) are taken
off the Delivery Note return sum, so they count once, as requested, until the RMA closes; then
they count as returned.
"""

import frappe
from frappe.utils import add_months, cint, flt, getdate, today

from rma_portal.domain.quantities import returnable_qty, returned_qty
from rma_portal.domain.transitions import RMA_OPEN
from rma_portal.services.history import delivered_lines
from rma_portal.services.shared.query import MAX_PAGE_SIZE, column_search, page_bounds

CANDIDATE_COLUMNS = [
	("sales_order", "Sales Order"),
	("po_no", "Your PO No."),
	("item_code", "Item Code"),
	("customer_item_code", "Your Item Code"),
	("item_name", "Item Name"),
	("rate", "Net Rate"),
	("qty_ordered", "Qty Ordered"),
	("qty_delivered", "Qty Delivered"),
	("qty_returned", "Qty Returned"),
	("qty_requested", "Qty in Open RMAs"),
	("qty_returnable", "Qty Returnable"),
	("delivery_date", "Delivery Date"),
]

# Filterable column -> kind. Only these names ever reach the SQL text.
_TEXT_FILTERS = (
	"sales_order",
	"po_no",
	"item_code",
	"customer_item_code",
	"item_name",
	"delivery_note",
	"uom",
)
_NUMBER_FILTERS = ("rate", "qty_ordered", "qty_delivered", "qty_returned", "qty_requested", "qty_returnable")
_DATE_FILTERS = ("delivery_date",)

_ROW_KEYS = (
	"delivery_note_item",
	"delivery_note",
	"delivery_date",
	"sales_order",
	"sales_order_item",
	"po_no",
	"item_code",
	"customer_item_code",
	"item_name",
	"rate",
	"uom",
	"qty_ordered",
	"qty_delivered",
	"qty_returned",
	"qty_requested",
	"qty_returnable",
)

# The customer's delivered lines in the history window read from ERPNext's Delivery Note tables, as
# columns of the derived table `cand` (which MariaDB merges, so the outer conditions {where}, the
# order and the limit reach the tables).
_DELIVERED_COLUMNS = """
		dni.name as delivery_note_item,
		dn.name as delivery_note,
		dn.posting_date as delivery_date,
		dn.posting_time as posting_time,
		dni.idx as idx,
		dni.against_sales_order as sales_order,
		dni.so_detail as sales_order_item,
		dn.po_no as po_no,
		dn.company as company,
		dn.currency as currency,
		dni.item_code as item_code,
		dni.customer_item_code as customer_item_code,
		dni.item_name as item_name,
		dni.net_rate as rate,
		dni.uom as uom,
		coalesce(soi.qty, dni.qty) as qty_ordered,
		dni.qty as qty_delivered"""
_DELIVERED_FROM = """
	from `tabDelivery Note Item` dni
	join `tabDelivery Note` dn on dn.name = dni.parent and dni.parenttype = 'Delivery Note'
	left join `tabSales Order Item` soi on soi.name = dni.so_detail"""
_DELIVERED_WHERE = """
	where dn.customer = %(customer)s and dn.docstatus = 1 and dn.is_return = 0
		and dn.posting_date >= %(since)s and dni.qty > 0 and ifnull(dn.rma, '') = ''"""

# Delivered lines only, no quantities returned or requested: what a page is cut from when no
# filter needs those quantities. Read from the app's own copy of the lines (RMA Delivered Line,
# services/history/delivered_lines.py), whose index is in the page's order: a page is an index range scan
# and its cost follows the page, not the customer's history.
_DELIVERED_SQL = """
select {select}
from (
	select
		line.name as delivery_note_item,
		line.delivery_note as delivery_note,
		line.delivery_date as delivery_date,
		line.posting_time as posting_time,
		line.line_no as idx,
		line.sales_order as sales_order,
		line.sales_order_item as sales_order_item,
		line.po_no as po_no,
		line.company as company,
		line.currency as currency,
		line.item_code as item_code,
		line.customer_item_code as customer_item_code,
		line.item_name as item_name,
		line.rate as rate,
		line.uom as uom,
		coalesce(soi.qty, line.qty_delivered) as qty_ordered,
		line.qty_delivered as qty_delivered
	from `tabRMA Delivered Line` line
	left join `tabSales Order Item` soi on soi.name = line.sales_order_item
	where line.customer = %(customer)s and line.delivery_date >= %(since)s
) cand
where {where}
"""

# What ERPNext returned and open RMAs requested for the given delivery note items only (their
# indexed dn_detail / delivery_note_item), one row per (kind, line).
_QUANTITIES_SQL = """
select 'stock' as kind, r.dn_detail as line, sum(-r.qty) as qty, 0 as restocked
from `tabDelivery Note Item` r
join `tabDelivery Note` rp on rp.name = r.parent
where r.dn_detail in %(names)s and rp.customer = %(customer)s and rp.docstatus = 1 and rp.is_return = 1
group by r.dn_detail
union all
select 'credit', r.dn_detail, sum(-r.qty), 0
from `tabSales Invoice Item` r
join `tabSales Invoice` rp on rp.name = r.parent
where r.dn_detail in %(names)s and rp.customer = %(customer)s and rp.docstatus = 1 and rp.is_return = 1
	and rp.update_stock = 0
group by r.dn_detail
union all
select 'requested', ri.delivery_note_item, sum(ri.qty_requested),
	sum(if(ifnull(ri.return_delivery_note, '') != '', ri.qty_received, 0))
from `tabRMA Item` ri
join `tabRMA` rma on rma.name = ri.parent
where ri.delivery_note_item in %(names)s and rma.customer = %(customer)s and rma.status in %(open_statuses)s
group by ri.delivery_note_item
"""

# One statement: the delivered lines with the returned / requested quantities aggregated over the
# customer's whole history, for the search boxes of those quantity columns (a filter on them needs
# every line's figure). The aggregates are restricted to the customer.
_LINES_SQL = (
	"""
select {select}
from (
	select"""
	+ _DELIVERED_COLUMNS
	+ """,
		greatest(coalesce(dn_ret.qty, 0) - coalesce(req.restocked, 0), coalesce(si_ret.qty, 0), 0)
			as qty_returned,
		coalesce(req.qty, 0) as qty_requested,
		greatest(
			0,
			dni.qty
			- greatest(coalesce(dn_ret.qty, 0) - coalesce(req.restocked, 0), coalesce(si_ret.qty, 0), 0)
			- coalesce(req.qty, 0)
		) as qty_returnable"""
	+ _DELIVERED_FROM
	+ """
	left join (
		select r.dn_detail, sum(-r.qty) as qty
		from `tabDelivery Note Item` r
		join `tabDelivery Note` rp on rp.name = r.parent
		where rp.customer = %(customer)s and rp.docstatus = 1 and rp.is_return = 1
			and ifnull(r.dn_detail, '') != ''
		group by r.dn_detail
	) dn_ret on dn_ret.dn_detail = dni.name
	left join (
		select r.dn_detail, sum(-r.qty) as qty
		from `tabSales Invoice Item` r
		join `tabSales Invoice` rp on rp.name = r.parent
		where rp.customer = %(customer)s and rp.docstatus = 1 and rp.is_return = 1 and rp.update_stock = 0
			and ifnull(r.dn_detail, '') != ''
		group by r.dn_detail
	) si_ret on si_ret.dn_detail = dni.name
	left join (
		select ri.delivery_note_item, sum(ri.qty_requested) as qty,
			sum(if(ifnull(ri.return_delivery_note, '') != '', ri.qty_received, 0)) as restocked
		from `tabRMA Item` ri
		join `tabRMA` rma on rma.name = ri.parent
		where rma.customer = %(customer)s and rma.status in %(open_statuses)s
			and ifnull(ri.delivery_note_item, '') != ''
		group by ri.delivery_note_item
	) req on req.delivery_note_item = dni.name"""
	+ _DELIVERED_WHERE
	+ """
) cand
where {where}
"""
)
_ORDER = " order by cand.delivery_date desc, cand.posting_time desc, cand.delivery_note desc, cand.idx asc"
_REVERSE_ORDER = " order by cand.delivery_date, cand.posting_time, cand.delivery_note, cand.idx desc"
# A search's total is counted up to this many matching lines; "more" says there are more.
SEARCH_COUNT_CAP = 1000
# Columns whose search box needs every line's quantities (the one-statement path above).
_QUANTITY_FILTERS = ("qty_returned", "qty_requested", "qty_returnable")


def history_start():
	from rma_portal.services.shared.settings import rma_settings

	return getdate(add_months(today(), -cint(rma_settings().history_months)))


def _filter_conditions(filters: dict | None, values: dict) -> list[str]:
	return column_search(filters, values, "cand", _TEXT_FILTERS, _DATE_FILTERS, _NUMBER_FILTERS)


def _clean_row(row: dict) -> frappe._dict:
	out = frappe._dict({key: row.get(key) for key in _ROW_KEYS})
	for key in ("rate", "qty_ordered", "qty_delivered", "qty_returned", "qty_requested", "qty_returnable"):
		out[key] = flt(out[key], 6)
	out["qty_returnable"] = returnable_qty(out["qty_delivered"], out["qty_returned"], out["qty_requested"])
	return out


def _base_values(customer: str) -> dict:
	return {"customer": customer, "open_statuses": RMA_OPEN, "since": history_start()}


def with_quantities(customer: str, rows: list[dict]) -> list[dict]:
	"""Delivered lines (rows of _DELIVERED_SQL) with qty_returned / qty_requested / qty_returnable
	filled in, read for these lines only: one query, whatever the history's size."""
	if not rows:
		return rows
	values = {"customer": customer, "open_statuses": RMA_OPEN}
	values["names"] = tuple(row["delivery_note_item"] for row in rows)
	found = {}
	for kind, line, qty, restocked in frappe.db.sql(_QUANTITIES_SQL, values):
		found[(kind, line)] = (flt(qty, 6), flt(restocked, 6))
	for row in rows:
		line = row["delivery_note_item"]
		stock = found.get(("stock", line), (0, 0))[0]
		credit = found.get(("credit", line), (0, 0))[0]
		requested, restocked = found.get(("requested", line), (0, 0))
		row["qty_returned"] = returned_qty(stock, credit, restocked)
		row["qty_requested"] = requested
	return rows


def candidate_lines(customer: str, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
	"""The customer's returnable-candidate lines, newest deliveries first. Three queries per page
	(the total, the page, the page's quantities). Without a search the total comes from the per-day
	figures and a page from the index, read from the nearer end (the last page costs what the first
	does); a search scans for its page and counts up to SEARCH_COUNT_CAP matches ("more" beyond); a
	search on a quantity column needs every line's quantities: two statements over the history."""
	page, page_size = page_bounds(page, page_size)
	values = _base_values(customer)
	where = " and ".join(_filter_conditions(filters, values)) or "1 = 1"
	offset = (page - 1) * page_size
	by_quantity = any(
		key in _QUANTITY_FILTERS and str(text if text is not None else "").strip()
		for key, text in (filters or {}).items()
	)
	sql = _LINES_SQL if by_quantity else _DELIVERED_SQL
	more = False
	if where == "1 = 1":  # no search: the per-day figures, not a count of the lines
		total = delivered_lines.count_since(customer, values["since"])
	else:  # a search: counted up to SEARCH_COUNT_CAP matches (a text search cannot use an index)
		values["cap"] = SEARCH_COUNT_CAP + 1
		counted = frappe.db.sql(
			f"select count(*) from ({sql.format(select='1', where=where)} limit %(cap)s) matches", values
		)[0][0]
		total, more = min(cint(counted), SEARCH_COUNT_CAP), cint(counted) > SEARCH_COUNT_CAP
	order, from_end = _ORDER, where == "1 = 1" and offset > total / 2
	if from_end:  # the index read backwards: skip what lies after the page, not what lies before it
		order = _REVERSE_ORDER
		offset, page_size_now = max(total - offset - page_size, 0), min(page_size, max(total - offset, 0))
	else:
		page_size_now = page_size
	values.update(limit=page_size_now, offset=offset)
	rows = frappe.db.sql(
		sql.format(select="cand.*", where=where) + order + " limit %(limit)s offset %(offset)s",
		values,
		as_dict=True,
	)
	if from_end:
		rows.reverse()
	if not by_quantity:
		rows = with_quantities(customer, rows)
	return {
		"rows": [_clean_row(row) for row in rows],
		"total": total,
		"more": more,  # a search with more than `total` matches
		"page": page,
		"page_size": page_size,
	}
