"""The outcome of received lines that are not credited: replacements and goods sent back.

Replace -> a replacement Sales Order at no charge, a copy of the original order trimmed to the line
(Frappe's copy_doc, as the desk's Duplicate), and its Delivery Note made with ERPNext's own mapping
(sales_order.make_delivery_note), both submitted and linked on the RMA line. Repair and Reject -> the
received goods go back to the customer with a Delivery Note at no charge, a copy of the original
delivery trimmed to the line and freed from its order and invoice links (it delivers nothing of the
order again). The goods of every line came back into stock at receipt (services/returns/lifecycle.py), so
these deliveries take them out again.

One call ships every received, not yet shipped Replace / Repair / Reject line; the RMA's status
follows domain.outcomes (Completed once every received line has its outcome). Idempotent by
request key under the RMA's row lock; all or nothing (savepoint). Nothing here commits.
"""

import frappe
from frappe import _
from frappe.utils import add_days, flt, today

from rma_portal.domain import outcomes
from rma_portal.services.returns import lifecycle, return_serials
from rma_portal.services.returns.credit_note import quiet
from rma_portal.services.shared import history_notes
from rma_portal.services.shared.app_rights import with_the_apps_rights


def ship_outcomes(
	name: str,
	request_key: str | None = None,
	parcel: dict | None = None,
	repair_reports: dict | None = None,
) -> list[str]:
	"""Make and submit the replacement and send-back deliveries of RMA `name`; returns their names.

	`parcel`: carrier, tracking_no and tracking_url of the outbound parcel (on the deliveries and the
	RMA, for the customer's page); `repair_reports`: RMA Item name -> what was repaired (required for
	the Repair lines of a service request, shown to the customer)."""
	doc = lifecycle._get(name)
	if lifecycle.already_done(doc, request_key):
		return _deliveries(doc)
	lifecycle._next(doc, "ship")
	lines = _lines_to_ship(doc)
	_set_repair_reports(doc, lines, repair_reports or {})
	parcel = _clean_parcel(parcel)

	frappe.db.savepoint("rma_ship")
	try:
		made = []
		with with_the_apps_rights():  # ERPNext's mapping and serial bundles check the user's own rights
			for order, rows in _group(lines, "sales_order", outcomes.REPLACE).items():
				made.append(_replace(doc, order, rows, parcel))
			for note, rows in _group(lines, "delivery_note", outcomes.REPAIR, outcomes.REJECT).items():
				made.append(_send_back(doc, note, rows, parcel))
		_note_parcel(doc, parcel)
		status = lifecycle._next(
			doc, outcomes.final_action(lifecycle.outcome_lines(doc), lifecycle.credit_ends(doc)) or "ship"
		)
		lifecycle.close_settled_returns(doc)
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
	errors = [_source_problem(doc, row) for row in lines if not _has_source(row)]
	if errors:
		frappe.throw(errors, title=_("Cannot send the goods"), as_list=True)
	return lines


def _has_source(row) -> bool:
	"""A replacement is copied from the order line; goods sent back leave with a copy of the delivery
	they came with (they were booked back into stock with its return at receipt)."""
	if row.handling == outcomes.REPLACE:
		return bool(row.sales_order and row.sales_order_item)
	return bool(row.delivery_note and row.delivery_note_item)


def _source_problem(doc, row) -> str:
	if doc.kind == "Service":
		return _(
			"Line {0} ({1}): no order and delivery of ours were found for its purchase, so it cannot be sent from here."
		).format(row.idx, row.item_code)
	return _(
		"Line {0} ({1}): it does not come from a delivery of ours, so it cannot be sent back here."
	).format(row.idx, row.item_code)


def _set_repair_reports(doc, lines: list, reports: dict) -> None:
	"""Each repaired line of a service request says what was done: the customer reads it."""
	errors = []
	for row in lines:
		text = str(reports.get(row.name) or "").strip()
		if text:
			row.repair_report = text
		elif doc.kind == "Service" and row.handling == outcomes.REPAIR and not row.repair_report:
			errors.append(
				_("Line {0} ({1}), Repair Report: say what was repaired.").format(row.idx, row.item_code)
			)
	if errors:
		frappe.throw(errors, title=_("Cannot send the goods"), as_list=True)


def _clean_parcel(parcel: dict | None) -> frappe._dict:
	parcel = frappe._dict({key: str(value or "").strip() for key, value in (parcel or {}).items()})
	url = parcel.get("tracking_url") or ""
	if url and not url.lower().startswith(("https://", "http://")):
		frappe.throw(
			_("Tracking link: {0} is not a web address (https://...).").format(url),
			title=_("Cannot send the goods"),
		)
	return parcel


def _note_parcel(doc, parcel: frappe._dict) -> None:
	if parcel.get("tracking_no") or parcel.get("carrier"):
		doc.outbound_carrier = parcel.get("carrier") or None
		doc.outbound_tracking_no = parcel.get("tracking_no") or None
		doc.outbound_tracking_url = parcel.get("tracking_url") or None


def _on_parcel(delivery, parcel: frappe._dict | None) -> None:
	"""ERPNext's own transport fields, which its print and the portal's shipments page show."""
	if parcel and (parcel.get("carrier") or parcel.get("tracking_no")):
		delivery.transporter_name = parcel.get("carrier") or None
		delivery.lr_no = parcel.get("tracking_no") or None
		delivery.lr_date = today()


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


def _copy_for_rows(source, key: str, rows: list):
	"""A new copy of the order or delivery `source` with no lines yet, and copies of the lines the
	rows name in their field `key`, each at its row's received quantity, in the source's order:
	(the copy, [(line, row)]). The caller adjusts each line and appends it."""
	wanted = {row.get(key): row for row in rows}
	copy = frappe.copy_doc(source, ignore_no_copy=False)
	copy.items = []
	lines = []
	for original in source.items:
		if original.name in wanted:
			line = frappe.copy_doc(original, ignore_no_copy=False)
			line.qty = flt(wanted[original.name].qty_received)
			lines.append((line, wanted[original.name]))
	return copy, lines


def _replace(doc, sales_order: str, rows: list, parcel=None) -> str:
	"""A replacement order at no charge for the rows and its submitted delivery; returns the delivery."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	order, lines = _copy_for_rows(frappe.get_doc("Sales Order", sales_order), "sales_order_item", rows)
	for item, _row in lines:
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
		_pick_new_serials(delivery, rows)
		_on_parcel(delivery, parcel)
		delivery.rma = doc.name
		delivery.flags.ignore_permissions = True
		delivery.insert()
		delivery.submit()
		_close_free_of_charge("Sales Order", order.name)
		_close_free_of_charge("Delivery Note", delivery.name)
	for row in rows:
		row.replacement_order = order.name
		row.outcome_delivery_note = delivery.name
	return delivery.name


def _pick_new_serials(delivery, rows: list) -> None:
	"""A replacement of a serial-numbered unit gets a unit of its own: serials in the warehouse, never
	the defective one that came back."""
	returned = {serial for row in rows for serial in return_serials.units_of(row)}
	for item in delivery.items:
		if not frappe.get_cached_value("Item", item.item_code, "has_serial_no"):
			continue
		available = frappe.get_all(
			"Serial No",
			filters={
				"item_code": item.item_code,
				"warehouse": item.warehouse,
				"status": "Active",
				"name": ["not in", list(returned) or [""]],
			},
			pluck="name",
			order_by="creation asc",
			limit=int(flt(item.stock_qty or item.qty)),
		)
		if len(available) < flt(item.stock_qty or item.qty):
			frappe.throw(
				_("{0}: not enough serial numbers in {1} for the replacement.").format(
					item.item_code, item.warehouse
				),
				title=_("Cannot send the goods"),
			)
		item.use_serial_batch_fields = 1
		item.serial_and_batch_bundle = None
		item.serial_no = "\n".join(available)


def _send_back(doc, delivery_note: str, rows: list, parcel=None) -> str:
	"""The received goods of the rows back to the customer at no charge; returns the delivery."""
	delivery, lines = _copy_for_rows(
		frappe.get_doc("Delivery Note", delivery_note), "delivery_note_item", rows
	)
	for item, row in lines:
		item.stock_qty = item.qty * flt(item.conversion_factor or 1)
		# a delivery of its own: nothing of the original order or invoice is delivered again
		item.against_sales_order = item.so_detail = None
		item.against_sales_invoice = item.si_detail = item.dn_detail = None
		# the very units that came back (a return line's received serials, a service line's own)
		lifecycle.set_serial(item, return_serials.join(return_serials.units_of(row)))
		if row.get("batch_no"):
			item.use_serial_batch_fields, item.serial_and_batch_bundle = 1, None
			item.batch_no = row.batch_no
		delivery.append("items", item)
	_free_of_charge(delivery.items)
	delivery.ignore_pricing_rule = 1
	delivery.is_return = 0
	delivery.return_against = None
	delivery.set_posting_time = 0
	delivery.po_no = doc.name
	delivery.additional_discount_percentage = delivery.discount_amount = 0
	_on_parcel(delivery, parcel)
	delivery.rma = doc.name  # never a return candidate itself (services/history/delivered_lines.py)
	delivery.flags.ignore_permissions = True
	with quiet():
		delivery.insert()
		delivery.submit()
		_close_free_of_charge("Delivery Note", delivery.name)
	for row in rows:
		row.outcome_delivery_note = delivery.name
	return delivery.name


def _close_free_of_charge(doctype: str, name: str):
	"""A delivery or order at no charge has nothing to bill: ERPNext's "Closed" status keeps it out of
	the "To Bill" lists and the invoice's "Get Items From" (a zero total would stay "To Bill" for ever)."""
	frappe.get_doc(doctype, name).update_status("Closed")


def _deliveries(doc) -> list[str]:
	return list(dict.fromkeys(row.outcome_delivery_note for row in doc.items if row.outcome_delivery_note))
