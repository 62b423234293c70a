"""Commercial returns (SPEC §1): returnable delivered lines, submitting an RMA, the customer's RMAs.

Callers (api/, www/) check access first; these functions then trust `customer`. They never
commit: the web request (or the test) owns the transaction.

Quantities are in the delivery note line's UOM. "Returned" counts what ERPNext itself returned
against a delivery note line, per line the GREATER of two sums (never their total, since one unit
can have both documents):
- Delivery Note returns with dn_detail = the line (stock came back: ERPNext's own returns and
  the ones RMA receipt books, services/lifecycle.py), and
- credit-only Sales Invoice returns (update_stock = 0) whose items carry dn_detail = the line (the
  credit notes made for RMAs, and ERPNext credit-only returns).
The greater is right for each path: stock-only returns, credit-only returns, ERPNext's "return
delivery note, then credit note from it" (that credit note's dn_detail points at the return
note's line, so only the stock return counts), and ours (stock return at receipt, credit note
against the invoice later: both carry the same units).
"Requested" counts lines of RMAs that are Expected or Received. The units such an open RMA has
already put back into stock (qty_received of its lines with a return_delivery_note) are taken
off the Delivery Note return sum, so they count once, as requested, until the RMA closes; then
they count as returned.
"""

import math

import frappe
from frappe import _
from frappe.utils import add_months, cint, flt, getdate, now_datetime, today, validate_email_address

from rma_portal.domain.inputs import finite_number
from rma_portal.domain.quantities import (
	PRECISION,
	returnable_qty,
	returned_qty,
	round_qty,
	validate_requested_qty,
)
from rma_portal.services import documents, history_notes
from rma_portal.services.query import like_pattern

OPEN_STATUSES = ("Expected", "Received")
MAX_PAGE_SIZE = 100

CANDIDATE_COLUMNS = [
	("sales_order", "Sales Order"),
	("po_no", "Your PO No."),
	("item_code", "Item Code"),
	("customer_item_code", "Your Item Code"),
	("item_name", "Item Name"),
	("rate", "Net Rate"),
	("qty_ordered", "Qty Ordered"),
	("qty_delivered", "Qty Delivered"),
	("qty_returned", "Qty Returned"),
	("qty_requested", "Qty in Open RMAs"),
	("qty_returnable", "Qty Returnable"),
	("delivery_date", "Delivery Date"),
]

# Filterable column -> kind. Only these names ever reach the SQL text.
_TEXT_FILTERS = (
	"sales_order",
	"po_no",
	"item_code",
	"customer_item_code",
	"item_name",
	"delivery_note",
	"uom",
)
_NUMBER_FILTERS = ("rate", "qty_ordered", "qty_delivered", "qty_returned", "qty_requested", "qty_returnable")
_DATE_FILTERS = ("delivery_date",)

_ROW_KEYS = (
	"delivery_note_item",
	"delivery_note",
	"delivery_date",
	"sales_order",
	"sales_order_item",
	"po_no",
	"item_code",
	"customer_item_code",
	"item_name",
	"rate",
	"uom",
	"qty_ordered",
	"qty_delivered",
	"qty_returned",
	"qty_requested",
	"qty_returnable",
)

# One statement: the customer's delivered lines with the aggregated returned / requested quantities.
# The aggregates are restricted to the customer, so their cost follows the customer's history only.
# Outer conditions ({where}) apply to the derived table `cand`, which MariaDB merges.
_LINES_SQL = """
select {select}
from (
	select
		dni.name as delivery_note_item,
		dn.name as delivery_note,
		dn.posting_date as delivery_date,
		dn.posting_time as posting_time,
		dni.idx as idx,
		dni.against_sales_order as sales_order,
		dni.so_detail as sales_order_item,
		dn.po_no as po_no,
		dn.company as company,
		dn.currency as currency,
		dni.item_code as item_code,
		dni.customer_item_code as customer_item_code,
		dni.item_name as item_name,
		dni.net_rate as rate,
		dni.uom as uom,
		coalesce(soi.qty, dni.qty) as qty_ordered,
		dni.qty as qty_delivered,
		greatest(coalesce(dn_ret.qty, 0) - coalesce(req.restocked, 0), coalesce(si_ret.qty, 0), 0)
			as qty_returned,
		coalesce(req.qty, 0) as qty_requested,
		greatest(
			0,
			dni.qty
			- greatest(coalesce(dn_ret.qty, 0) - coalesce(req.restocked, 0), coalesce(si_ret.qty, 0), 0)
			- coalesce(req.qty, 0)
		) as qty_returnable
	from `tabDelivery Note Item` dni
	join `tabDelivery Note` dn on dn.name = dni.parent and dni.parenttype = 'Delivery Note'
	left join `tabSales Order Item` soi on soi.name = dni.so_detail
	left join (
		select r.dn_detail, sum(-r.qty) as qty
		from `tabDelivery Note Item` r
		join `tabDelivery Note` rp on rp.name = r.parent
		where rp.customer = %(customer)s and rp.docstatus = 1 and rp.is_return = 1
			and ifnull(r.dn_detail, '') != ''
		group by r.dn_detail
	) dn_ret on dn_ret.dn_detail = dni.name
	left join (
		select r.dn_detail, sum(-r.qty) as qty
		from `tabSales Invoice Item` r
		join `tabSales Invoice` rp on rp.name = r.parent
		where rp.customer = %(customer)s and rp.docstatus = 1 and rp.is_return = 1 and rp.update_stock = 0
			and ifnull(r.dn_detail, '') != ''
		group by r.dn_detail
	) si_ret on si_ret.dn_detail = dni.name
	left join (
		select ri.delivery_note_item, sum(ri.qty_requested) as qty,
			sum(if(ifnull(ri.return_delivery_note, '') != '', ri.qty_received, 0)) as restocked
		from `tabRMA Item` ri
		join `tabRMA` rma on rma.name = ri.parent
		where rma.customer = %(customer)s and rma.status in %(open_statuses)s
			and ifnull(ri.delivery_note_item, '') != ''
		group by ri.delivery_note_item
	) req on req.delivery_note_item = dni.name
	where dn.customer = %(customer)s and dn.docstatus = 1 and dn.is_return = 0
		and dn.posting_date >= %(since)s and dni.qty > 0
) cand
where {where}
"""


class ReturnRequestError(frappe.ValidationError):
	"""Everything wrong with a return request at once; `errors` holds one translated message per problem."""

	def __init__(self, errors=None):
		self.errors = [str(e) for e in errors] if isinstance(errors, list | tuple) else [str(errors or "")]
		super().__init__("\n".join(self.errors))


def history_start():
	from rma_portal.services.settings import rma_settings

	return getdate(add_months(today(), -cint(rma_settings().history_months)))


def _page(page, page_size) -> tuple[int, int]:
	page_size = min(max(cint(page_size) or 20, 1), MAX_PAGE_SIZE)
	return max(cint(page) or 1, 1), page_size


def _filter_conditions(filters: dict | None, values: dict) -> list[str]:
	"""SQL conditions on `lines` for the per-column search boxes; values are always parameters."""
	conditions = []
	for n, (key, text) in enumerate(sorted((filters or {}).items())):
		text = str(text if text is not None else "").strip()
		if not text:
			continue
		param = f"f{n}"
		if key in _TEXT_FILTERS:
			conditions.append(f"cand.{key} like %({param})s")
			values[param] = like_pattern(text)
		elif key in _DATE_FILTERS:
			conditions.append(f"cast(cand.{key} as char) like %({param})s")
			values[param] = like_pattern(text)
		elif key in _NUMBER_FILTERS:
			number = finite_number(text)
			if number is None:
				conditions.append("1 = 0")  # a word (or nan, 1e999) in a number column matches nothing
				continue
			conditions.append(f"abs(cand.{key} - %({param})s) < 0.0000005")
			values[param] = number
		# unknown keys are ignored: they never reach the SQL text
	return conditions


def _clean_row(row: dict) -> frappe._dict:
	out = frappe._dict({key: row.get(key) for key in _ROW_KEYS})
	for key in ("rate", "qty_ordered", "qty_delivered", "qty_returned", "qty_requested", "qty_returnable"):
		out[key] = flt(out[key], 6)
	out["qty_returnable"] = returnable_qty(out["qty_delivered"], out["qty_returned"], out["qty_requested"])
	return out


def _base_values(customer: str) -> dict:
	return {"customer": customer, "open_statuses": OPEN_STATUSES, "since": history_start()}


def candidate_lines(customer: str, filters: dict | None = None, page: int = 1, page_size: int = 20) -> dict:
	"""The customer's returnable-candidate lines, newest deliveries first; two queries per page."""
	page, page_size = _page(page, page_size)
	values = _base_values(customer)
	where = " and ".join(_filter_conditions(filters, values)) or "1 = 1"
	values.update(limit=page_size, offset=(page - 1) * page_size)
	rows = frappe.db.sql(
		_LINES_SQL.format(select="cand.*", where=where)
		+ " order by cand.delivery_date desc, cand.posting_time desc, cand.delivery_note desc, cand.idx asc"
		+ " limit %(limit)s offset %(offset)s",
		values,
		as_dict=True,
	)
	total = frappe.db.sql(_LINES_SQL.format(select="count(*)", where=where), values)[0][0]
	return {
		"rows": [_clean_row(row) for row in rows],
		"total": cint(total),
		"page": page,
		"page_size": page_size,
	}


def _lines_by_name(customer: str, names: list[str]) -> dict[str, dict]:
	"""Candidate rows for the given delivery note items (only the customer's, only in the window)."""
	if not names:
		return {}
	values = _base_values(customer)
	values["names"] = tuple(names)
	rows = frappe.db.sql(
		_LINES_SQL.format(select="cand.*", where="cand.delivery_note_item in %(names)s"), values, as_dict=True
	)
	return {
		row.delivery_note_item: frappe._dict(_clean_row(row), company=row.company, currency=row.currency)
		for row in rows
	}


# ---------------------------------------------------------------------------------------------
# Submitting a return request


def _whole_number_uoms(uoms: set) -> set:
	"""The units among `uoms` that ERPNext says must be whole numbers (e.g. "Nos")."""
	uoms = sorted(u for u in uoms if u)
	if not uoms:
		return set()
	return set(frappe.get_all("UOM", filters={"name": ["in", uoms], "must_be_whole_number": 1}, pluck="name"))


def _qty_error(line_no, item_code, key, requested, returnable) -> str:
	return _("Line {0} ({1}), Quantity: {2}").format(
		line_no, item_code, _(key).format(requested=requested, returnable=returnable)
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
	from rma_portal.services.settings import rma_settings

	access.check("rma.create", customer, user)
	errors: list[str] = []
	lines = list(lines or [])
	if not lines:
		errors.append(_("Lines: select at least one delivered line to return."))

	wanted: dict[str, dict] = {}  # delivery_note_item -> {line_no, qty, reason}
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
		try:
			qty = float(line.qty)
		except (TypeError, ValueError):
			qty = None
		if qty is not None and not math.isfinite(qty):
			qty = None
		if qty is not None:
			qty = round_qty(qty, frappe.get_precision("RMA Item", "qty_requested") or PRECISION)
		wanted[name] = {
			"line_no": line_no,
			"qty": qty,
			"reason": (line.return_reason or return_reason or "").strip(),
		}

	candidates = _lines_by_name(customer, list(wanted))
	reason_names = sorted({w["reason"] for w in wanted.values() if w["reason"]})
	reasons = (
		{
			r.name: r
			for r in frappe.get_all(
				"RMA Return Reason",
				filters={"name": ["in", reason_names]},
				fields=["name", "enabled", "default_handling"],
			)
		}
		if reason_names
		else {}
	)

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

	if len({row.company for row in candidates.values()}) > 1:
		errors.append(_("Lines: all lines of one request must come from the same supplier company."))
	if not cint(terms_accepted):
		errors.append(_("Terms: please accept the return terms."))
	copy_email = (copy_email or "").strip() or None
	if copy_email and not validate_email_address(copy_email):
		errors.append(_("Copy e-mail: {0} is not a valid e-mail address.").format(copy_email))

	if errors:
		_throw(errors)

	names = sorted(wanted)
	_serialize_requests()
	locked = _lock_and_recompute(names)
	for name in names:
		w, fresh = wanted[name], locked.get(name)
		returnable = fresh["returnable"] if fresh else 0
		key = validate_requested_qty(w["qty"], returnable)
		if key:
			errors.append(_qty_error(w["line_no"], candidates[name].item_code, key, w["qty"], returnable))
	if errors:
		_throw(errors)

	settings = rma_settings()
	first = candidates[names[0]]
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
			"customer_reference": (customer_reference or "").strip() or None,
			"portal_user": user,
			"contact_email": frappe.db.get_value("User", user, "email") or user,
			"copy_email": copy_email,
			"remarks": remarks,
			"terms_accepted": 1,
			"fee_amount": settings.fee_amount,
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
				"return_reason": w["reason"],
				"sales_order": row.sales_order,
				"sales_order_item": row.sales_order_item,
				"customer_po": row.po_no,
				"delivery_note": row.delivery_note,
				"delivery_note_item": name,
				"delivery_date": row.delivery_date,
				"sales_invoice": fresh["sales_invoice"],
				"sales_invoice_item": fresh["sales_invoice_item"],
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
	rma.insert(ignore_permissions=True)

	documents.enqueue_documents(rma.name)
	return rma.name


def _throw(errors: list[str]):
	frappe.throw(errors, exc=ReturnRequestError, title=_("Please correct the following"), as_list=True)


def _serialize_requests():
	"""Take the RMA number counter's row lock now rather than at insert.

	Every new RMA locks that row (frappe's getseries, FOR UPDATE) until commit anyway, so
	requests are already serialised from insert on; taking it before the locking reads below
	also keeps two requests for *different* lines from deadlocking on the gap locks those reads
	leave in the RMA Item / Delivery Note Item / Sales Invoice Item indexes.
	"""
	from rma_portal.domain.numbering import series_key
	from rma_portal.services.settings import rma_settings

	day = getdate(today())
	key = series_key(rma_settings().number_format, day.year, day.month)
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
	values = {"names": tuple(names), "open_statuses": OPEN_STATUSES}
	lines = frappe.db.sql(
		"""select name, qty, against_sales_invoice, si_detail from `tabDelivery Note Item`
		where name in %(names)s order by name for update""",
		values,
		as_dict=True,
	)
	out = {
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
	for row in frappe.db.sql(
		"""select r.dn_detail as line, -r.qty as qty from `tabDelivery Note Item` r
		join `tabDelivery Note` p on p.name = r.parent
		where r.dn_detail in %(names)s and p.docstatus = 1 and p.is_return = 1
		lock in share mode""",
		values,
		as_dict=True,
	):
		out[row.line]["dn_returned"] += flt(row.qty)
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
	for row in invoices:
		line = out[row.line]
		if row.is_return and not row.update_stock:
			line["si_returned"] += -flt(row.qty)
		elif not row.is_return and not line.get("_invoice_from_dn"):
			line["sales_invoice"], line["sales_invoice_item"] = row.parent, row.name
			line["_invoice_from_dn"] = True
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
	for line in out.values():
		line.pop("_invoice_from_dn", None)
		line["returned"] = returned_qty(
			line.pop("dn_returned"), line.pop("si_returned"), line.pop("restocked")
		)
		line["returnable"] = returnable_qty(line["delivered"], line["returned"], line["requested"])
	return out


# ---------------------------------------------------------------------------------------------
# The customer's RMAs

_RMA_LIST_SQL = """
select {select}
from `tabRMA` rma
where rma.customer = %(customer)s and rma.docstatus < 2 {search}
"""


RMA_KINDS = ("Return", "Service")


def list_rmas(
	customer: str, search: str | None = None, page: int = 1, page_size: int = 20, kind: str | None = None
) -> dict:
	"""The customer's RMAs, newest first, searched over number, own reference, item code and name;
	only returns or only service requests when `kind` is given."""
	page, page_size = _page(page, page_size)
	values = {"customer": customer, "limit": page_size, "offset": (page - 1) * page_size}
	condition = ""
	if kind:
		if kind not in RMA_KINDS:
			frappe.throw(_("Type: {0} is not a type of request.").format(kind), frappe.ValidationError)
		values["kind"] = kind
		condition = "and rma.kind = %(kind)s "
	search = (search or "").strip()
	if search:
		values["search"] = like_pattern(search)
		condition += """and (rma.name like %(search)s or rma.customer_reference like %(search)s
			or exists (select 1 from `tabRMA Item` s where s.parent = rma.name and s.parenttype = 'RMA'
				and (s.item_code like %(search)s or s.item_name like %(search)s)))"""
	select = """rma.name, rma.kind, rma.submitted_on, rma.status, rma.total_qty_requested, rma.total_qty_received,
		rma.received_on, rma.credit_note, rma.documents, rma.customer_reference,
		(select count(*) from `tabRMA Item` i where i.parent = rma.name and i.parenttype = 'RMA') as item_count"""
	rows = frappe.db.sql(
		_RMA_LIST_SQL.format(select=select, search=condition)
		+ " order by rma.submitted_on desc, rma.creation desc limit %(limit)s offset %(offset)s",
		values,
		as_dict=True,
	)
	total = frappe.db.sql(_RMA_LIST_SQL.format(select="count(*)", search=condition), values)[0][0]
	return {"rows": rows, "total": cint(total), "page": page, "page_size": page_size}


_DETAIL_FIELDS = (
	"name",
	"kind",
	"status",
	"customer",
	"customer_name",
	"company",
	"currency",
	"submitted_on",
	"received_on",
	"customer_reference",
	"tracking_no",
	"contact_email",
	"copy_email",
	"remarks",
	"total_qty_requested",
	"total_qty_received",
	"fee_amount",
	"return_address",
	"documents",
	"credit_note",
	"total_credited",
	"decision_note",
)
_ITEM_FIELDS = (
	"name",
	"idx",
	"item_code",
	"item_name",
	"customer_item_code",
	"qty_requested",
	"qty_received",
	"rate",
	"uom",
	"return_reason",
	"handling",
	"sales_order",
	"customer_po",
	"delivery_note",
	"delivery_date",
	"sales_invoice",
	"credit_note",
	"outcome",
	"replacement_order",
	"outcome_delivery_note",
)
_CREDIT_NOTE_FIELDS = ("sales_invoice", "posting_date", "return_against", "grand_total", "fee_amount")
_LOG_FIELDS = ("status", "changed_on", "note", "note_key", "note_values")


def rma_detail(customer: str, name: str) -> dict:
	"""One RMA of the customer with its lines and status history; PermissionError for any other."""
	if not name or frappe.db.get_value("RMA", name, "customer") != customer:
		# the same error for "not yours" and "does not exist", so numbers cannot be probed
		# The name comes from the caller (a URL parameter): never echo it back into an error page.
		raise frappe.PermissionError(_("This RMA was not found among your requests."))
	doc = frappe.get_doc("RMA", name)
	out = frappe._dict({field: doc.get(field) for field in _DETAIL_FIELDS})
	out["items"] = [frappe._dict({f: row.get(f) for f in _ITEM_FIELDS}) for row in doc.items]
	out["status_log"] = [frappe._dict({f: row.get(f) for f in _LOG_FIELDS}) for row in doc.status_log]
	out["credit_notes"] = [
		frappe._dict({f: row.get(f) for f in _CREDIT_NOTE_FIELDS}) for row in doc.credit_notes
	]
	return out
