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
from, whatever the handling (Scrap and Send back included: the goods are physically there; staff
scrap them or ship them back with ordinary stock entries). The credit note (services/credit_note.py)
stays credit-only. The newest return is linked on the RMA Item (`return_delivery_note`).
Rejecting or cancelling an RMA after receipt leaves the stock return as it is (the goods are in
the warehouse), and cancelling a credit note does not touch stock either.
"""

import math

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime, today

from rma_portal.domain import transitions
from rma_portal.services import notify

HANDLINGS = ("Credit", "Replace", "Repair", "Scrap", "Send back")


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


def _move(doc, status: str, note: str | None = None):
	changed = doc.status != status
	doc.status = status
	doc.append(
		"status_log",
		{"status": status, "changed_on": now_datetime(), "changed_by": frappe.session.user, "note": note},
	)
	doc.flags.status_change_allowed = True
	doc.flags.ignore_permissions = True
	doc.save()
	if changed:
		notify.send_status_mail(doc.name, status)
	return doc


def _get(name: str):
	if not name or not frappe.db.exists("RMA", name):
		frappe.throw(_("RMA {0} does not exist.").format(name), exc=frappe.DoesNotExistError)
	return frappe.get_doc("RMA", name, for_update=True)


def receive(name: str, quantities: dict, handling: dict | None = None, received_on=None):
	"""Book received quantities per RMA Item row (absolute, not added); partial receipts allowed."""
	doc = _get(name)
	status = _next(doc, "receive")
	quantities = {str(k): v for k, v in (quantities or {}).items()}
	handling = {str(k): v for k, v in (handling or {}).items() if v}
	rows = {row.name: row for row in doc.items}
	previous = {row.name: flt(row.qty_received) for row in doc.items}
	errors = []
	for row_name in list(quantities) + list(handling):
		if row_name not in rows:
			errors.append(_("Row {0}: not a line of {1}.").format(row_name, doc.name))
	for row_name, value in quantities.items():
		row = rows.get(row_name)
		if not row:
			continue
		try:
			qty = float(value or 0)
			if not math.isfinite(qty):
				raise ValueError(value)
		except (TypeError, ValueError):
			errors.append(_("Line {0} ({1}), Received Qty: enter a number.").format(row.idx, row.item_code))
			continue
		if qty < 0:
			errors.append(
				_("Line {0} ({1}), Received Qty: cannot be negative.").format(row.idx, row.item_code)
			)
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
	for row_name, value in handling.items():
		row = rows.get(row_name)
		if not row:
			continue
		if value not in HANDLINGS:
			errors.append(
				_("Line {0} ({1}), Handling: {2} is not a handling.").format(row.idx, row.item_code, value)
			)
		else:
			row.handling = value
	if not errors and not any(flt(row.qty_received) > 0 for row in doc.items):
		errors.append(_("Received Qty: enter the received quantity of at least one line."))
	if errors:
		frappe.throw(errors, title=_("Cannot receive"), as_list=True)
	doc.received_on = getdate(received_on or today())
	_book_stock_returns(doc, previous)
	received = sum(flt(row.qty_received) for row in doc.items)
	requested = sum(flt(row.qty_requested) for row in doc.items)
	return _move(doc, status, _("Received {0} of {1}").format(f"{received:g}", f"{requested:g}"))


def _restocks(doc, row) -> bool:
	"""Whether received units of this line go back into stock (Return RMA lines from a delivery)."""
	return doc.kind == "Return" and bool(row.delivery_note_item and row.delivery_note)


def _book_stock_returns(doc, previous: dict):
	"""Submit one Delivery Note return per original delivery note for the units received in this call.

	Inside the caller's transaction (the RMA save follows); ERPNext's validation errors propagate.
	"""
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	# original delivery note -> {delivery note item -> (RMA Item, qty to book)}
	by_note: dict[str, dict[str, tuple]] = {}
	for row in doc.items:
		increase = flt(flt(row.qty_received) - previous.get(row.name, 0), 6)
		if increase > 0 and _restocks(doc, row):
			by_note.setdefault(row.delivery_note, {})[row.delivery_note_item] = (row, increase)
	for note, wanted in by_note.items():
		ret = make_sales_return(note)
		ret.items = [item for item in ret.items if item.dn_detail in wanted]
		if set(wanted) - {item.dn_detail for item in ret.items}:
			frappe.throw(
				_(
					"Delivery Note {0}: the received items have already been returned in full in ERPNext."
				).format(note),
				title=_("Cannot receive"),
			)
		for idx, item in enumerate(ret.items, start=1):
			item.idx = idx
			item.qty = -wanted[item.dn_detail][1]
			item.stock_qty = item.qty * flt(item.conversion_factor or 1)
		ret.set_posting_time = 1
		ret.posting_date = doc.received_on
		ret.remarks = _("Goods received for {0}").format(doc.name)
		ret.flags.ignore_permissions = True
		ret.insert()
		ret.submit()
		for row, _qty in wanted.values():
			row.return_delivery_note = ret.name


def reject(name: str, reason: str):
	return _close(name, "reject", reason)


def cancel(name: str, reason: str):
	return _close(name, "cancel", reason)


def _close(name: str, action: str, reason: str):
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Reason: please say why."), title=_("Reason required"))
	doc = _get(name)
	status = _next(doc, action)
	doc.decision_note = reason
	return _move(doc, status, reason)


def mark_invoiced(name: str, credit_note: str):
	"""Received -> Invoiced with the (first) credit note linked; called from the Sales Invoice doc_event."""
	doc = _get(name)
	status = _next(doc, "invoice")
	if not doc.credit_note:
		doc.credit_note = credit_note
	return _move(doc, status, _("Credit note {0}").format(credit_note))


def credit_note_cancelled(name: str, credit_note: str):
	"""Invoiced -> Received when its credit note is cancelled and no other submitted one remains.

	The received goods still need crediting; a new credit note can then be made as before.
	"""
	doc = _get(name)
	if doc.status != "Invoiced":
		return doc
	remaining = frappe.get_all(
		"Sales Invoice",
		filters={"rma": name, "is_return": 1, "docstatus": 1, "name": ["!=", credit_note]},
		pluck="name",
		order_by="creation asc",
	)
	if remaining:
		if doc.credit_note == credit_note:
			doc.db_set("credit_note", remaining[0])
		return doc
	status = _next(doc, "credit_note_cancelled")
	doc.credit_note = None
	return _move(doc, status, _("Credit note {0} cancelled").format(credit_note))
