"""The customer's delivered lines in one table of their own (RMA Delivered Line), in page order.

The return candidates page lists a customer's delivered lines newest first. Read from ERPNext's
Delivery Note tables, every page sorts all of the customer's lines of the window (the sort key
spans the note and its items), so its cost grows with the history. This table holds one row per
line of a submitted, non-return Delivery Note, with the note's customer, date and time beside the
line, under an index in exactly the page's order: a page is an index range scan.

The rows only copy what a submitted Delivery Note can no longer change; they are written with
the note's submit and removed with its cancel (hooks.py doc_events), in the same transaction.
`rebuild()` writes them again from ERPNext's documents (on install, in the patch for existing
sites, and by hand: `bench --site S execute rma_portal.services.delivered_lines.rebuild`); the
quantities returned and requested are never stored here, they are read per page
(services/candidates.py).
"""

import frappe

DOCTYPE = "RMA Delivered Line"
TABLE = f"`tab{DOCTYPE}`"
# The candidates page's order: newest delivery first, a note's lines in their own order.
PAGE_INDEX = "customer_page_order"
PAGE_INDEX_COLUMNS = ["customer", "delivery_date desc", "posting_time desc", "delivery_note desc", "line_no"]

_COPY_SQL = f"""
insert ignore into {TABLE} (
	name, creation, modified, owner, modified_by, docstatus, idx,
	delivery_note_item, customer, delivery_date, posting_time, delivery_note, line_no,
	sales_order, sales_order_item, po_no, company, currency,
	item_code, customer_item_code, item_name, rate, uom, qty_delivered
)
select
	dni.name, now(6), now(6), 'Administrator', 'Administrator', 0, 0,
	dni.name, dn.customer, dn.posting_date, dn.posting_time, dn.name, dni.idx,
	dni.against_sales_order, dni.so_detail, dn.po_no, dn.company, dn.currency,
	dni.item_code, dni.customer_item_code, dni.item_name, dni.net_rate, dni.uom, dni.qty
from `tabDelivery Note Item` dni
join `tabDelivery Note` dn on dn.name = dni.parent and dni.parenttype = 'Delivery Note'
where dn.docstatus = 1 and dn.is_return = 0 and dni.qty > 0 and {{where}}
"""  # nosec B608 - {where} is one of the fixed conditions below


def on_submit(doc, method=None):
	"""Delivery Note submitted: its lines become candidates (not a return's lines)."""
	if not doc.is_return:
		frappe.db.sql(_COPY_SQL.format(where="dn.name = %(note)s"), {"note": doc.name})


def on_cancel(doc, method=None):
	frappe.db.delete(DOCTYPE, {"delivery_note": doc.name})


def rebuild(customer: str | None = None) -> int:
	"""Write the rows again from ERPNext's submitted Delivery Notes (one customer's or all); the
	number of rows now there. Idempotent; runs in the caller's transaction."""
	if customer:
		frappe.db.delete(DOCTYPE, {"customer": customer})
		frappe.db.sql(_COPY_SQL.format(where="dn.customer = %(customer)s"), {"customer": customer})
		return frappe.db.count(DOCTYPE, {"customer": customer})
	frappe.db.delete(DOCTYPE)
	frappe.db.sql(_COPY_SQL.format(where="1 = 1"))
	return frappe.db.count(DOCTYPE)


def ensure_page_index():
	"""The composite index in page order (a DocType can declare single-column indexes only)."""
	frappe.db.add_index(DOCTYPE, PAGE_INDEX_COLUMNS, index_name=PAGE_INDEX)
