"""Named status actions on an RMA: receive, reject, cancel, mark as invoiced.

Every move goes through domain.transitions (machine "RMA"), writes an RMA Status Log row and
then tells the customer (services.notify.send_status_mail, once that module exists). The RMA
controller refuses status edits that do not come through here (flags.status_change_allowed).

Callers check permission (api/desk.py: frappe.has_permission on RMA "write"; the Sales Invoice
doc_event runs for whoever may submit the credit note), so documents are saved with
ignore_permissions. Nothing here commits.

Stock: receiving a Return RMA puts the goods back into stock with ERPNext's own Delivery Note
return (delivery_note.make_sales_return of the original delivery note, trimmed to the received
lines), one per original delivery note and per receive call, for the units received in *that*
call (receive takes absolute quantities; only the increase is booked, and a lower quantity than
already received is refused on these lines). Rule: every received unit goes back into the warehouse it was delivered
from, whatever the handling (Repair and Reject included: the goods are physically there; staff
ship them back with a Delivery Note). The credit note (services/returns/credit_note.py)
stays credit-only. The newest return is linked on the RMA Item (`return_delivery_note`).
Rejecting or cancelling an RMA after receipt leaves the stock return as it is (the goods are in
the warehouse), and cancelling a credit note does not touch stock either.
"""

import math

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime, today

from rma_portal.domain import outcomes, transitions
from rma_portal.services.returns import return_serials
from rma_portal.services.shared import history_notes, notify
from rma_portal.services.shared.app_rights import with_the_apps_rights

# Decided by staff per line at receipt (the return reason's default only pre-fills the dialog);
# domain.outcomes says what each handling leads to. Only Credit lines are ever credited.
HANDLINGS = outcomes.HANDLINGS


class StatusError(frappe.ValidationError):
	"""The action is not allowed in the RMA's current status."""


def _next(doc, action: str) -> str:
	try:
		return transitions.next_status(transitions.RMA, doc.status, action)
	except transitions.TransitionError as e:
		frappe.throw(
			_(e.message).format(action=_(action), current=_(doc.status)),
			exc=StatusError,
			title=_("Not allowed in this status"),
		)


def _move(doc, status: str, note: str | None = None, request_key: str | None = None):
	changed = doc.status != status
	doc.status = status
	doc.append(
		"status_log",
		{
			"status": status,
			"changed_on": now_datetime(),
			"changed_by": frappe.session.user,
			**history_notes.log_fields(note),  # key + values: shown in the reader's language
			"request_key": request_key,
		},
	)
	doc.flags.status_change_allowed = True
	doc.flags.ignore_permissions = True
	doc.save()
	if changed:
		notify.send_status_mail(doc.name, status, doc=doc)
	return doc


def _get(name: str):
	if not name or not frappe.db.exists("RMA", name):
		frappe.throw(_("RMA {0} does not exist.").format(name), exc=frappe.DoesNotExistError)
	return frappe.get_doc("RMA", name, for_update=True)


def already_done(doc, request_key: str | None) -> bool:
	"""Whether the action carrying request_key was already booked on doc (a double click or a retry).

	Callers hold the RMA's row lock (_get), so a second request with the same key waits for the first
	to commit and then finds its key here.
	"""
	return bool(request_key) and any(log.request_key == request_key for log in doc.status_log)


def receive(
	name: str,
	quantities: dict,
	handling: dict | None = None,
	received_on=None,
	request_key: str | None = None,
	serials: dict | None = None,
):
	"""Book received quantities per RMA Item row (absolute, not added); partial receipts allowed.

	`serials`: per serial-numbered row, the serial numbers received (absolute, one per line of text);
	by default the ones the customer named (services/returns/return_serials.py).

	Idempotent: a call with the request_key of a booked receipt, or one that changes nothing, books
	nothing and writes no history.
	"""
	doc = _get(name)
	if already_done(doc, request_key):
		return doc
	status = _next(doc, "receive")
	quantities = {str(k): v for k, v in (quantities or {}).items()}
	handling = {str(k): v for k, v in (handling or {}).items() if v}
	previous = {row.name: flt(row.qty_received) for row in doc.items}
	previous_handling = {row.name: row.handling for row in doc.items}
	errors = _take_received(doc, quantities, handling, previous, serials)
	if errors:
		frappe.throw(errors, title=_("Cannot receive"), as_list=True)
	unchanged = all(
		flt(row.qty_received) == previous[row.name] and row.handling == previous_handling[row.name]
		for row in doc.items
	)
	if unchanged and doc.status == status:
		return doc
	doc.received_on = getdate(received_on or today())
	# other capabilities' steps before the goods are booked (hooks.py doc_events: service ties its lines)
	doc.run_method("before_receipt")
	_book_stock_returns(doc, previous)
	received = sum(flt(row.qty_received) for row in doc.items)
	requested = sum(flt(row.qty_requested) for row in doc.items)
	note = history_notes.note("received", f"{received:g}", f"{requested:g}")
	return _move(doc, status, note, request_key)


def _take_received(doc, quantities: dict, handling: dict, previous: dict, serials) -> list[str]:
	"""Set the received quantities, handlings and serials on doc's lines; the errors, all at once."""
	rows = {row.name: row for row in doc.items}
	errors = [
		_("Row {0}: not a line of {1}.").format(row_name, doc.name)
		for row_name in list(quantities) + list(handling)
		if row_name not in rows
	]
	for row_name, value in quantities.items():
		if row_name in rows:
			_take_quantity(doc, rows[row_name], value, previous, errors)
	for row_name, value in handling.items():
		if row_name in rows:
			_take_handling(rows[row_name], value, errors)
	return_serials.receive_serials(doc, previous, serials, _restocks, errors)
	_prefill_handling(doc)
	if not errors and not any(flt(row.qty_received) > 0 for row in doc.items):
		errors.append(_("Received Qty: enter the received quantity of at least one line."))
	return errors


def _take_quantity(doc, row, value, previous: dict, errors: list[str]):
	"""The line's received quantity (absolute), or an error naming the line."""
	try:
		qty = float(value or 0)
		if not math.isfinite(qty):
			raise ValueError(value)
	except (TypeError, ValueError):
		errors.append(_("Line {0} ({1}), Received Qty: enter a number.").format(row.idx, row.item_code))
		return
	if qty < 0:
		errors.append(_("Line {0} ({1}), Received Qty: cannot be negative.").format(row.idx, row.item_code))
	elif round(qty, 6) > round(flt(row.qty_requested), 6):
		errors.append(
			_("Line {0} ({1}), Received Qty: {2} is more than the requested {3}.").format(
				row.idx, row.item_code, qty, flt(row.qty_requested)
			)
		)
	elif _restocks(doc, row) and round(qty, 6) < round(previous[row.name], 6):
		errors.append(
			_(
				"Line {0} ({1}), Received Qty: {2} is less than the {3} already received and put back into stock."
			).format(row.idx, row.item_code, qty, previous[row.name])
		)
	else:
		row.qty_received = qty


def _take_handling(row, value: str, errors: list[str]):
	"""The line's handling, unless it is unknown or the line was already carried out otherwise."""
	if value not in HANDLINGS:
		errors.append(
			_("Line {0} ({1}), Handling: {2} is not a handling.").format(row.idx, row.item_code, value)
		)
	elif value != row.handling and (row.credit_note or row.outcome_delivery_note):
		errors.append(
			_("Line {0} ({1}), Handling: already carried out as {2}.").format(
				row.idx, row.item_code, _(row.handling)
			)
		)
	else:
		row.handling = value


def _prefill_handling(doc):
	"""A received line staff left undecided takes its return reason's default (what the dialog shows)."""
	undecided = [row for row in doc.items if flt(row.qty_received) > 0 and not row.handling]
	reasons = {row.return_reason for row in undecided if row.return_reason}
	if not reasons:
		return
	defaults = dict(
		frappe.get_all(
			"RMA Return Reason",
			filters={"name": ["in", list(reasons)]},
			fields=["name", "default_handling"],
			as_list=True,
		)
	)
	for row in undecided:
		row.handling = defaults.get(row.return_reason) or None


def _restocks(doc, row) -> bool:
	"""Whether received units of this line go back into stock: lines from a delivery of ours (a return
	line, or a service line tied to its purchase by services/service/service_purchase.py). A service unit is
	booked back with a return of the delivery it left with, so its serial's history stays one chain
	and the unit sent back (repaired or rejected) leaves again with a Delivery Note."""
	return bool(row.delivery_note_item and row.delivery_note)


def _book_stock_returns(doc, previous: dict):
	"""Submit one Delivery Note return per original delivery note for the units received in this call.

	Inside the caller's transaction (the RMA save follows); ERPNext's validation errors propagate.
	"""
	# original delivery note -> {delivery note item -> (RMA Item, qty to book)}
	by_note: dict[str, dict[str, tuple]] = {}
	for row in doc.items:
		increase = flt(flt(row.qty_received) - previous.get(row.name, 0), 6)
		if increase > 0 and _restocks(doc, row):
			by_note.setdefault(row.delivery_note, {})[row.delivery_note_item] = (row, increase)
	for note, wanted in by_note.items():
		with with_the_apps_rights():
			returned = _book_return(doc, note, wanted)
		for row, _qty in wanted.values():
			row.return_delivery_note = returned


def _book_return(doc, note: str, wanted: dict) -> str:
	"""ERPNext's return of delivery note `note`, trimmed to the wanted lines and quantities, submitted."""
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	ret = make_sales_return(note)
	trim_return(
		ret,
		"dn_detail",
		wanted,
		_("Delivery Note {0}: the received items have already been returned in full in ERPNext.").format(
			note
		),
		_("Cannot receive"),
	)
	for item in ret.items:
		item.qty = -wanted[item.dn_detail][1]
		item.stock_qty = item.qty * flt(item.conversion_factor or 1)
		set_serial(item, wanted[item.dn_detail][0].get("serial_no"))
		return_serials.set_units(item, wanted[item.dn_detail][0])
	ret.set_posting_time = 1
	ret.posting_date = doc.received_on
	ret.remarks = _("Goods received for {0}").format(doc.name)
	ret.rma = (
		doc.name
	)  # ties the return to the RMA: its credit note bills it (services/returns/credit_note.py)
	# made again from its values: ERPNext's Delivery Note picks the status updates of a return (the
	# original line's returned_qty, the order line's) in __init__, when a mapped new document is
	# not a return yet; without this ERPNext never counts these units as returned
	ret = frappe.get_doc(ret.as_dict())
	ret.flags.ignore_permissions = True
	# inserted as submitted: ERPNext validates it once (insert then submit validated it twice,
	# about a third of the receive)
	ret.docstatus = 1
	ret.insert()
	return ret.name


def trim_return(ret, link_field: str, wanted, refusal: str, title: str) -> None:
	"""ERPNext's return `ret` cut to the `wanted` lines of the original (matched by `link_field`) and
	numbered again; refused when one of them has nothing left to return in ERPNext (its mapping leaves
	such a line out, or keeps it with no quantity)."""
	ret.items = [item for item in ret.items if item.get(link_field) in wanted]
	if set(wanted) - {item.get(link_field) for item in ret.items if flt(item.qty)}:
		frappe.throw(refusal, title=title)
	for idx, item in enumerate(ret.items, start=1):
		item.idx = idx


def set_serial(item, serial_no: str | None) -> None:
	"""A service line's own serial on a stock line (return, send-back): ERPNext makes its Serial and
	Batch Bundle from the serial field. Items without serial numbers are left as they are."""
	if serial_no and frappe.get_cached_value("Item", item.item_code, "has_serial_no"):
		item.use_serial_batch_fields = 1
		item.serial_and_batch_bundle = None
		item.serial_no = serial_no


def reject(name: str, reason: str):
	return _close(name, "reject", reason)


def cancel(name: str, reason: str):
	return _close(name, "cancel", reason)


def approve(name: str):
	"""Requested -> Expected: staff approved a request an approval rule held (services/returns/review.py)."""
	doc = _get(name)
	return _move(doc, _next(doc, "approve"), history_notes.note("approved"))


def decline(name: str, reason: str):
	"""Requested -> Rejected, with the reason the dealer reads (services/returns/review.py)."""
	return _close(name, "decline", reason)


def _close(name: str, action: str, reason: str):
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Reason: please say why."), title=_("Reason required"))
	doc = _get(name)
	status = _next(doc, action)
	if action == "reject" and doc.kind == "Service" and any(flt(row.qty_received) > 0 for row in doc.items):
		# the customer's units are here: rejected lines go back to them (handling Reject, then Send)
		frappe.throw(
			_(
				"{0}: the products have been received; set the handling Reject on their lines and send them back."
			).format(doc.name),
			exc=StatusError,
			title=_("Not allowed in this status"),
		)
	doc.decision_note = reason
	return _move(doc, status, reason)


def mark_invoiced(name: str, credit_notes: list[str] | str, request_key: str | None = None):
	"""Received -> Invoiced, noting the credit notes made (services/returns/credit_note.py, or a hand-made one)."""
	if isinstance(credit_notes, str):
		credit_notes = [credit_notes]
	doc = _get(name)
	_next(doc, "invoice")
	for invoice in credit_notes:
		_add_credit_note(doc, invoice)
	close_settled_returns(doc)
	# Invoiced while a replaced / repaired / rejected line is still open; Completed once none is
	status = _next(doc, outcomes.final_action(outcome_lines(doc), credit_ends(doc)) or "invoice")
	key = "credit_notes" if len(credit_notes) > 1 else "credit_note"
	return _move(doc, status, history_notes.note(key, ", ".join(credit_notes)), request_key)


def _settled(row) -> bool:
	"""A received line with nothing left to do in the books: credited, or its goods sent out again."""
	if row.handling == "Credit":
		return bool(row.credit_note)
	return row.handling in outcomes.SHIPPED and bool(row.outcome_delivery_note)


def close_settled_returns(doc):
	"""Close (ERPNext's own "Closed" status) the RMA's return Delivery Notes that keep something
	unbilled though every line on them is settled: the goods of Replace, Repair and Reject lines are
	never credited, so without this their return notes would stay "To Bill" for ever. A credited
	line's return is billed by its credit note (ERPNext marks it Completed) and needs nothing here."""
	open_lines = {
		row.delivery_note_item for row in doc.items if flt(row.qty_received) > 0 and not _settled(row)
	}
	returns = frappe.get_all(
		"Delivery Note",
		filters={
			"rma": doc.name,
			"is_return": 1,
			"docstatus": 1,
			"status": ["not in", ["Closed", "Completed"]],
		},
		pluck="name",
	)
	for name in returns:
		lines = frappe.get_all("Delivery Note Item", filters={"parent": name}, pluck="dn_detail")
		if not open_lines.intersection(lines):
			frappe.get_doc("Delivery Note", name).update_status("Closed")


def credit_ends(doc) -> bool:
	"""A return credited in full ends Invoiced; a service request ends Completed whatever its handling."""
	return doc.kind != "Service"


def outcome_lines(doc) -> list[outcomes.Line]:
	return [
		outcomes.Line(
			row.handling or None,
			flt(row.qty_received),
			credited=bool(row.credit_note),
			shipped=bool(row.outcome_delivery_note),
		)
		for row in doc.items
	]


def credit_note_submitted(name: str, credit_note: str):
	"""A submitted credit note linked to the RMA: listed on it; the first one moves it to Invoiced."""
	doc = _get(name)
	if doc.status in ("Invoiced", "Completed"):  # a further one (lines over several invoices, by hand)
		_add_credit_note(doc, credit_note)
		close_settled_returns(doc)
		doc.flags.ignore_permissions = True
		doc.save()
		return doc
	return mark_invoiced(name, credit_note)


def _add_credit_note(doc, credit_note: str):
	"""List the credit note on the RMA, link it on the lines it credits and update the total."""
	if any(row.sales_invoice == credit_note for row in doc.credit_notes):
		return
	invoice = frappe.db.get_value(
		"Sales Invoice",
		credit_note,
		["posting_date", "return_against", "grand_total", "currency"],
		as_dict=True,
	)
	credited_items = set(
		frappe.get_all(
			"Sales Invoice Item",
			filters={"parent": credit_note, "parenttype": "Sales Invoice"},
			pluck="sales_invoice_item",
		)
	)
	fee = frappe.db.get_value(
		"Sales Taxes and Charges",
		{"parent": credit_note, "parenttype": "Sales Invoice", "description": ["like", f"%{doc.name}%"]},
		"sum(tax_amount)",
	)
	doc.append(
		"credit_notes",
		{
			"sales_invoice": credit_note,
			"posting_date": invoice.posting_date,
			"return_against": invoice.return_against,
			"grand_total": invoice.grand_total,
			"fee_amount": flt(fee),
			"currency": invoice.currency,
		},
	)
	for row in doc.items:
		if row.sales_invoice_item and row.sales_invoice_item in credited_items:
			row.credit_note = credit_note
	_refresh_credit_totals(doc)


def _refresh_credit_totals(doc):
	for idx, row in enumerate(doc.credit_notes, start=1):
		row.idx = idx
	doc.total_credited = -sum(flt(row.grand_total) for row in doc.credit_notes)
	doc.credit_note = doc.credit_notes[0].sales_invoice if doc.credit_notes else None


def credit_note_cancelled(name: str, credit_note: str):
	"""A cancelled credit note leaves the RMA's list; with none left, Invoiced -> Received.

	The received goods still need crediting; a new credit note can then be made as before.
	"""
	doc = _get(name)
	doc.credit_notes = [row for row in doc.credit_notes if row.sales_invoice != credit_note]
	for row in doc.items:
		if row.credit_note == credit_note:
			row.credit_note = None
	_refresh_credit_totals(doc)
	if doc.status not in ("Invoiced", "Completed") or doc.credit_notes:
		doc.flags.ignore_permissions = True
		doc.save()
		return doc
	status = _next(doc, "credit_note_cancelled")
	return _move(doc, status, history_notes.note("credit_note_cancelled", credit_note))
