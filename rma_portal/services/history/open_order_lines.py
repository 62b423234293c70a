"""The customer's pending order lines in one table of their own (RMA Open Order Line), in page order.

The pending order lines page (services/portal/portal_orders.py) lists the lines of a customer's submitted
Sales Orders, not closed or completed, of which less was delivered than ordered (returned units
count as delivered). Read from ERPNext's order tables, every page sorts and counts all the
customer's order lines, with their returns, so its cost grows with the history (270 ms a statement
at 200,000 delivered lines). This table holds one row per pending line, with the order's customer
and the page's sort keys beside it, under indexes in the page's orders: a page is an index range
scan that stops at its last row, the total a count of the customer's index entries.

What a row says is that the line was pending when its order last changed. It is computed again
from ERPNext's documents, in the same transaction, whenever the order or its deliveries change:
the Sales Order's on_change (ERPNext sends it after submit, cancel, "Update Items", and every status
change: close, hold, re-open, and the delivered percentage that Delivery Notes and stock-moving
invoices update), and the submit and cancel of the Delivery Notes and Sales Invoices that name the
order (hooks.py doc_events). `rebuild()` writes them all again (on install, in the patch for
existing sites, and by hand: `bench --site S execute rma_portal.services.history.open_order_lines.rebuild`).
The columns the page searches by (order, item code and name, PO number) are copied beside the sort
keys, so a search reads this small table, not ERPNext's order lines; the quantities shown are
read from ERPNext's lines for the page's rows only.
"""

import frappe

DOCTYPE = "RMA Open Order Line"
TABLE = f"`tab{DOCTYPE}`"
CLOSED_STATUSES = ("Closed", "Completed")

# The columns a search box of the page may filter the table by (portal_orders.TEXT_COLUMNS and
# DATE_COLUMNS but the sales person, which is read from the order's Sales Team).
SEARCH_COLUMNS = ("sales_order", "po_no", "item_code", "item_name", "transaction_date", "delivery_date")
# The page's sorts (portal_orders.SORTS), each with an index in exactly its order; the searched
# columns follow, so a search is checked on the index entries before any row is read.
_SEARCHED = ["item_code", "item_name", "po_no"]
INDEXES = {
	"customer_expected": ["customer", "delivery_date", "sales_order", "line_no", *_SEARCHED],
	"customer_expected_desc": ["customer", "delivery_date desc", "sales_order desc", "line_no", *_SEARCHED],
	"customer_ordered_desc": [
		"customer",
		"transaction_date desc",
		"sales_order desc",
		"line_no",
		"delivery_date",
		*_SEARCHED,
	],
}

# Units sent back: ERPNext takes them off the line's delivered quantity; the portal counts them as
# delivered (portal_orders). Summed per line along the so_detail indexes of the return documents.
RETURNED_SQL = """(
	coalesce((select sum(-ri.qty) from `tabDelivery Note Item` ri
		join `tabDelivery Note` rd on rd.name = ri.parent
		where ri.so_detail = soi.name and ri.parenttype = 'Delivery Note' and rd.customer = so.customer
			and rd.docstatus = 1 and rd.is_return = 1), 0)
	+ coalesce((select sum(-vi.qty) from `tabSales Invoice Item` vi
		join `tabSales Invoice` rv on rv.name = vi.parent
		where vi.so_detail = soi.name and vi.parenttype = 'Sales Invoice' and rv.customer = so.customer
			and rv.docstatus = 1 and rv.is_return = 1 and rv.update_stock = 1), 0)
)"""

# A line of a submitted order that is neither closed nor completed, with units still to deliver.
PENDING_SQL = f"""so.docstatus = 1 and so.status not in ('Closed', 'Completed')
	and soi.delivered_qty + {RETURNED_SQL} < soi.qty"""

_FILL_SQL = f"""
insert ignore into {TABLE} (name, creation, modified, owner, modified_by, docstatus, idx,
	customer, sales_order, line_no, sales_order_item, transaction_date, delivery_date,
	item_code, item_name, po_no)
select soi.name, now(6), now(6), 'Administrator', 'Administrator', 0, 0,
	so.customer, so.name, soi.idx, soi.name, so.transaction_date, coalesce(soi.delivery_date, so.delivery_date),
	soi.item_code, soi.item_name, so.po_no
from `tabSales Order Item` soi
join `tabSales Order` so on so.name = soi.parent and soi.parenttype = 'Sales Order'
where {{where}} and {PENDING_SQL}
"""  # nosec B608 - {where} is one of the fixed conditions of this module


def refresh_orders(orders) -> None:
	"""Compute the rows of the lines of `orders` (Sales Order names) again."""
	orders = tuple(sorted({name for name in orders if name}))
	if not orders:
		return
	values = {"orders": orders}
	frappe.db.sql(f"delete from {TABLE} where sales_order in %(orders)s", values)  # nosec B608
	frappe.db.sql(_FILL_SQL.format(where="so.name in %(orders)s"), values)


def _migrated() -> bool:
	"""False on a site whose code is newer than its migrate (the patch fills the table)."""
	return frappe.db.table_exists(DOCTYPE)


def on_order_change(doc, method=None):
	"""Sales Order on_change: submitted, cancelled, items updated, closed, re-opened, delivered."""
	if _migrated():
		refresh_orders([doc.name])


def on_delivery(doc, method=None):
	"""Delivery Note or Sales Invoice submitted or cancelled: the orders its lines deliver (or
	return) are computed again."""
	if not _migrated():
		return
	field = "against_sales_order" if doc.doctype == "Delivery Note" else "sales_order"
	refresh_orders(row.get(field) for row in doc.get("items") or [])


def rebuild(customer: str | None = None) -> int:
	"""Write the rows again from ERPNext's submitted Sales Orders (one customer's or all); the number
	of pending lines now there. Idempotent; runs in the caller's transaction."""
	filters = {"customer": customer} if customer else {}
	frappe.db.delete(DOCTYPE, filters)
	frappe.db.sql(_FILL_SQL.format(where="so.customer = %(customer)s" if customer else "1 = 1"), filters)
	return frappe.db.count(DOCTYPE, filters)


def count(customer: str) -> int:
	"""The customer's pending lines (the index entries of the customer)."""
	return frappe.db.count(DOCTYPE, {"customer": customer})


def count_upto(customer: str, cap: int) -> tuple[int, bool]:
	"""The customer's pending lines counted up to `cap`, and whether there are more: at most cap + 1
	index entries read, whatever the history (a whole count reads all of them, 9-13 ms at 200,000
	delivered lines)."""
	statement = f"select 1 from {TABLE} where customer = %(customer)s limit %(upto)s"  # nosec B608
	values = {"customer": customer, "upto": cap + 1}
	counted = frappe.db.sql(f"select count(*) from ({statement}) pending", values)[0][0]  # nosec B608
	return min(counted, cap), counted > cap


def ensure_indexes():
	"""The composite indexes of the page's sorts (a DocType can declare single-column indexes only)."""
	from rma_portal.services.history.list_indexes import ensure_index

	for name, columns in INDEXES.items():
		ensure_index(DOCTYPE, name, columns)
