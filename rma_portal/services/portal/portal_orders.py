"""Pending order lines (SPEC §5): every line of the customer's submitted Sales Orders not fully delivered.

A page is cut from the customer's own table of pending lines (services/history/open_order_lines.py) along
the index of its sort, stopping at its last row: one statement for the page and a count of the
customer's index entries, whatever the history. The table says which lines are pending (it is
computed again whenever the order or its deliveries change), so neither the page nor the count
reads the returns of lines that are not shown. A search reads the same index until its page is
full and counts up to SEARCH_COUNT_CAP matches ("more" beyond), as the return candidates do.
Quantities, names and sales persons are read from ERPNext's documents for the page's rows only;
quantities are in the order line's UOM. Closed and completed orders are not pending.

"Delivered" counts what was delivered, returns included: ERPNext takes returned units (Delivery Note
returns, and Sales Invoice returns that move stock) off the order line's delivered quantity, which
would show goods the customer sent back (an RMA, credited or replaced by an order of its own) as
still to be delivered. The returns are summed per order line along the return lines' so_detail
index (open_order_lines.RETURNED_SQL).

Callers (api/, www/) check access first; these functions then trust `customer`.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, today

from rma_portal.domain.portal import sort_choice
from rma_portal.services.history import open_order_lines
from rma_portal.services.shared.query import column_search, page_bounds

EXPORT_LIMIT = 50000  # rows in one CSV export

# column key, label: the page's columns and the CSV's, in order
ORDER_COLUMNS = [
	("delivery_date", "Expected Delivery"),
	("sales_order", "Order No."),
	("transaction_date", "Order Date"),
	("item_code", "Item Code"),
	("item_name", "Item Name"),
	("pending_qty", "Qty to Deliver"),
	("qty", "Qty Ordered"),
	("delivered_qty", "Qty Delivered"),
	("po_no", "Your PO No."),
	("sales_person", "Sales Person"),
]
NUMBER_COLUMNS = ("qty", "delivered_qty", "pending_qty")
DATE_COLUMNS = ("transaction_date", "delivery_date")
TEXT_COLUMNS = ("sales_order", "sales_person", "po_no", "item_code", "item_name")

# sort choice -> fixed SQL text (domain.portal.sort_choice); only these ever reach the statement.
# Each is the order of an index of RMA Open Order Line (open_order_lines.INDEXES), named to the
# statement: on a small table MariaDB would rather sort, and the plan must not change with size.
SORTS = {
	"expected": "line.sort_date asc, line.sort_order asc, line.sort_line asc",
	"expected_desc": "line.sort_date desc, line.sort_order desc, line.sort_line asc",
	"order": "line.sort_ordered desc, line.sort_order desc, line.sort_line asc",
}
SORT_INDEXES = {
	"expected": "customer_expected",
	"expected_desc": "customer_expected_desc",
	"order": "customer_ordered_desc",
}
DEFAULT_SORT = "expected"
# A search's total is counted up to this many matching lines; "more" says there are more.
SEARCH_COUNT_CAP = 1000
# The overview counts pending lines up to this many and says "100+" beyond.
OVERVIEW_COUNT_CAP = 100

_LINES_SQL = f"""
select {{select}}
from (
	select
		soi.name as name,
		pending.sales_order as sales_order,
		so.transaction_date as transaction_date,
		pending.po_no as po_no,
		so.currency as currency,
		soi.idx as idx,
		pending.item_code as item_code,
		pending.item_name as item_name,
		soi.uom as uom,
		soi.qty as qty,
		soi.delivered_qty + {open_order_lines.RETURNED_SQL} as delivered_qty,
		soi.qty - soi.delivered_qty - {open_order_lines.RETURNED_SQL} as pending_qty,
		coalesce(soi.delivery_date, so.delivery_date) as delivery_date,
		pending.delivery_date as sort_date,
		pending.transaction_date as sort_ordered,
		pending.sales_order as sort_order,
		pending.line_no as sort_line,
		coalesce((
			select group_concat(distinct st.sales_person order by st.idx separator ', ')
			from `tabSales Team` st where st.parent = so.name and st.parenttype = 'Sales Order'
		), '') as sales_person
	from {open_order_lines.TABLE} pending force index ({{index}})
	join `tabSales Order Item` soi on soi.name = pending.name
	join `tabSales Order` so on so.name = pending.sales_order
	where pending.customer = %(customer)s
) line
where {{where}}
"""  # nosec B608 - only the module's fixed texts and column_search conditions reach it


def filter_conditions(filters: dict | None, values: dict) -> list[str]:
	"""SQL conditions for the per-column search boxes (services.query.column_search)."""
	return column_search(filters, values, "line", TEXT_COLUMNS, DATE_COLUMNS, NUMBER_COLUMNS)


def _order_by(sort: str | None) -> str:
	order = sort_choice(sort, SORTS, DEFAULT_SORT)
	if order is None:
		frappe.throw(_("Sort: {0} is not a sort this page offers.").format(sort), frappe.ValidationError)
	return order


def _lines_sql(select: str, where: str, sort: str | None) -> str:
	"""The lines statement in the order of `sort`, read along that sort's index."""
	order = _order_by(sort)  # refuses a sort the page does not offer
	index = SORT_INDEXES[sort or DEFAULT_SORT]
	return _LINES_SQL.format(select=select, where=where, index=index) + f" order by {order}"


SORT_KEYS = ("sort_date", "sort_ordered", "sort_order", "sort_line")


def _clean(row: dict) -> frappe._dict:
	row = frappe._dict({key: value for key, value in row.items() if key not in SORT_KEYS})
	for key in NUMBER_COLUMNS:
		row[key] = flt(row[key], 6)
	return row


def pending_lines(
	customer: str, filters: dict | None = None, page: int = 1, page_size: int = 20, sort: str | None = None
) -> dict:
	"""One page of the customer's pending order lines; two queries whatever the history. Without a
	search the total is every pending line; a search counts up to SEARCH_COUNT_CAP matches and sets
	`more` when there are more."""
	page, page_size = page_bounds(page, page_size)
	values = {"customer": customer, "limit": page_size, "offset": (page - 1) * page_size}
	conditions = filter_conditions(filters, values)
	where = " and ".join(conditions) or "1 = 1"
	rows = frappe.db.sql(
		_lines_sql("line.*", where, sort) + " limit %(limit)s offset %(offset)s", values, as_dict=True
	)
	more = False
	if not conditions:
		total = open_order_lines.count(customer)
	else:  # a text search cannot use an index: counted up to the cap
		values["cap"] = SEARCH_COUNT_CAP + 1
		own = set(filters or {}) <= set(open_order_lines.SEARCH_COLUMNS)
		if own:  # columns of the table itself: its index holds them, no order line is read
			where = " and ".join(column_search(filters, values, "pending", TEXT_COLUMNS, DATE_COLUMNS))
			statement = f"""select 1 from {open_order_lines.TABLE} pending
				where pending.customer = %(customer)s and {where} limit %(cap)s"""  # nosec B608
		else:
			statement = f"{_lines_sql('1', where, sort)} limit %(cap)s"
		counted = cint(frappe.db.sql(f"select count(*) from ({statement}) matches", values)[0][0])
		total, more = min(counted, SEARCH_COUNT_CAP), counted > SEARCH_COUNT_CAP
	return {
		"rows": [_clean(row) for row in rows],
		"total": total,
		"more": more,
		"page": page,
		"page_size": page_size,
	}


def all_pending_lines(customer: str, filters: dict | None = None, sort: str | None = None) -> list[dict]:
	"""Every matching line (for the CSV export), in the page's order; one query."""
	values = {"customer": customer, "limit": EXPORT_LIMIT}
	where = " and ".join(filter_conditions(filters, values)) or "1 = 1"
	rows = frappe.db.sql(_lines_sql("line.*", where, sort) + " limit %(limit)s", values, as_dict=True)
	return [_clean(row) for row in rows]


def next_deliveries(customer: str, limit: int = 5) -> dict:
	"""The dashboard's view: the count of pending lines up to OVERVIEW_COUNT_CAP (`more` beyond, so
	the overview reads as many index entries at any size of the history) and the next expected ones
	(two queries); a line whose expected date has passed is marked `late`."""
	values = {"customer": customer, "limit": limit}
	rows = frappe.db.sql(
		_lines_sql("line.*", "1 = 1", DEFAULT_SORT) + " limit %(limit)s", values, as_dict=True
	)
	total, more = open_order_lines.count_upto(customer, OVERVIEW_COUNT_CAP)
	result = {"rows": [_clean(row) for row in rows], "total": total, "more": more}
	on = getdate(today())
	for row in result["rows"]:
		row.late = bool(row.delivery_date) and getdate(row.delivery_date) < on
	return result
