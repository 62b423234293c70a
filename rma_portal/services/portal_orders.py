"""Pending order lines (SPEC §5): every line of the customer's submitted Sales Orders not fully delivered.

One statement for a page (filtered per column, sorted and paged in SQL) and one count, whatever the
number of orders: the sales persons come from one grouped join over the customer's orders, never a
query per row. Quantities are in the order line's UOM. Closed orders are not pending.

"Delivered" counts what was delivered, returns included: ERPNext takes returned units (Delivery Note
returns, and Sales Invoice returns that move stock) off the order line's delivered quantity, which
would show goods the customer sent back (an RMA, credited or replaced by an order of its own) as
still to be delivered. The returns are summed per order line in one grouped join over the customer's
return documents.

Callers (api/, www/) check access first; these functions then trust `customer`.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt

from rma_portal.domain.portal import sort_choice
from rma_portal.services.query import column_search, page_bounds

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

# sort choice -> fixed SQL text (domain.portal.sort_choice); only these ever reach the statement
SORTS = {
	"expected": "line.delivery_date asc, line.sales_order asc, line.idx asc",
	"expected_desc": "line.delivery_date desc, line.sales_order desc, line.idx asc",
	"order": "line.transaction_date desc, line.sales_order desc, line.idx asc",
}
DEFAULT_SORT = "expected"

_LINES_SQL = """
select {select}
from (
	select
		soi.name as name,
		so.name as sales_order,
		so.transaction_date as transaction_date,
		so.po_no as po_no,
		so.currency as currency,
		soi.idx as idx,
		soi.item_code as item_code,
		soi.item_name as item_name,
		soi.uom as uom,
		soi.qty as qty,
		soi.delivered_qty + coalesce(ret.qty, 0) as delivered_qty,
		soi.qty - soi.delivered_qty - coalesce(ret.qty, 0) as pending_qty,
		coalesce(soi.delivery_date, so.delivery_date) as delivery_date,
		coalesce(team.sales_person, '') as sales_person
	from `tabSales Order Item` soi
	join `tabSales Order` so on so.name = soi.parent and soi.parenttype = 'Sales Order'
	left join (
		select st.parent, group_concat(distinct st.sales_person order by st.idx separator ', ') as sales_person
		from `tabSales Team` st
		join `tabSales Order` o on o.name = st.parent
		where st.parenttype = 'Sales Order' and o.customer = %(customer)s and o.docstatus = 1
		group by st.parent
	) team on team.parent = so.name
	left join (
		select r.so_detail, sum(-r.qty) as qty
		from (
			select i.so_detail, i.qty from `tabDelivery Note Item` i
			join `tabDelivery Note` d on d.name = i.parent
			where d.customer = %(customer)s and d.docstatus = 1 and d.is_return = 1
				and ifnull(i.so_detail, '') != ''
			union all
			select i.so_detail, i.qty from `tabSales Invoice Item` i
			join `tabSales Invoice` v on v.name = i.parent
			where v.customer = %(customer)s and v.docstatus = 1 and v.is_return = 1 and v.update_stock = 1
				and ifnull(i.so_detail, '') != ''
		) r
		group by r.so_detail
	) ret on ret.so_detail = soi.name
	where so.customer = %(customer)s and so.docstatus = 1 and so.status not in ('Closed', 'Completed')
		and soi.delivered_qty + coalesce(ret.qty, 0) < soi.qty
) line
where {where}
"""


def filter_conditions(filters: dict | None, values: dict) -> list[str]:
	"""SQL conditions for the per-column search boxes (services.query.column_search)."""
	return column_search(filters, values, "line", TEXT_COLUMNS, DATE_COLUMNS, NUMBER_COLUMNS)


def _order_by(sort: str | None) -> str:
	order = sort_choice(sort, SORTS, DEFAULT_SORT)
	if order is None:
		frappe.throw(_("Sort: {0} is not a sort this page offers.").format(sort), frappe.ValidationError)
	return order


def _clean(row: dict) -> frappe._dict:
	row = frappe._dict(row)
	for key in NUMBER_COLUMNS:
		row[key] = flt(row[key], 6)
	return row


def pending_lines(
	customer: str, filters: dict | None = None, page: int = 1, page_size: int = 20, sort: str | None = None
) -> dict:
	"""One page of the customer's pending order lines; two queries whatever the history."""
	page, page_size = page_bounds(page, page_size)
	values = {"customer": customer, "limit": page_size, "offset": (page - 1) * page_size}
	where = " and ".join(filter_conditions(filters, values)) or "1 = 1"
	rows = frappe.db.sql(
		_LINES_SQL.format(select="line.*", where=where)
		+ f" order by {_order_by(sort)} limit %(limit)s offset %(offset)s",
		values,
		as_dict=True,
	)
	total = frappe.db.sql(_LINES_SQL.format(select="count(*)", where=where), values)[0][0]
	return {"rows": [_clean(row) for row in rows], "total": cint(total), "page": page, "page_size": page_size}


def all_pending_lines(customer: str, filters: dict | None = None, sort: str | None = None) -> list[dict]:
	"""Every matching line (for the CSV export), in the page's order; one query."""
	values = {"customer": customer, "limit": EXPORT_LIMIT}
	where = " and ".join(filter_conditions(filters, values)) or "1 = 1"
	rows = frappe.db.sql(
		_LINES_SQL.format(select="line.*", where=where) + f" order by {_order_by(sort)} limit %(limit)s",
		values,
		as_dict=True,
	)
	return [_clean(row) for row in rows]


def next_deliveries(customer: str, limit: int = 5) -> dict:
	"""The dashboard's view: the count of pending lines and the next expected ones (two queries)."""
	return pending_lines(customer, page=1, page_size=limit, sort=DEFAULT_SORT)
