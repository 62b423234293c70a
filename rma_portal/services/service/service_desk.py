"""A received service request's own steps: diagnosis, the paid repair quote and the dealer's answer.

- Diagnose (staff): per line a diagnosis, whether the warranty covers the fault and the handling
  that follows (Credit, Replace, Repair, Reject); the customer reads the diagnosis on the request's
  page. A line sent in for Diagnosis is settled by the handling chosen here.
- Repair quote (staff): for lines the warranty does not cover (diagnosed "Not covered", or past their
  warranty end), an ERPNext Quotation of the settings' repair item, submitted and linked on the RMA.
- The dealer's answer (portal): accepting makes the Sales Order the repair is invoiced from (ERPNext's
  own quotation-to-order mapping) and sets the quoted lines to Repair; declining marks the quotation
  Lost, sets them to Reject (sent back as they are) and bills the settings' handling charge with a
  Sales Invoice. Either answer counts once.

The goods leave afterwards with services/returns/outcome.py (Repair: with a repair report). Callers check
permission (api/desk.py: write on the RMA; api/service.py: the access point). Nothing here commits.
"""

import frappe
from frappe import _
from frappe.utils import add_days, flt, getdate, today

from rma_portal.domain import outcomes
from rma_portal.domain.inputs import plain_text
from rma_portal.services.returns import lifecycle
from rma_portal.services.returns.credit_note import quiet
from rma_portal.services.shared import history_notes, notify
from rma_portal.services.shared.settings import rma_settings

COVERED, NOT_COVERED = "Covered", "Not covered"
SENT, ACCEPTED, DECLINED = "Sent", "Accepted", "Declined"
MAX_TEXT = 2000


def _service_rma(name: str):
	doc = lifecycle._get(name)
	if doc.kind != "Service":
		frappe.throw(_("{0} is not a service request.").format(name), title=_("Not a service request"))
	return doc


def _refuse_unless_received(doc, refusal: str):
	"""The staff step needs the goods in: `refusal` (translated, {0} the RMA) while they are not."""
	if doc.status != "Received":
		frappe.throw(refusal.format(doc.name), title=_("Not received yet"))


def diagnose(name: str, lines: dict, request_key: str | None = None):
	"""lines: RMA Item name -> {diagnosis, covered, handling}. Received service RMAs only."""
	doc = _service_rma(name)
	if lifecycle.already_done(doc, request_key):
		return doc
	_refuse_unless_received(doc, _("{0}: receive the goods before the diagnosis."))
	rows = {row.name: row for row in doc.items}
	errors, diagnosed = [], []
	for row_name, values in (lines or {}).items():
		row = rows.get(str(row_name))
		if not row:
			errors.append(_("Row {0}: not a line of {1}.").format(row_name, doc.name))
			continue
		problem = _diagnose_line(row, frappe._dict(values or {}))
		if problem:
			errors.append(problem)
		else:
			diagnosed.append(row.item_code)
	if not errors and not diagnosed:
		errors.append(_("Diagnosis: describe the diagnosis of at least one line."))
	if errors:
		frappe.throw(errors, title=_("Cannot save the diagnosis"), as_list=True)
	return lifecycle._move(
		doc, doc.status, history_notes.note("diagnosed", ", ".join(diagnosed)), request_key
	)


def _diagnose_line(row, values) -> str | None:
	"""Set the line's diagnosis; the reason it cannot be set, or None."""
	text = plain_text(str(values.diagnosis or "")).strip()
	label = _("Line {0} ({1})").format(row.idx, row.item_code)
	if not text:
		return _("{0}, Diagnosis: describe what was found.").format(label)
	if len(text) > MAX_TEXT:
		return _("{0}, Diagnosis: at most {1} characters.").format(label, MAX_TEXT)
	if values.covered not in (COVERED, NOT_COVERED):
		return _("{0}, Covered by Warranty: choose Covered or Not covered.").format(label)
	handling = values.handling or None
	if handling and handling not in outcomes.HANDLINGS:
		return _("{0}, Handling: {1} is not a handling.").format(label, handling)
	if handling and handling != row.handling and (row.credit_note or row.outcome_delivery_note):
		return _("{0}, Handling: already carried out as {1}.").format(label, _(row.handling))
	row.diagnosis, row.fault_covered = text, values.covered
	if handling:
		row.handling = handling
	return None


def quoted_lines(doc) -> list:
	"""The received lines a repair quote is for: not covered by the diagnosis, or past the warranty."""
	on = getdate(doc.received_on or today())
	return [
		row
		for row in doc.items
		if flt(row.qty_received) > 0
		and not (row.credit_note or row.outcome_delivery_note)
		and (row.fault_covered == NOT_COVERED or (row.warranty_end and getdate(row.warranty_end) < on))
	]


def send_repair_quote(name: str, amount, description: str | None = None, request_key: str | None = None):
	"""Make and submit the repair Quotation for the lines the warranty does not cover."""
	doc = _service_rma(name)
	if lifecycle.already_done(doc, request_key):
		return doc
	_refuse_unless_received(doc, _("{0}: a repair quote is sent for received goods."))
	if doc.repair_quote_status in (SENT, ACCEPTED):
		frappe.throw(
			_("{0}: repair quote {1} is already {2}.").format(
				doc.name, doc.repair_quotation, _(doc.repair_quote_status).lower()
			),
			title=_("Repair quote already sent"),
		)
	lines, amount, item = _quote_inputs(doc, amount)
	quotation = _make_quotation(doc, lines, amount, item, plain_text(description or "").strip())
	doc.repair_quotation, doc.repair_quote_status = quotation, SENT
	doc.repair_sales_order = doc.handling_charge_invoice = None
	lifecycle._move(doc, doc.status, history_notes.note("repair_quote_sent", quotation), request_key)
	notify.send_repair_quote_mail(doc)
	return doc


def _quote_inputs(doc, amount) -> tuple[list, float, str]:
	errors = []
	lines = quoted_lines(doc)
	if not lines:
		errors.append(
			_("{0}: no received line is outside the warranty; diagnose a line as Not covered first.").format(
				doc.name
			)
		)
	try:
		amount = flt(amount)
	except (TypeError, ValueError):
		amount = 0
	if amount <= 0:
		errors.append(_("Amount: enter the price of the repair."))
	item = rma_settings().get("repair_item")
	if not item:
		errors.append(_("RMA Settings, Repair Item: set the item a repair quote is made of."))
	if errors:
		frappe.throw(errors, title=_("Cannot send the repair quote"), as_list=True)
	return lines, amount, item


def _make_quotation(doc, lines: list, amount: float, item: str, description: str) -> str:
	units = ", ".join(f"{row.item_code}" + (f" ({row.serial_no})" if row.serial_no else "") for row in lines)
	quotation = frappe.get_doc(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": doc.customer,
			"company": doc.company,
			"currency": doc.currency,
			"transaction_date": today(),
			"valid_till": add_days(today(), 30),
			"order_type": "Maintenance",
			"items": [
				{
					"item_code": item,
					"qty": 1,
					"rate": amount,
					"description": _("Repair of {0} for {1}").format(units, doc.name)
					+ (f"\n{description}" if description else ""),
				}
			],
		}
	)
	quotation.flags.ignore_permissions = True
	with quiet():
		quotation.insert()
		quotation.submit()
	return quotation.name


def answer_repair_quote(customer: str, name: str, accept: bool, user: str) -> frappe._dict:
	"""The dealer's answer to the request's repair quote; a second answer changes nothing."""
	doc = _service_rma(name)
	if doc.customer != customer:
		raise frappe.PermissionError
	if doc.repair_quote_status in (ACCEPTED, DECLINED):
		return frappe._dict(status=doc.repair_quote_status, changed=False)
	if doc.repair_quote_status != SENT or not doc.repair_quotation:
		frappe.throw(_("{0} has no repair quote to answer.").format(doc.name), frappe.ValidationError)
	lines = quoted_lines(doc)
	if accept:
		from rma_portal.services.portal.portal_quotations import _make_sales_order

		doc.repair_sales_order = _make_sales_order(doc.repair_quotation)
		doc.repair_quote_status = ACCEPTED
		handling, note = outcomes.REPAIR, history_notes.note("repair_quote_accepted", doc.repair_sales_order)
	else:
		_mark_lost(doc.repair_quotation)
		doc.handling_charge_invoice = _bill_handling_charge(doc)
		doc.repair_quote_status = DECLINED
		handling, note = outcomes.REJECT, history_notes.note("repair_quote_declined", doc.repair_quotation)
	for row in lines:
		row.handling = handling
	lifecycle._move(doc, doc.status, note)
	return frappe._dict(status=doc.repair_quote_status, changed=True)


def _mark_lost(quotation: str) -> None:
	"""ERPNext's "Set as Lost" of the quotation, as the offers page does it for a dealer
	(portal_quotations._declare_lost: ERPNext's own lists the lost-reason master with the dealer's
	permissions, which they do not have)."""
	from rma_portal.services.portal.portal_quotations import _declare_lost

	doc = frappe.get_doc("Quotation", quotation)
	doc.flags.ignore_permissions = True
	_declare_lost(doc, _("Repair quote declined in the customer portal."))


def _bill_handling_charge(doc) -> str | None:
	"""A submitted Sales Invoice of the settings' handling charge, or None when there is none."""
	settings = rma_settings()
	charge, item = flt(settings.get("handling_charge")), settings.get("handling_charge_item")
	if charge <= 0 or not item:
		return None
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": doc.customer,
			"company": doc.company,
			"currency": doc.currency,
			"po_no": doc.name,
			"items": [
				{
					"item_code": item,
					"qty": 1,
					"rate": charge,
					"description": _("Handling charge for {0}: repair quote declined").format(doc.name),
				}
			],
		}
	)
	invoice.flags.ignore_permissions = True
	invoice.set_missing_values()
	with quiet():
		invoice.insert()
		invoice.submit()
	return invoice.name
