"""The purchase a service line refers to: the delivery and invoice of that item sold to the customer.

A service line names a product by EAN, serial number and purchase date, not by a delivered line.
To close it with ERPNext's documents (a credit note against the invoice, the unit booked back with
a Delivery Note return of its delivery and sent back, a replacement from its order), the line is
tied to one sold line:

- the serial number's own delivery when ERPNext knows it (the Serial and Batch Bundle of a
  submitted Delivery Note of this customer that took that serial out);
- else the customer's latest delivery of the item on or before the purchase date (the earliest
  after it when none is before), then the invoice of that delivery line (by its delivery line, else
  by its order line);
- else, when the item was invoiced without a delivery note, the invoice line alone.

Tied when the request is filed (services/service/service_rma.py) and again at receipt for lines that have
no purchase yet (the RMA's before_receipt event, which services/returns/lifecycle.py raises). The links are stored on the RMA Item, as a return line's.
Nothing here commits.
"""

import frappe
from frappe.utils import getdate

# RMA Item field -> column of the found purchase
LINK_FIELDS = (
	"sales_order",
	"sales_order_item",
	"customer_po",
	"delivery_note",
	"delivery_note_item",
	"delivery_date",
	"sales_invoice",
	"sales_invoice_item",
	"rate",
	"uom",
)

_DELIVERY_SELECT = """select dni.name as delivery_note_item, dn.name as delivery_note,
	dn.posting_date as delivery_date, dni.against_sales_order as sales_order,
	dni.so_detail as sales_order_item, dn.po_no as customer_po, dni.net_rate as rate, dni.uom
from `tabDelivery Note Item` dni
join `tabDelivery Note` dn on dn.name = dni.parent and dni.parenttype = 'Delivery Note'
where dn.customer = %(customer)s and dn.docstatus = 1 and dn.is_return = 0 and dni.qty > 0
	and dni.item_code = %(item)s"""


def find_purchase(customer: str, item_code: str, serial_no: str | None, purchase_date) -> frappe._dict | None:
	"""The sold line (LINK_FIELDS) the service line refers to, or None when nothing was sold."""
	delivery = (serial_no and _serial_delivery(customer, item_code, serial_no)) or _dated_delivery(
		customer, item_code, purchase_date
	)
	if delivery:
		delivery.update(_invoice_of_delivery(delivery))
		return delivery
	return _dated_invoice(customer, item_code, purchase_date)


def serial_delivery_date(customer: str, item_code: str, serial_no: str | None):
	"""The date ERPNext delivered this serial to the customer, or None (unknown serial)."""
	found = serial_no and _serial_delivery(customer, item_code, serial_no)
	return getdate(found.delivery_date) if found else None


def serial_deliveries(customer: str, serials: list[str]) -> dict[tuple[str, str], object]:
	"""(serial, item) -> the latest date ERPNext delivered that serial to the customer, one query for
	all serials of a request (the warranty of a known serial counts from its own delivery)."""
	serials = sorted({s for s in serials if s})
	if not serials:
		return {}
	rows = frappe.db.sql(
		"""select sbe.serial_no, sbb.item_code, max(dn.posting_date) as delivered_on
		from `tabSerial and Batch Entry` sbe
		join `tabSerial and Batch Bundle` sbb on sbb.name = sbe.parent
		join `tabDelivery Note` dn on dn.name = sbb.voucher_no
		where sbe.serial_no in %(serials)s and sbb.voucher_type = 'Delivery Note' and sbb.docstatus = 1
			and sbb.is_cancelled = 0 and dn.customer = %(customer)s and dn.is_return = 0
		group by sbe.serial_no, sbb.item_code""",
		{"serials": tuple(serials), "customer": customer},
		as_dict=True,
	)
	return {(row.serial_no, row.item_code): getdate(row.delivered_on) for row in rows}


def _serial_delivery(customer: str, item_code: str, serial_no: str) -> frappe._dict | None:
	rows = frappe.db.sql(
		_DELIVERY_SELECT
		+ """ and dni.name in (
			select sbb.voucher_detail_no from `tabSerial and Batch Entry` sbe
			join `tabSerial and Batch Bundle` sbb on sbb.name = sbe.parent
			where sbe.serial_no = %(serial)s and sbb.voucher_type = 'Delivery Note'
				and sbb.docstatus = 1 and sbb.is_cancelled = 0 and sbb.item_code = %(item)s)
		order by dn.posting_date desc, dn.posting_time desc limit 1""",
		{"customer": customer, "item": item_code, "serial": serial_no},
		as_dict=True,
	)
	return rows[0] if rows else None


# Units of a delivery line not yet taken back, counted as ERPNext counts them when it validates a return
# Delivery Note (its submitted returns against the line; the line's own returned_qty is not kept
# up to date for every kind of return): a line whose units all came back cannot take the unit back.
_UNITS_LEFT = """dni.stock_qty - ifnull((select sum(abs(r.stock_qty)) from `tabDelivery Note Item` r
	join `tabDelivery Note` rp on rp.name = r.parent
	where r.dn_detail = dni.name and rp.docstatus = 1 and rp.is_return = 1), 0)"""


def _dated_delivery(customer: str, item_code: str, purchase_date) -> frappe._dict | None:
	"""The delivery of the item nearest the purchase date: the latest on or before it, else the
	earliest after it; a line with units left to take back wins over one whose units all came back."""
	on = getdate(purchase_date) if purchase_date else getdate("1900-01-01")
	rows = frappe.db.sql(
		_DELIVERY_SELECT
		+ f""" order by ({_UNITS_LEFT}) > 0 desc, dn.posting_date <= %(on)s desc,
			abs(datediff(dn.posting_date, %(on)s)), dn.posting_time desc, dni.idx limit 1""",  # nosec B608 - constant SQL
		{"customer": customer, "item": item_code, "on": on},
		as_dict=True,
	)
	return rows[0] if rows else None


def _invoice_of_delivery(delivery: frappe._dict) -> dict:
	"""The submitted invoice line billing the delivery line (made from it, else from its order line)."""
	conditions = [("sii.dn_detail = %(line)s", delivery.delivery_note_item)]
	if delivery.sales_order_item:
		conditions.append(("sii.so_detail = %(line)s", delivery.sales_order_item))
	for condition, line in conditions:
		rows = frappe.db.sql(
			f"""select sii.parent as sales_invoice, sii.name as sales_invoice_item
			from `tabSales Invoice Item` sii
			join `tabSales Invoice` si on si.name = sii.parent and sii.parenttype = 'Sales Invoice'
			where {condition} and si.docstatus = 1 and si.is_return = 0
			order by si.posting_date desc limit 1""",  # nosec B608 - condition is one of the two above
			{"line": line},
			as_dict=True,
		)
		if rows:
			return rows[0]
	return {"sales_invoice": None, "sales_invoice_item": None}


def _dated_invoice(customer: str, item_code: str, purchase_date) -> frappe._dict | None:
	"""An invoice line of the item with no delivery note (invoiced directly), nearest the date."""
	rows = frappe.db.sql(
		"""select sii.parent as sales_invoice, sii.name as sales_invoice_item, si.posting_date,
			sii.sales_order, sii.so_detail as sales_order_item, si.po_no as customer_po,
			sii.net_rate as rate, sii.uom
		from `tabSales Invoice Item` sii
		join `tabSales Invoice` si on si.name = sii.parent and sii.parenttype = 'Sales Invoice'
		where si.customer = %(customer)s and si.docstatus = 1 and si.is_return = 0 and sii.qty > 0
			and sii.item_code = %(item)s
		order by (si.posting_date <= %(on)s) desc,
			if(si.posting_date <= %(on)s, datediff(%(on)s, si.posting_date), datediff(si.posting_date, %(on)s)),
			sii.idx
		limit 1""",
		{
			"customer": customer,
			"item": item_code,
			"on": getdate(purchase_date) if purchase_date else getdate(),
		},
		as_dict=True,
	)
	if not rows:
		return None
	row = rows[0]
	row.delivery_date = row.pop("posting_date")
	row.delivery_note = row.delivery_note_item = None
	return row


def tie_line(customer: str, row) -> bool:
	"""Store the found purchase on an RMA Item (a service line); whether one was found."""
	found = find_purchase(customer, row.item_code, row.serial_no, row.purchase_date)
	if not found:
		return False
	for field in LINK_FIELDS:
		row.set(field, found.get(field))
	return True


def tie_untied_lines(doc, method=None) -> None:
	"""RMA before_receipt (hooks.py, raised by services/returns/lifecycle.receive): service lines filed
	before they were tied (or whose purchase was not found then)."""
	if doc.kind != "Service":
		return
	for row in doc.items:
		if not (row.delivery_note_item or row.sales_invoice_item):
			tie_line(doc.customer, row)
