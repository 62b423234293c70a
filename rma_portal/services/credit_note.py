"""Credit notes for received RMAs: ERPNext Sales Invoice returns against the original invoices.

One credit note per original invoice the RMA's received lines come from (usually one),
trimmed to those lines with qty = -received; the RMA's return fee is a positive "Actual" charge
on the first one (see _fee_charge for why not an item line). Each credit note carries the custom field `rma`; its
on_submit doc_event (overrides/sales_invoice.py) moves the RMA to Invoiced and links the first.

Credit only (update_stock = 0): the goods went back into stock at receipt with a Delivery Note
return (services/lifecycle.py); ERPNext would refuse "Update Stock" on a return against an
invoice that did not update stock anyway. Cancelling a credit note therefore leaves stock alone.

Runs inline in the staff member's request for now: a credit note is a handful of rows and
GL entries, and doing it synchronously lets the desk show ERPNext's own validation errors.
Move it to frappe.enqueue once bulk invoicing is added. Nothing here commits.
"""

import frappe
from frappe import _
from frappe.utils import flt

from rma_portal.services import lifecycle
from rma_portal.services.settings import rma_settings


def make_credit_note(name: str) -> str:
	"""Make and submit the credit note(s) of a Received RMA; returns the first credit note's name."""
	from erpnext.controllers.sales_and_purchase_return import make_return_doc

	rma = lifecycle._get(name)
	lifecycle._next(rma, "invoice")

	received = [row for row in rma.items if flt(row.qty_received) > 0]
	if not received:
		frappe.throw(
			_("{0}: no line has a received quantity yet.").format(rma.name), title=_("Nothing to credit")
		)
	not_invoiced = [row for row in received if not (row.sales_invoice and row.sales_invoice_item)]
	if not_invoiced:
		frappe.throw(
			[
				_(
					"Line {0} ({1}): its delivery has not been invoiced, so there is nothing to credit."
				).format(row.idx, row.item_code)
				for row in not_invoiced
			],
			title=_("Cannot make the credit note"),
			as_list=True,
		)

	fee = flt(rma.fee_amount)
	fee_item = rma_settings().fee_item
	if fee > 0 and not fee_item:
		frappe.throw(
			_("RMA Settings, Fee Item: set the item used for the return fee before making credit notes."),
			title=_("Cannot make the credit note"),
		)

	# original invoice -> {original invoice item -> qty to credit}, in line order
	by_invoice: dict[str, dict[str, float]] = {}
	for row in received:
		lines = by_invoice.setdefault(row.sales_invoice, {})
		lines[row.sales_invoice_item] = lines.get(row.sales_invoice_item, 0) + flt(row.qty_received)

	made = []
	for invoice, wanted in by_invoice.items():
		credit = make_return_doc("Sales Invoice", invoice)
		credit.items = [item for item in credit.items if item.sales_invoice_item in wanted]
		missing = set(wanted) - {item.sales_invoice_item for item in credit.items}
		if missing:
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
		if fee > 0 and not made:
			credit.append("taxes", _fee_charge(credit, rma, fee, fee_item))
		credit.po_no = rma.customer_reference or credit.po_no
		credit.rma = rma.name
		credit.set_posting_time = 0
		credit.payment_schedule = []
		credit.remarks = _("Credit note for {0}").format(rma.name)
		credit.insert()
		credit.submit()
		made.append(credit.name)

	# the doc_event normally did this on the first submit; make sure even if hooks are not loaded
	if frappe.db.get_value("RMA", rma.name, "status") != "Invoiced":
		lifecycle.mark_invoiced(rma.name, made[0])
	return made[0]


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
