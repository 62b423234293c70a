"""Named status actions on an RMA: receive, reject, cancel, mark as invoiced.

Every move goes through domain.transitions (machine "RMA"), writes an RMA Status Log row and
then tells the customer (services.notify.send_status_mail, once that module exists). The RMA
controller refuses status edits that do not come through here (flags.status_change_allowed).

Callers check permission (api/desk.py: frappe.has_permission on RMA "write"; the Sales Invoice
doc_event runs for whoever may submit the credit note), so documents are saved with
ignore_permissions. Nothing here commits.
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
	received = sum(flt(row.qty_received) for row in doc.items)
	requested = sum(flt(row.qty_requested) for row in doc.items)
	return _move(doc, status, _("Received {0} of {1}").format(f"{received:g}", f"{requested:g}"))


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
