"""Sending a return request: every problem reported at once, then the RMA inserted under row locks.

The quantities are those of services/returns/candidates.py, read again with locking reads once the RMA
number counter and the delivery lines are locked, so two requests can never over-return a line.
Callers check access first and own the transaction (nothing here commits).
"""

import math

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, now_datetime, today, validate_email_address

from rma_portal.domain.formats import format_qty
from rma_portal.domain.quantities import (
	PRECISION,
	returnable_qty,
	returned_qty,
	round_qty,
	validate_requested_qty,
)
from rma_portal.domain.transitions import RMA_OPEN
from rma_portal.services.policy import approval, credit_hold, fee_rules
from rma_portal.services.returns import documents, return_serials
from rma_portal.services.returns.candidates import (
	_DELIVERED_SQL,
	_base_values,
	_clean_row,
	with_quantities,
)
from rma_portal.services.shared import history_notes


class ReturnRequestError(frappe.ValidationError):
	"""Everything wrong with a return request at once; `errors` holds one translated message per problem."""

	def __init__(self, errors=None):
		self.errors = [str(e) for e in errors] if isinstance(errors, list | tuple) else [str(errors or "")]
		super().__init__("\n".join(self.errors))


def _lines_by_name(customer: str, names: list[str]) -> dict[str, dict]:
	"""Candidate rows for the given delivery note items (only the customer's, only in the window)."""
	if not names:
		return {}
	values = _base_values(customer)
	values["names"] = tuple(names)
	rows = frappe.db.sql(
		_DELIVERED_SQL.format(select="cand.*", where="cand.delivery_note_item in %(names)s"),
		values,
		as_dict=True,
	)
	rows = with_quantities(customer, rows)
	return {
		row.delivery_note_item: frappe._dict(_clean_row(row), company=row.company, currency=row.currency)
		for row in rows
	}


def line_choices(customer: str, names: list[str]) -> dict[str, dict]:
	"""The serials / batches the customer may still name on their delivered lines `names` (only
	serial and batch lines with units left are listed): {line: {item_code, serials, batches}}."""
	candidates = _lines_by_name(customer, sorted(set(names))[:100])
	tracked = return_serials.tracked_items(row.item_code for row in candidates.values())
	lines = [name for name, row in candidates.items() if row.item_code in tracked]
	out = {}
	for name, data in return_serials.returnable(lines).items():
		item = tracked[candidates[name].item_code]
		out[name] = {
			"item_code": item.name,
			"serials": data.serials if item.has_serial_no else [],
			"batches": []
			if item.has_serial_no
			else [{"batch_no": b, "qty": q} for b, q in data.batches.items()],
		}
	return out


# ---------------------------------------------------------------------------------------------
# Submitting a return request


def _whole_number_uoms(uoms: set) -> set:
	"""The units among `uoms` that ERPNext says must be whole numbers (e.g. "Nos")."""
	uoms = sorted(u for u in uoms if u)
	if not uoms:
		return set()
	return set(frappe.get_all("UOM", filters={"name": ["in", uoms], "must_be_whole_number": 1}, pluck="name"))


def _qty_error(line_no, item_code, key, requested, returnable) -> str:
	# quantities as the customer reads them on the page: 5, not 5.0
	return _("Line {0} ({1}), Quantity: {2}").format(
		line_no, item_code, _(key).format(requested=format_qty(requested), returnable=format_qty(returnable))
	)


def create_return_rma(
	customer: str,
	user: str,
	lines: list[dict],
	return_reason: str | None = None,
	customer_reference: str | None = None,
	remarks: str | None = None,
	copy_email: str | None = None,
	terms_accepted: bool = False,
) -> str:
	"""Validate the whole request, lock the lines, re-check, insert the RMA (status Expected).

	Raises ReturnRequestError (a frappe.ValidationError) listing every problem; nothing is written
	then. Does not commit.
	"""
	from rma_portal import access

	access.check("rma.create", customer, user)
	credit_hold.check(customer, credit_hold.rules.RETURN)
	errors: list[str] = []
	wanted = _read_lines(lines, return_reason, errors)
	candidates = _lines_by_name(customer, list(wanted))
	_check_lines(wanted, candidates, errors)
	return_serials.check_request(wanted, candidates, errors)
	_check_one_company(wanted, candidates, errors)
	copy_email = _check_request(candidates, terms_accepted, copy_email, errors)
	if errors:
		_throw(errors)

	locked = _recheck_under_locks(wanted, candidates)
	rma = _new_rma(customer, user, wanted, candidates, locked)
	fee_rules.freeze(rma)  # the fee the dealer saw in the preview, charged on the credit note
	rma.update(
		{
			"customer_reference": (customer_reference or "").strip() or None,
			"copy_email": copy_email,
			"remarks": remarks,
		}
	)
	approval.decide_new_rma(rma)  # approved, held for review or declined by the RMA Approval Rules
	rma.insert(ignore_permissions=True)
	documents.enqueue_documents(rma.name)
	return rma.name


def _read_lines(lines: list[dict], return_reason: str | None, errors: list[str]) -> dict[str, dict]:
	"""The requested lines by delivery note item: {line_no, qty (None when not a number), reason}."""
	lines = list(lines or [])
	if not lines:
		errors.append(_("Lines: select at least one delivered line to return."))
	wanted: dict[str, dict] = {}
	for line_no, line in enumerate(lines, start=1):
		line = frappe._dict(line or {})
		name = str(line.delivery_note_item or "").strip()
		if not name:
			errors.append(_("Line {0}: no delivered line given.").format(line_no))
			continue
		if name in wanted:
			errors.append(
				_("Line {0}: this delivered line is already in the request (line {1}).").format(
					line_no, wanted[name]["line_no"]
				)
			)
			continue
		wanted[name] = {
			"line_no": line_no,
			"qty": _requested_qty(line.qty),
			"reason": (line.return_reason or return_reason or "").strip(),
			"serial_nos": return_serials.split(line.serial_nos),
			"batch_no": str(line.batch_no or "").strip(),
		}
	return wanted


def _requested_qty(value) -> float | None:
	try:
		qty = float(value)
	except (TypeError, ValueError):
		return None
	if not math.isfinite(qty):
		return None
	return round_qty(qty, frappe.get_precision("RMA Item", "qty_requested") or PRECISION)


def _reasons(wanted: dict[str, dict]) -> dict:
	names = sorted({w["reason"] for w in wanted.values() if w["reason"]})
	if not names:
		return {}
	rows = frappe.get_all("RMA Return Reason", filters={"name": ["in", names]}, fields=["name", "enabled"])
	return {row.name: row for row in rows}


def _check_lines(wanted: dict[str, dict], candidates: dict[str, dict], errors: list[str]):
	"""Each line: one of the customer's returnable lines, a valid quantity, an offered reason."""
	from rma_portal.services.shared.settings import rma_settings

	reasons = _reasons(wanted)
	months = cint(rma_settings().history_months)
	whole_units = _whole_number_uoms({row.uom for row in candidates.values()})
	for name, w in wanted.items():
		row = candidates.get(name)
		label = row.item_code if row else name
		if not row:
			errors.append(
				_("Line {0}: {1} is not one of your delivered lines of the last {2} months.").format(
					w["line_no"], name, months
				)
			)
		elif w["qty"] is None:
			errors.append(_("Line {0} ({1}), Quantity: enter a number.").format(w["line_no"], label))
		else:
			key = validate_requested_qty(w["qty"], row.qty_returnable, row.uom in whole_units)
			if key:
				errors.append(_qty_error(w["line_no"], label, key, w["qty"], row.qty_returnable))
		if not w["reason"]:
			errors.append(_("Line {0} ({1}), Return Reason: choose a reason.").format(w["line_no"], label))
		elif w["reason"] not in reasons:
			errors.append(
				_("Line {0} ({1}), Return Reason: {2} is not a known reason.").format(
					w["line_no"], label, w["reason"]
				)
			)
		elif not reasons[w["reason"]].enabled:
			errors.append(
				_("Line {0} ({1}), Return Reason: {2} is no longer offered.").format(
					w["line_no"], label, w["reason"]
				)
			)


def _check_request(candidates: dict, terms_accepted, copy_email: str | None, errors: list[str]) -> str | None:
	"""The request as a whole: terms accepted, a valid copy address (one company: _check_one_company)."""
	if not cint(terms_accepted):
		errors.append(_("Terms: please accept the return terms."))
	copy_email = (copy_email or "").strip() or None
	if copy_email and not validate_email_address(copy_email):
		errors.append(_("Copy e-mail: {0} is not a valid e-mail address.").format(copy_email))
	return copy_email


def _check_one_company(wanted: dict[str, dict], candidates: dict, errors: list[str]):
	"""An RMA belongs to the company of the invoices it returns: lines of two companies are refused,
	naming which lines come from which company."""
	by_company: dict[str, list[int]] = {}
	for name, w in wanted.items():
		if name in candidates:
			by_company.setdefault(candidates[name].company, []).append(w["line_no"])
	if len(by_company) > 1:
		parts = [
			_("lines {0} from {1}").format(", ".join(str(n) for n in sorted(lines)), company)
			for company, lines in sorted(by_company.items(), key=lambda item: min(item[1]))
		]
		errors.append(
			_(
				"Lines: one request returns the goods of one company; {0}. Please send one request per company."
			).format("; ".join(parts))
		)


def _recheck_under_locks(wanted: dict[str, dict], candidates: dict) -> dict[str, dict]:
	"""Lock the counter and the lines, read the returnable quantities again; throw if one no longer fits."""
	names = sorted(wanted)
	_serialize_requests(next(iter(candidates.values())).company if candidates else None)
	locked = _lock_and_recompute(names)
	errors = []
	for name in names:
		w, fresh = wanted[name], locked.get(name)
		returnable = fresh["returnable"] if fresh else 0
		key = validate_requested_qty(w["qty"], returnable)
		if key:
			errors.append(_qty_error(w["line_no"], candidates[name].item_code, key, w["qty"], returnable))
	if not errors:  # the serials / batches again, reading open RMAs with locking reads
		return_serials.check_request(wanted, candidates, errors, locking=True)
	if errors:
		_throw(errors)
	return locked


def _new_rma(customer: str, user: str, wanted: dict, candidates: dict, locked: dict):
	"""The RMA document (not inserted): header from the settings, one line per requested line."""
	from rma_portal.services.shared.settings import rma_settings

	first = candidates[min(wanted, key=lambda n: wanted[n]["line_no"])]
	settings = rma_settings(first.company)  # the company's own fee and return address
	now = now_datetime()
	rma = frappe.get_doc(
		{
			"doctype": "RMA",
			"kind": "Return",
			"status": "Expected",
			"customer": customer,
			"company": first.company,
			"currency": first.currency,
			"submitted_on": now,
			"portal_user": user,
			"contact_email": frappe.db.get_value("User", user, "email") or user,
			"terms_accepted": 1,
			"fee_amount": settings.fee_amount,  # in the company's currency
			"fee_currency": frappe.get_cached_value("Company", first.company, "default_currency"),
			"return_address": settings.return_address,
		}
	)
	for name in sorted(wanted, key=lambda n: wanted[n]["line_no"]):
		row, w, fresh = candidates[name], wanted[name], locked[name]
		rma.append(
			"items",
			{
				"item_code": row.item_code,
				"item_name": row.item_name,
				"customer_item_code": row.customer_item_code,
				"qty_requested": w["qty"],
				"rate": row.rate,
				"uom": row.uom,
				"return_reason": w["reason"],  # the handling is decided by staff at receipt
				"sales_order": row.sales_order,
				"sales_order_item": row.sales_order_item,
				"customer_po": row.po_no,
				"delivery_note": row.delivery_note,
				"delivery_note_item": name,
				"delivery_date": row.delivery_date,
				"sales_invoice": fresh["sales_invoice"],
				"sales_invoice_item": fresh["sales_invoice_item"],
				"serial_nos": return_serials.join(w["serial_nos"]) or None,
				"batch_no": w["batch_no"] or None,
			},
		)
	rma.append(
		"status_log",
		{
			"status": "Expected",
			"changed_on": now,
			"changed_by": user,
			**history_notes.note("request_submitted"),
		},
	)
	return rma


def _throw(errors: list[str]):
	frappe.throw(errors, exc=ReturnRequestError, title=_("Please correct the following"), as_list=True)


def _serialize_requests(company: str | None = None):
	"""Take the RMA number counter's row lock now rather than at insert.

	Every new RMA locks that row (frappe's getseries, FOR UPDATE) until commit anyway, so
	requests are already serialised from insert on; taking it before the locking reads below
	also keeps two requests for *different* lines from deadlocking on the gap locks those reads
	leave in the RMA Item / Delivery Note Item / Sales Invoice Item indexes.
	"""
	from rma_portal.domain.numbering import series_key
	from rma_portal.services.shared.settings import rma_settings

	day = getdate(today())
	key = series_key(rma_settings(company).number_format, day.year, day.month)
	query = "select `current` from `tabSeries` where `name` = %s for update"
	if not frappe.db.sql(query, key):
		# first RMA of this counter: create it at 0 (getseries then counts on from there)
		frappe.db.sql("insert ignore into `tabSeries` (`name`, `current`) values (%s, 0)", key)
		frappe.db.sql(query, key)


def _lock_and_recompute(names: list[str]) -> dict[str, dict]:
	"""Lock the delivery note lines and re-read their quantities with locking reads.

	InnoDB REPEATABLE READ: a plain SELECT would read the snapshot taken at this transaction's
	first read, missing RMAs (or ERPNext returns) committed since. Locking reads (FOR UPDATE /
	LOCK IN SHARE MODE) read the newest committed rows. Two requests on the same line queue up
	on the FOR UPDATE; the second then sees the first one's RMA.
	"""
	values = {"names": tuple(names), "open_statuses": RMA_OPEN}
	# the order of the reads is the order of the locks: the lines first, then what returns them
	out = _lock_delivered_lines(values)
	_add_delivery_returns(out, values)
	_add_invoices(out, values)
	_add_open_rma_requests(out, values)
	for line in out.values():
		line["returned"] = returned_qty(
			line.pop("dn_returned"), line.pop("si_returned"), line.pop("restocked")
		)
		line["returnable"] = returnable_qty(line["delivered"], line["returned"], line["requested"])
	return out


def _lock_delivered_lines(values: dict) -> dict[str, dict]:
	"""The delivery note lines, locked FOR UPDATE, with what was delivered and invoiced against them.

	A line of a delivery the app made for an RMA (replacement, goods sent back) is not returnable:
	it counts as nothing delivered.
	"""
	lines = frappe.db.sql(
		"""select dni.name, if(ifnull(dn.rma, '') = '', dni.qty, 0) as qty, dni.against_sales_invoice,
			dni.si_detail
		from `tabDelivery Note Item` dni
		join `tabDelivery Note` dn on dn.name = dni.parent
		where dni.name in %(names)s
		order by dni.name for update""",
		values,
		as_dict=True,
	)
	return {
		row.name: {
			"delivered": flt(row.qty),
			"returned": 0.0,
			"dn_returned": 0.0,
			"si_returned": 0.0,
			"restocked": 0.0,
			"requested": 0.0,
			"sales_invoice": row.against_sales_invoice or None,
			"sales_invoice_item": row.si_detail or None,
		}
		for row in lines
	}


def _add_delivery_returns(out: dict, values: dict):
	"""ERPNext's Delivery Note returns against the lines."""
	for row in frappe.db.sql(
		"""select r.dn_detail as line, -r.qty as qty from `tabDelivery Note Item` r
		join `tabDelivery Note` p on p.name = r.parent
		where r.dn_detail in %(names)s and p.docstatus = 1 and p.is_return = 1
		lock in share mode""",
		values,
		as_dict=True,
	):
		out[row.line]["dn_returned"] += flt(row.qty)


def _add_invoices(out: dict, values: dict):
	"""Credit-only Sales Invoice returns against the lines; the first invoice made from the delivery
	note, when there is one, is the line's invoice."""
	invoices = frappe.db.sql(
		"""select r.dn_detail as line, r.qty, r.parent, r.name, p.is_return, p.update_stock
		from `tabSales Invoice Item` r
		join `tabSales Invoice` p on p.name = r.parent
		where r.dn_detail in %(names)s and p.docstatus = 1
		order by p.posting_date, p.name
		lock in share mode""",
		values,
		as_dict=True,
	)
	from_dn = set()
	for row in invoices:
		line = out[row.line]
		if row.is_return and not row.update_stock:
			line["si_returned"] += -flt(row.qty)
		elif not row.is_return and row.line not in from_dn:
			line["sales_invoice"], line["sales_invoice_item"] = row.parent, row.name
			from_dn.add(row.line)


def _add_open_rma_requests(out: dict, values: dict):
	"""What open RMAs request of the lines, and what they already put back into stock."""
	for row in frappe.db.sql(
		"""select ri.delivery_note_item as line, ri.qty_requested as qty, ri.qty_received,
			ri.return_delivery_note from `tabRMA Item` ri
		join `tabRMA` rma on rma.name = ri.parent
		where ri.delivery_note_item in %(names)s and rma.status in %(open_statuses)s
		lock in share mode""",
		values,
		as_dict=True,
	):
		out[row.line]["requested"] += flt(row.qty)
		if row.return_delivery_note:
			out[row.line]["restocked"] += flt(row.qty_received)


# ---------------------------------------------------------------------------------------------
# The customer's RMAs
