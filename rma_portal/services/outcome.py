"""The outcome of received lines that are not credited: replacements and goods sent back.

Replace -> a replacement Sales Order at no charge, a copy of the original order trimmed to the line
(Frappe's copy_doc, as the desk's Duplicate), and its Delivery Note made with ERPNext's own mapping
(sales_order.make_delivery_note), both submitted and linked on the RMA line. Repair and Reject -> the
received goods go back to the customer with a Delivery Note at no charge, a copy of the original
delivery trimmed to the line and freed from its order and invoice links (it delivers nothing of the
order again). The goods of every line came back into stock at receipt (services/lifecycle.py), so
these deliveries take them out again.

One call ships every received, not yet shipped Replace / Repair / Reject line; the RMA's status
follows domain.outcomes (Completed once every received line has its outcome). Idempotent by
request key under the RMA's row lock; all or nothing (savepoint). Nothing here commits.
"""

import frappe
from frappe import _
from frappe.utils import add_days, flt, today

from rma_portal.domain import outcomes
from rma_portal.services import history_notes, lifecycle
from rma_portal.services.credit_note import quiet


def ship_outcomes(name: str, request_key: str | None = None) -> list[str]:
	"""Make and submit the replacement and send-back deliveries of RMA `name`; returns their names."""
	doc = lifecycle._get(name)
	if lifecycle.already_done(doc, request_key):
		return _deliveries(doc)
	lifecycle._next(doc, "ship")
	lines = _lines_to_ship(doc)

	frappe.db.savepoint("rma_ship")
	try:
		made = []
		for order, rows in _group(lines, "sales_order", outcomes.REPLACE).items():
			made.append(_replace(doc, order, rows))
		for note, rows in _group(lines, "delivery_note", outcomes.REPAIR, outcomes.REJECT).items():
			made.append(_send_back(doc, note, rows))
		status = lifecycle._next(doc, outcomes.final_action(lifecycle.outcome_lines(doc)) or "ship")
		lifecycle._move(doc, status, history_notes.note("delivered", ", ".join(made)), request_key)
	except Exception:
		frappe.db.rollback(save_point="rma_ship")
		raise
	return made


def _lines_to_ship(doc) -> list:
	lines = [
		row
		for row in doc.items
		if flt(row.qty_received) > 0 and row.handling in outcomes.SHIPPED and not row.outcome_delivery_note
	]
	if not lines:
		frappe.throw(
			_("{0}: no received line handled as Replace, Repair or Reject is waiting to be sent.").format(
				doc.name
			),
			title=_("Nothing to send"),
		)
	errors = [
		_("Line {0} ({1}): it does not come from a delivery of ours, so it cannot be sent back here.").format(
			row.idx, row.item_code
		)
		for row in lines
		if not (row.delivery_note and row.delivery_note_item and row.sales_order and row.sales_order_item)
	]
	if errors:
		frappe.throw(errors, title=_("Cannot send the goods"), as_list=True)
	return lines


def _group(lines: list, field: str, *handlings: str) -> dict[str, list]:
	grouped: dict[str, list] = {}
	for row in lines:
		if row.handling in handlings:
			grouped.setdefault(row.get(field), []).append(row)
	return grouped


def _free_of_charge(items):
	for item in items:
		item.price_list_rate = item.rate = item.base_rate = 0
		item.discount_percentage = item.discount_amount = item.margin_rate_or_amount = 0
		item.pricing_rules = None


def _replace(doc, sales_order: str, rows: list) -> str:
	"""A replacement order at no charge for the rows and its submitted delivery; returns the delivery."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	wanted = {row.sales_order_item: row for row in rows}
	source = frappe.get_doc("Sales Order", sales_order)
	order = frappe.copy_doc(source)
	order.items = []
	for original in source.items:
		if original.name in wanted:
			item = frappe.copy_doc(original)
			item.qty = flt(wanted[original.name].qty_received)
			item.delivery_date = add_days(today(), 1)
			order.append("items", item)
	_free_of_charge(order.items)
	order.ignore_pricing_rule = 1
	order.transaction_date = today()
	order.delivery_date = add_days(today(), 1)
	order.po_no = doc.name
	order.payment_terms_template = None
	order.payment_schedule = []
	order.coupon_code = None
	order.additional_discount_percentage = order.discount_amount = 0
	order.flags.ignore_permissions = True
	with quiet():
		order.insert()
		order.submit()
		delivery = make_delivery_note(order.name)
		delivery.flags.ignore_permissions = True
		delivery.insert()
		delivery.submit()
	for row in rows:
		row.replacement_order = order.name
		row.outcome_delivery_note = delivery.name
	return delivery.name


def _send_back(doc, delivery_note: str, rows: list) -> str:
	"""The received goods of the rows back to the customer at no charge; returns the delivery."""
	wanted = {row.delivery_note_item: row for row in rows}
	original = frappe.get_doc("Delivery Note", delivery_note)
	delivery = frappe.copy_doc(original)
	delivery.items = []
	for source in original.items:
		if source.name in wanted:
			item = frappe.copy_doc(source)
			item.qty = flt(wanted[source.name].qty_received)
			item.stock_qty = item.qty * flt(item.conversion_factor or 1)
			# a delivery of its own: nothing of the original order or invoice is delivered again
			item.against_sales_order = item.so_detail = None
			item.against_sales_invoice = item.si_detail = item.dn_detail = None
			delivery.append("items", item)
	_free_of_charge(delivery.items)
	delivery.ignore_pricing_rule = 1
	delivery.is_return = 0
	delivery.return_against = None
	delivery.set_posting_time = 0
	delivery.po_no = doc.name
	delivery.additional_discount_percentage = delivery.discount_amount = 0
	delivery.flags.ignore_permissions = True
	with quiet():
		delivery.insert()
		delivery.submit()
	for row in rows:
		row.outcome_delivery_note = delivery.name
	return delivery.name


def _deliveries(doc) -> list[str]:
	return list(dict.fromkeys(row.outcome_delivery_note for row in doc.items if row.outcome_delivery_note))
