"""The customer's delivered lines in one table of their own (RMA Delivered Line), in page order.

The return candidates page lists a customer's delivered lines newest first. Read from ERPNext's
Delivery Note tables, every page sorts all of the customer's lines of the window (the sort key
spans the note and its items), so its cost grows with the history. This table holds one row per
line of a submitted, non-return Delivery Note, with the note's customer, date and time beside the
line, under an index in exactly the page's order: a page is an index range scan.

Deliveries the app made for an RMA (a replacement, goods sent back after repair or rejection:
Delivery Note.rma set, services/returns/outcome.py) are not copied: those goods are not returnable again
(the same rule in services/returns/candidates.py and the locked re-check in services/returns/return_request.py); a
new problem with them is a service request or a warranty claim.

The rows only copy what a submitted Delivery Note can no longer change; they are written with
the note's submit and removed with its cancel (hooks.py doc_events), in the same transaction.
`rebuild()` writes them again from ERPNext's documents (on install, in the patch for existing
sites, and by hand: `bench --site S execute rma_portal.services.history.delivered_lines.rebuild`); the
quantities returned and requested are never stored here, they are read per page
(services/returns/candidates.py).
"""

import frappe

DOCTYPE = "RMA Delivered Line"
TABLE = f"`tab{DOCTYPE}`"
DAY_DOCTYPE = "RMA Delivered Day"
DAY_TABLE = f"`tab{DAY_DOCTYPE}`"
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
where dn.docstatus = 1 and dn.is_return = 0 and dni.qty > 0 and ifnull(dn.rma, '') = '' and {{where}}
"""  # nosec B608 - {where} is one of the fixed conditions below


# Lines per customer and delivery date (RMA Delivered Day), so the page's total is a sum over at
# most a year of days instead of a count of the lines. One row per (customer, date): its name is
# derived from both, so concurrent submits add to the same row (insert ... on duplicate key).
_ADD_DAYS_SQL = f"""
insert into {DAY_TABLE} (name, creation, modified, owner, modified_by, docstatus, idx,
	customer, delivery_date, line_count)
select md5(concat(line.customer, '|', line.delivery_date)), now(6), now(6), 'Administrator',
	'Administrator', 0, 0, line.customer, line.delivery_date, {{sign}} count(*)
from {TABLE} line
where {{where}}
group by line.customer, line.delivery_date
on duplicate key update line_count = line_count + values(line_count), modified = values(modified)
"""  # nosec B608 - {sign} and {where} are fixed texts below


def on_submit(doc, method=None):
	"""Delivery Note submitted: its lines become candidates (not a return's, not an RMA's own)."""
	if not doc.is_return and not doc.get("rma"):
		values = {"note": doc.name}
		frappe.db.sql(_COPY_SQL.format(where="dn.name = %(note)s"), values)
		frappe.db.sql(_ADD_DAYS_SQL.format(sign="", where="line.delivery_note = %(note)s"), values)


def on_cancel(doc, method=None):
	values = {"note": doc.name}
	frappe.db.sql(_ADD_DAYS_SQL.format(sign="-", where="line.delivery_note = %(note)s"), values)
	frappe.db.delete(DOCTYPE, {"delivery_note": doc.name})


def rebuild(customer: str | None = None) -> int:
	"""Write the rows again from ERPNext's submitted Delivery Notes (one customer's or all); the
	number of lines now there. Idempotent; runs in the caller's transaction."""
	filters = {"customer": customer} if customer else {}
	where = "dn.customer = %(customer)s" if customer else "1 = 1"
	frappe.db.delete(DOCTYPE, filters)
	frappe.db.delete(DAY_DOCTYPE, filters)
	frappe.db.sql(_COPY_SQL.format(where=where), filters)
	frappe.db.sql(
		_ADD_DAYS_SQL.format(sign="", where="line.customer = %(customer)s" if customer else "1 = 1"), filters
	)
	return frappe.db.count(DOCTYPE, filters)


def count_since(customer: str, since) -> int:
	"""The customer's delivered lines from `since` on, from the per-day figures."""
	total = frappe.db.sql(
		f"select sum(line_count) from {DAY_TABLE} where customer = %s and delivery_date >= %s",  # nosec B608
		(customer, since),
	)[0][0]
	return int(total or 0)


def ensure_page_index():
	"""The composite indexes (a DocType can declare single-column indexes only): the page order,
	and the per-day figures' range by customer and date."""
	frappe.db.add_index(DOCTYPE, PAGE_INDEX_COLUMNS, index_name=PAGE_INDEX)
	frappe.db.add_index(DAY_DOCTYPE, ["customer", "delivery_date"], index_name="customer_delivery_date")
