"""Credit notes for received RMAs: ERPNext Sales Invoice returns against the original invoices.

One credit note per original invoice the RMA's received *Credit* lines come from (lines handled as
Replace, Repair or Reject are never credited), trimmed to those lines with qty = -received; the
RMA's return fee is a positive "Actual" charge on the first one (see _fee_charge for why not an item
line). Each credit note carries the custom field `rma` and is listed on the RMA (table
`credit_notes`, total `total_credited`); the Sales Invoice doc_event (overrides/sales_invoice.py)
does the same for credit notes made by hand.

Balance: against an unpaid original invoice the credit note reduces that invoice's outstanding
amount (ERPNext's return against the invoice, "Update Outstanding for Self" off); against a paid
one (outstanding smaller than the credit) it keeps its own outstanding, the customer's credit
balance. ERPNext's pop-up explaining that choice is dropped: the desk message lists what was made.

Credit only (update_stock = 0): the goods went back into stock at receipt with a Delivery Note
return (services/lifecycle.py). Runs inline: a 5-line credit note takes well under the 2 s target
(benchmarks/staff_actions.py), and the staff member sees ERPNext's validation errors at once. All
or nothing: a failure rolls back to a savepoint taken first, so no credit note is left half-made and
the RMA keeps its status. Nothing here commits.
"""

import frappe
from frappe import _
from frappe.utils import flt

from rma_portal.services import lifecycle
from rma_portal.services.settings import rma_settings

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

	frappe.db.savepoint("rma_credit_note")
	frappe.flags.rma_crediting = rma.name
	try:
		made = [
			_make_one(rma, invoice, wanted, fee if not index else 0, fee_item)
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


def _fee(rma) -> tuple[float, str | None]:
	fee = flt(rma.fee_amount)
	fee_item = rma_settings().fee_item
	if fee > 0 and not fee_item:
		frappe.throw(
			_("RMA Settings, Fee Item: set the item used for the return fee before making credit notes."),
			title=_("Cannot make the credit note"),
		)
	return fee, fee_item


def _make_one(rma, invoice: str, wanted: dict[str, float], fee: float, fee_item: str | None) -> str:
	"""One submitted credit note against `invoice` for the wanted lines (+ the fee when given)."""
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	credit = make_return_doc("Sales Invoice", invoice)
	credit.items = [item for item in credit.items if item.sales_invoice_item in wanted]
	if set(wanted) - {item.sales_invoice_item for item in credit.items}:
		frappe.throw(
			_("Invoice {0}: the received items have already been credited in full in ERPNext.").format(
				invoice
			),
			title=_("Cannot make the credit note"),
		)
	for idx, item in enumerate(credit.items, start=1):
		item.idx = idx
		item.qty = -wanted[item.sales_invoice_item]
		item.stock_qty = item.qty * flt(item.conversion_factor or 1)
	if fee > 0:
		credit.append("taxes", _fee_charge(credit, rma, fee, fee_item))
	credit.po_no = rma.customer_reference or credit.po_no
	credit.rma = rma.name
	credit.set_posting_time = 0
	credit.payment_schedule = []
	credit.remarks = _("Credit note for {0}").format(rma.name)
	credit.calculate_taxes_and_totals()
	credit.update_outstanding_for_self = _keeps_own_balance(credit)
	with quiet():
		credit.insert()
		credit.submit()
	return credit.name


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


def _fee_charge(credit, rma, fee: float, fee_item: str) -> dict:
	"""The return fee as an "Actual" charge booked to the fee item's income account.

	ERPNext refuses positive quantities on a return ("quantity must be negative") and negative
	rates unless Selling Settings allows them for every document, so the fee cannot be an item
	line; a positive charge on the credit note reduces the credit by exactly the fee, shows as
	its own printed line and credits the fee income account.
	"""
	company = credit.company
	account = frappe.db.get_value(
		"Item Default", {"parent": fee_item, "company": company}, "income_account"
	) or frappe.get_cached_value("Company", company, "default_income_account")
	return {
		"charge_type": "Actual",
		"account_head": account,
		"cost_center": credit.cost_center or frappe.get_cached_value("Company", company, "cost_center"),
		"description": _("Return fee {0} ({1})").format(rma.name, fee_item),
		"tax_amount": fee,
	}


def credit_notes_of(name: str) -> list[str]:
	"""Every submitted credit note linked to the RMA (several when its lines span invoices)."""
	return frappe.get_all(
		"Sales Invoice",
		filters={"rma": name, "is_return": 1, "docstatus": 1},
		pluck="name",
		order_by="creation",
	)
