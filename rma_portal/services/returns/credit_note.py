"""Credit notes for received RMAs: ERPNext Sales Invoice returns against the original invoices.

One credit note per original invoice the RMA's received *Credit* lines come from (lines handled as
Replace, Repair or Reject are never credited), trimmed to those lines with qty = -received (and the serials received on them); the RMA's return fee
is charged on the first one with its VAT, in the company's currency and outside the invoice's
discount (services/returns/return_fee.py). Each credit note carries the custom field `rma` and is listed on the RMA (table
`credit_notes`, total `total_credited`); the Sales Invoice doc_event (overrides/sales_invoice.py)
does the same for credit notes made by hand.

Balance: against an unpaid original invoice the credit note reduces that invoice's outstanding
amount (ERPNext's return against the invoice, "Update Outstanding for Self" off); against a paid
one (outstanding smaller than the credit) it keeps its own outstanding, the customer's credit
balance. ERPNext's pop-up explaining that choice is dropped: the desk message lists what was made.

Credit only (update_stock = 0): the goods went back into stock at receipt with a Delivery Note
return (services/returns/lifecycle.py). Runs inline: a 5-line credit note takes well under the 2 s target
(benchmarks/staff_actions.py), and the staff member sees ERPNext's validation errors at once. All
or nothing: a failure rolls back to a savepoint taken first, so no credit note is left half-made and
the RMA keeps its status. Nothing here commits.
"""

import frappe
from frappe import _
from frappe.utils import flt

from rma_portal.services.policy import fee_rules
from rma_portal.services.returns import lifecycle, return_fee, return_serials
from rma_portal.services.shared.app_rights import with_the_apps_rights
from rma_portal.services.shared.settings import rma_settings

CREDITED_HANDLING = "Credit"


def make_credit_note(name: str, request_key: str | None = None) -> str:
	"""Make and submit the credit note(s) of a Received RMA; returns the first credit note's name.

	A repeated request_key (double click, retry) returns the first call's credit note, making none.
	"""
	rma = lifecycle._get(name)  # row lock: a concurrent call waits, then finds the key or the status
	if lifecycle.already_done(rma, request_key):
		return rma.credit_note
	lifecycle._next(rma, "invoice")
	by_invoice = _lines_to_credit(rma)
	fee, fee_item = _fee(rma)
	serials = _credited_serials(rma)

	frappe.db.savepoint("rma_credit_note")
	frappe.flags.rma_crediting = rma.name
	try:
		with with_the_apps_rights():  # ERPNext's return mapping checks the user's own rights
			made = [
				_make_one(rma, invoice, wanted, fee if not index else 0, fee_item, serials)
				for index, (invoice, wanted) in enumerate(by_invoice.items())
			]
		lifecycle.mark_invoiced(rma.name, made, request_key)
	except Exception:
		frappe.db.rollback(save_point="rma_credit_note")
		raise
	finally:
		frappe.flags.rma_crediting = None
	return made[0]


def _lines_to_credit(rma) -> dict[str, dict[str, float]]:
	"""original invoice -> {original invoice item -> qty to credit}, in line order; every problem at once."""
	received = [row for row in rma.items if flt(row.qty_received) > 0]
	if not received:
		frappe.throw(
			_("{0}: no line has a received quantity yet.").format(rma.name), title=_("Nothing to credit")
		)
	errors = [
		_("Line {0} ({1}), Handling: decide the handling before making the credit note.").format(
			row.idx, row.item_code
		)
		for row in received
		if not row.handling
	]
	to_credit = [row for row in received if row.handling == CREDITED_HANDLING]
	errors += [
		_("Line {0} ({1}): its delivery has not been invoiced, so there is nothing to credit.").format(
			row.idx, row.item_code
		)
		for row in to_credit
		if not (row.sales_invoice and row.sales_invoice_item)
	]
	if errors:
		frappe.throw(errors, title=_("Cannot make the credit note"), as_list=True)
	if not to_credit:
		frappe.throw(
			_("{0}: no received line has the handling Credit.").format(rma.name), title=_("Nothing to credit")
		)
	by_invoice: dict[str, dict[str, float]] = {}
	for row in to_credit:
		lines = by_invoice.setdefault(row.sales_invoice, {})
		lines[row.sales_invoice_item] = lines.get(row.sales_invoice_item, 0) + flt(row.qty_received)
	return by_invoice


def _credited_serials(rma) -> dict[str, list[str]]:
	"""original invoice item -> the serials received on its credited lines (printed on the credit note)."""
	out: dict[str, list[str]] = {}
	for row in rma.items:
		if row.handling == CREDITED_HANDLING and row.sales_invoice_item and row.get("received_serial_nos"):
			out.setdefault(row.sales_invoice_item, []).extend(return_serials.split(row.received_serial_nos))
	return out


def _fee(rma) -> tuple[float, str | None]:
	"""The fee frozen on the RMA when sent, less the fees of lines not credited (services/policy/fee_rules.py)."""
	credited = {
		row.name for row in rma.items if row.handling == CREDITED_HANDLING and flt(row.qty_received) > 0
	}
	fee = fee_rules.chargeable(rma, credited)
	fee_item = rma_settings(rma.company).fee_item
	if fee > 0 and not fee_item:
		frappe.throw(
			_("RMA Settings, Fee Item: set the item used for the return fee before making credit notes."),
			title=_("Cannot make the credit note"),
		)
	return fee, fee_item


def _make_one(
	rma, invoice: str, wanted: dict[str, float], fee: float, fee_item: str | None, serials: dict
) -> str:
	"""One submitted credit note against `invoice` for the wanted lines (+ the fee when given)."""
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	credit = make_return_doc("Sales Invoice", invoice)
	lifecycle.trim_return(
		credit,
		"sales_invoice_item",
		wanted,
		_("Invoice {0}: the received items have already been credited in full in ERPNext.").format(invoice),
		_("Cannot make the credit note"),
	)
	for item in credit.items:
		item.qty = -wanted[item.sales_invoice_item]
		item.stock_qty = item.qty * flt(item.conversion_factor or 1)
		if serials.get(item.sales_invoice_item):
			item.serial_no = return_serials.join(serials[item.sales_invoice_item])
	credit.items = _billing_return_lines(rma, credit.items)
	for idx, item in enumerate(credit.items, start=1):
		item.idx = idx
	credit.po_no = rma.customer_reference or credit.po_no
	credit.rma = rma.name
	credit.set_posting_time = 0
	credit.payment_schedule = []
	credit.remarks = _("Credit note for {0}").format(rma.name)
	credit.calculate_taxes_and_totals()  # ERPNext's own return for these quantities
	if fee > 0:
		_keep_discount(credit)
		credit.extend("taxes", return_fee.fee_rows(credit, rma, fee, fee_item))
		credit.calculate_taxes_and_totals()
	credit.update_outstanding_for_self = _keeps_own_balance(credit)
	with quiet():
		credit.insert()
		credit.submit()
	return credit.name


def _billing_return_lines(rma, items: list) -> list:
	"""Each credited line pointed at the return Delivery Note lines that took its units back at receipt
	(`delivery_note` / `dn_detail`; split per return line when received in several steps), so ERPNext's
	own billing update marks those return notes billed: none stays "To Bill" once credited, and the
	original delivery keeps its per-billed figure (ERPNext nets the returned units out of it). A line
	whose units no return note of the RMA took back keeps the invoice's delivery reference."""
	returned = _return_lines(rma)
	out = []
	for item in items:
		parts = returned.get(item.sales_invoice_item)
		if not parts:
			out.append(item)
			continue
		remaining = -flt(item.qty)
		serials = [s for s in (item.serial_no or "").split("\n") if s.strip()]
		for index, (note, detail, qty) in enumerate(parts):
			if remaining <= 0:
				break
			last = index == len(parts) - 1 or remaining <= qty
			part = item if last else frappe.copy_doc(item)
			take = remaining if last else qty
			part.qty = -take
			part.stock_qty = part.qty * flt(part.conversion_factor or 1)
			part.delivery_note, part.dn_detail = note, detail
			if serials and not last:
				part.serial_no, serials = "\n".join(serials[: int(take)]), serials[int(take) :]
			elif serials:
				part.serial_no = "\n".join(serials)
			remaining = flt(remaining - take, 6)
			out.append(part)
	return out


def _return_lines(rma) -> dict[str, list[tuple[str, str, float]]]:
	"""original invoice item -> [(return Delivery Note, its line, qty)] of the RMA's Credit lines not
	billed yet, oldest receipt first."""
	by_delivery = {
		row.delivery_note_item: row.sales_invoice_item
		for row in rma.items
		if row.handling == CREDITED_HANDLING and row.delivery_note_item and row.sales_invoice_item
	}
	if not by_delivery:
		return {}
	rows = frappe.db.sql(
		"""select dni.parent, dni.name, dni.dn_detail, -dni.qty as qty
		from `tabDelivery Note Item` dni
		join `tabDelivery Note` dn on dn.name = dni.parent and dni.parenttype = 'Delivery Note'
		where dn.rma = %(rma)s and dn.is_return = 1 and dn.docstatus = 1
			and dni.dn_detail in %(lines)s and abs(dni.billed_amt) < 0.005
		order by dn.posting_date, dn.creation, dni.idx""",
		{"rma": rma.name, "lines": tuple(by_delivery)},
		as_dict=True,
	)
	out: dict[str, list] = {}
	for row in rows:
		out.setdefault(by_delivery[row.dn_detail], []).append((row.parent, row.name, flt(row.qty)))
	return out


def _keeps_own_balance(credit) -> int:
	"""1 when the original invoice is paid (its outstanding is below the credit): a credit balance."""
	outstanding = flt(frappe.db.get_value("Sales Invoice", credit.return_against, "outstanding_amount"))
	return int(abs(flt(credit.rounded_total) or flt(credit.grand_total)) > outstanding)


class quiet:
	"""Drop the pop-ups ERPNext queues while making a credit note (its outstanding explanation):
	the clerk gets one message listing what was made. Errors still raise with their message."""

	def __enter__(self):
		self.before = len(frappe.local.message_log)

	def __exit__(self, exc_type, exc, tb):
		if exc_type is None:
			del frappe.local.message_log[self.before :]
		return False


def _keep_discount(credit):
	"""The invoice's discount stays what ERPNext's return gives without the fee: a percentage on the
	Grand Total would otherwise be taken off the fee too (the fee rows are charges in the taxes table)."""
	if credit.apply_discount_on == "Grand Total" and flt(credit.additional_discount_percentage):
		credit.additional_discount_percentage = 0  # discount_amount keeps the amount just computed


def credit_notes_of(name: str) -> list[str]:
	"""Every submitted credit note linked to the RMA (several when its lines span invoices)."""
	return frappe.get_all(
		"Sales Invoice",
		filters={"rma": name, "is_return": 1, "docstatus": 1},
		pluck="name",
		order_by="creation",
	)
