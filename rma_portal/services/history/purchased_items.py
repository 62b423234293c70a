"""What each customer bought, one row per item (RMA Purchased Item), kept up to date by the documents.

The warranty claim form offers the items the customer bought, and the service requests check an
item's first and last purchase (warranty) against the history. Read from ERPNext's tables, each
of these groups every Sales Invoice and Delivery Note line of the customer: 3 s a statement at
200,000 delivered lines. This table holds one row per (customer, item) with the first and last
purchase date, and the company and item name of the last purchase; a read is an index lookup
whose size is the number of items the customer ever bought, not the number of lines.

A purchase is a line with a positive quantity of a submitted Sales Invoice or Delivery Note of
the customer that is not a return. The rows are written in the same transaction as the document's
submit (its lines are folded in: earliest first purchase, latest last purchase) and cancel (the
rows of which it was the first or last purchase are computed again from ERPNext's documents,
reading the customer's documents by date until one has the item), hooks.py doc_events.
`rebuild()` writes them all again (on install, in the patch for existing sites, and by hand:
`bench --site S execute rma_portal.services.history.purchased_items.rebuild`).
"""

import frappe
from frappe.utils import flt, getdate

DOCTYPE = "RMA Purchased Item"
TABLE = f"`tab{DOCTYPE}`"
INDEX = "customer_item_code"

# One row per (customer, item): its name is derived from both, so two documents submitted at the
# same moment fold into the same row (insert ... on duplicate key update). The company and the
# item's name are those of the latest purchase ("YYYY-MM-DD|value": the greatest is the latest, the
# value from its 12th character on); in the update they are set before last_purchase changes
# (MariaDB assigns left to right).
_FOLD_SQL = f"""
insert into {TABLE} (name, creation, modified, owner, modified_by, docstatus, idx,
	customer, item_code, item_name, first_purchase, last_purchase, company)
select md5(concat(bought.customer, '|', bought.item_code)), now(6), now(6), 'Administrator',
	'Administrator', 0, 0, bought.customer, bought.item_code,
	substring(max(concat(bought.posting_date, '|', coalesce(bought.item_name, ''))), 12),
	min(bought.posting_date), max(bought.posting_date),
	substring(max(concat(bought.posting_date, '|', bought.company)), 12)
from (
	select si.customer, sii.item_code, sii.item_name, si.posting_date, si.company
	from `tabSales Invoice Item` sii
	join `tabSales Invoice` si on si.name = sii.parent and sii.parenttype = 'Sales Invoice'
	where si.docstatus = 1 and si.is_return = 0 and sii.qty > 0 and ifnull(sii.item_code, '') != ''
		and {{invoice}}
	union all
	select dn.customer, dni.item_code, dni.item_name, dn.posting_date, dn.company
	from `tabDelivery Note Item` dni
	join `tabDelivery Note` dn on dn.name = dni.parent and dni.parenttype = 'Delivery Note'
	where dn.docstatus = 1 and dn.is_return = 0 and dni.qty > 0 and ifnull(dni.item_code, '') != ''
		and {{note}}
) bought
group by bought.customer, bought.item_code
on duplicate key update
	company = if(values(last_purchase) >= last_purchase, values(company), company),
	item_name = if(values(last_purchase) >= last_purchase, values(item_name), item_name),
	first_purchase = least(first_purchase, values(first_purchase)),
	last_purchase = greatest(last_purchase, values(last_purchase)),
	modified = values(modified)
"""  # nosec B608 - {invoice} and {note} are fixed conditions of this module


def _migrated() -> bool:
	"""False on a site whose code is newer than its migrate (the patch fills the table)."""
	return frappe.db.table_exists(DOCTYPE)


def _fold(invoice: str, note: str, values: dict):
	frappe.db.sql(_FOLD_SQL.format(invoice=invoice, note=note), values)


def on_submit(doc, method=None):
	"""Sales Invoice or Delivery Note submitted: its lines are purchases (not a return's)."""
	if doc.get("is_return") or not _migrated():
		return
	if doc.doctype == "Sales Invoice":
		_fold("si.name = %(doc)s", "1 = 0", {"doc": doc.name})
	else:
		_fold("1 = 0", "dn.name = %(doc)s", {"doc": doc.name})


def on_cancel(doc, method=None):
	"""Sales Invoice or Delivery Note cancelled (already docstatus 2 in the database). A row changes
	only when the document was its item's first or last purchase (or its only one): those rows are
	computed again from the customer's other documents, newest and oldest first along an index of
	the customer's documents by date (list_indexes: rma_portal_customer_posting)."""
	if doc.get("is_return") or not doc.get("customer") or not _migrated():
		return
	items = sorted({row.item_code for row in doc.get("items") or [] if row.item_code and flt(row.qty) > 0})
	if not items:
		return
	day = getdate(doc.posting_date)
	rows = {
		row.item_code: row
		for row in frappe.db.sql(
			f"""select item_code, first_purchase, last_purchase from {TABLE}
			where customer = %(customer)s and item_code in %(items)s for update""",  # nosec B608
			{"customer": doc.customer, "items": tuple(items)},
			as_dict=True,
		)
	}
	for item_code in items:
		row = rows.get(item_code)
		if row is None or day <= getdate(row.first_purchase) or day >= getdate(row.last_purchase):
			refresh_item(doc.customer, item_code)


# The customer's newest or oldest submitted document (not a return) with a line of the item: read
# along the customer's documents by date (an index the app makes, list_indexes) until one has it.
_EDGE_SQL = """
select d.posting_date, d.company, line.item_name
from `tab{doctype}` d force index (rma_portal_customer_posting)
join `tab{doctype} Item` line on line.parent = d.name and line.parenttype = '{doctype}'
where d.customer = %(customer)s and d.docstatus = 1 and d.is_return = 0
	and line.item_code = %(item)s and line.qty > 0
order by d.posting_date {direction}, d.name {direction}
limit 1
"""  # nosec B608 - {doctype} and {direction} are fixed texts of this module


def _edge(customer: str, item_code: str, newest: bool):
	found = []
	for doctype in ("Sales Invoice", "Delivery Note"):
		sql = _EDGE_SQL.format(doctype=doctype, direction="desc" if newest else "asc")
		found += frappe.db.sql(sql, {"customer": customer, "item": item_code}, as_dict=True)
	if not found:
		return None
	return (max if newest else min)(found, key=lambda row: row.posting_date)


def refresh_item(customer: str, item_code: str):
	"""Compute the row of `customer`'s `item_code` again from ERPNext's documents (four reads, each
	stopping at its first document with the item)."""
	frappe.db.sql(
		f"delete from {TABLE} where customer = %s and item_code = %s",  # nosec B608
		(customer, item_code),
	)
	last = _edge(customer, item_code, newest=True)
	if not last:
		return
	first = _edge(customer, item_code, newest=False)
	frappe.db.sql(
		f"""insert into {TABLE} (name, creation, modified, owner, modified_by, docstatus, idx,
			customer, item_code, item_name, first_purchase, last_purchase, company)
		values (md5(concat(%(customer)s, '|', %(item)s)), now(6), now(6), 'Administrator',
			'Administrator', 0, 0, %(customer)s, %(item)s, %(name)s, %(first)s, %(last)s, %(company)s)""",  # nosec B608
		{
			"customer": customer,
			"item": item_code,
			"name": last.item_name,
			"first": first.posting_date,
			"last": last.posting_date,
			"company": last.company,
		},
	)


def rebuild(customer: str | None = None) -> int:
	"""Write the rows again from ERPNext's submitted documents (one customer's or all); the number of
	rows now there. Idempotent; runs in the caller's transaction."""
	filters = {"customer": customer} if customer else {}
	frappe.db.delete(DOCTYPE, filters)
	if customer:
		_fold("si.customer = %(customer)s", "dn.customer = %(customer)s", filters)
	else:
		_fold("1 = 1", "1 = 1", filters)
	return frappe.db.count(DOCTYPE, filters)


def ensure_index():
	"""(customer, item_code): a customer's items in code order, and one item of one customer."""
	frappe.db.add_index(DOCTYPE, ["customer", "item_code"], index_name=INDEX)


# Reads
# -----


def items_of(customer: str) -> list[dict]:
	"""The items `customer` bought, by code, each with its name and last purchase date."""
	rows = frappe.db.sql(
		f"""select item_code, item_name, last_purchase from {TABLE}
		where customer = %s order by item_code""",  # nosec B608
		(customer,),
		as_dict=True,
	)
	return [
		{
			"item_code": row.item_code,
			"item_name": row.item_name or row.item_code,
			"last_purchase": str(row.last_purchase) if row.last_purchase else None,
		}
		for row in rows
	]


def was_purchased(customer: str, item_code: str) -> bool:
	return bool(
		frappe.db.sql(
			f"select 1 from {TABLE} where customer = %s and item_code = %s limit 1",  # nosec B608
			(customer, item_code),
		)
	)


def history(customer: str, item_codes: list[str]) -> dict[str, frappe._dict]:
	"""item -> first and last purchase date and the company of the last one, for `item_codes`."""
	item_codes = sorted({i for i in item_codes if i})
	if not item_codes:
		return {}
	rows = frappe.db.sql(
		f"""select item_code, first_purchase, last_purchase, company from {TABLE}
		where customer = %(customer)s and item_code in %(items)s""",  # nosec B608
		{"customer": customer, "items": tuple(item_codes)},
		as_dict=True,
	)
	return {
		row.item_code: frappe._dict(
			first_purchase=getdate(row.first_purchase),
			last_purchase=getdate(row.last_purchase),
			company=row.company,
		)
		for row in rows
	}
