"""Service requests: the rules of a line and of a request, one named function each (SPEC §1).

The form, the API and the CSV import all go through check_request, so a rule cannot differ
between them. Every problem is reported at once (never only the first); reasons are translated,
dates shown in the user's format. The rules:

- RMA type: required, enabled; when it names a brand, every line's item must be of it.
- EAN: a valid GTIN-13 of an Item the customer bought (a submitted, non-return Sales Invoice or
  Delivery Note line), within the item's support period (`warranty_period` days from the serial's
  own delivery when ERPNext knows the serial, else from the purchase date given, which must lie
  within the customer's purchases; an item without one cannot be sent in). "Not a product you
  bought" and "support period ended" are told apart.
- Quantity: a whole number >= 1; a line with a serial number is one unit.
- Serial number, per the item's Brand: required when `rma_serial_no_required`; with the policy
  "ERPNext Serial No sold to the customer" it must be a Serial No of that item delivered to this
  customer; with "Free text" it must match the brand's pattern (`rma_serial_pattern`, a regular
  expression) when one is set. Not twice in a request, not in another open service request (the
  refusal names the request only when it is the customer's own).
- Purchase date (ISO or the user's date format): required, not in the future, not before the
  customer's first nor after their last purchase of the item.
- Problem description: required; service expectation: one of SERVICE_EXPECTATIONS, typed in
  English, in the user's language or an obvious other form ("Replace").
- Fault type: required for items that define fault types, one of them (name or its translation);
  refused for other items.
- Proof of purchase: required unless the RMA type waives it (`waives_proof_of_purchase`).
"""

import re
from datetime import date

import frappe
from frappe import _
from frappe.utils import formatdate, get_user_date_format, getdate, today

from rma_portal.domain import dates
from rma_portal.domain.choices import EXPECTATION_ALIASES, matcher
from rma_portal.domain.gtin import is_valid_gtin13, normalize_gtin
from rma_portal.domain.uploads import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, file_kind, safe_file_name
from rma_portal.domain.warranty import warranty_end
from rma_portal.services.service import service_lookups as lookups
from rma_portal.services.service import service_purchase

SERVICE_EXPECTATIONS = ("Repair", "Replacement", "Credit", "Diagnosis")
ATTACHMENT_KINDS = ("Proof of purchase", "Photo", "Other")
PROOF = "Proof of purchase"
ATTACHMENT_TYPES = ("jpg", "png", "pdf")
MAX_LINES = 30
TEXT_LIMITS = {
	"customer_rma_no": 140,
	"tracking_no": 140,
	"package_contents": 1000,
	"return_address_customer": 1000,
}
PROBLEM_MAX = 2000
SERIAL_MAX = 140

# Field labels, as the customer sees them in the form (and in error messages).
FIELD_LABELS = {
	"ean": "EAN/GTIN-13",
	"qty": "Quantity",
	"serial_no": "Serial number",
	"purchase_date": "Purchase date",
	"problem_description": "Problem description",
	"service_expectation": "Service expectation",
	"fault_type": "Fault type",
	"rma_type": "RMA type",
	"customer_rma_no": "Your RMA number",
	"tracking_no": "Tracking number",
	"package_contents": "Package contents",
	"return_address_customer": "Return address",
	"attachments": "Attachment",
	"lines": "Products",
}
# Line field -> CSV column (domain.csv_rows.COLUMNS) for the import's error table.
CSV_COLUMN_OF = {
	"ean": "ean",
	"serial_no": "serial_no",
	"purchase_date": "sale_date",
	"problem_description": "problem",
	"service_expectation": "expectation",
	"fault_type": "fault_type",
	"customer_rma_no": "own_rma_number",
}


class ServiceRequestError(frappe.ValidationError):
	"""Everything wrong with a service request; `errors` holds dicts (line, field, message)."""

	def __init__(self, errors=None):
		self.errors = list(errors or [])
		super().__init__("\n".join(e["message"] for e in self.errors))


def error(field: str | None, reason: str, line: int | None = None, row: int | None = None) -> dict:
	"""One error; `reason` is already translated. Prefix "Line n — Field:" or "Row n — Column:"."""
	from rma_portal.domain.csv_rows import COLUMN_LABELS

	if row is not None:
		column = CSV_COLUMN_OF.get(field)
		label = _(COLUMN_LABELS[column]) if column else _(FIELD_LABELS.get(field, field or ""))
		message = _("Row {0} — {1}: {2}").format(row, label, reason)
		return {
			"row": row,
			"line": line,
			"field": field,
			"column": column,
			"message": message,
			"reason": reason,
		}
	label = _(FIELD_LABELS.get(field, field or ""))
	if line is not None:
		message = _("Line {0} — {1}: {2}").format(line, label, reason)
	else:
		message = _("{0}: {1}").format(label, reason)
	return {"row": None, "line": line, "field": field, "column": None, "message": message, "reason": reason}


# ---------------------------------------------------------------------------------------------
# Choices in the user's language


def expectation_matcher():
	"""Typed expectation -> stored value: English, the user's language, obvious forms and theirs."""
	labels = {
		value: [_(value), *aliases, *(_(alias) for alias in aliases)]
		for value, aliases in EXPECTATION_ALIASES.items()
	}
	return matcher(labels)


def expectation_names() -> str:
	return ", ".join(_(value) for value in SERVICE_EXPECTATIONS)


def normalize_expectation(value) -> str | None:
	"""The Select value for an expectation typed in English or in the user's language, else None."""
	return expectation_matcher()(value)


def match_fault_type(value: str, allowed: list[str]) -> str | None:
	"""The fault type record for a name typed in any case or in the user's language."""
	if not value:
		return None
	return matcher({name: [_(name)] for name in allowed})(value)


def read_date(value) -> date | None:
	"""A purchase date as the form (ISO) or a typist (the user's date format) writes it.

	None for no date; raises dates.NotADate for a day that does not exist."""
	if isinstance(value, date):
		return value
	return dates.parse_date(str(value or ""), get_user_date_format())


def whole_number(value) -> int | None:
	if value in (None, ""):
		return None
	try:
		number = float(value)
	except (TypeError, ValueError):
		return None
	return int(number) if number == int(number) else None


# ---------------------------------------------------------------------------------------------
# The rules: each yields (field, translated reason) for one line or the request


def rma_type_rule(rma_type: str | None, type_info):
	if not rma_type:
		yield "rma_type", _("no value given")
	elif not type_info or not type_info.enabled:
		yield "rma_type", _("{0} is not offered").format(rma_type)


def header_rule(header: dict | None):
	for field, limit in TEXT_LIMITS.items():
		if len(str((header or {}).get(field) or "")) > limit:
			yield field, _("at most {0} characters").format(limit)


def line_count_rule(lines: list):
	if not lines:
		yield "lines", _("add at least one product")
	elif len(lines) > MAX_LINES:
		yield "lines", _("at most {0} products in one request").format(MAX_LINES)


def product_rule(line, ctx):
	"""EAN known, bought by the customer, within support; sets line.product and line.bought."""
	line.product = line.bought = None
	if not line.ean:
		yield "ean", _("no value given")
		return
	if not is_valid_gtin13(line.ean):
		yield "ean", _("{0} is not a valid GTIN-13 code").format(line.ean)
		return
	product = ctx.products.get(line.ean)
	bought = ctx.history.get(product.item_code) if product else None
	if not product or not bought or product.disabled:
		yield "ean", _("{0} is not a product you bought from us").format(line.ean)
		return
	line.product, line.bought = product, bought


def support_rule(line, ctx):
	"""Within the support period, counted from the serial's own delivery when ERPNext knows the
	serial, else from the purchase date the customer gave (checked against the purchases), else from
	the last purchase. Sets line.warranty_end."""
	product, bought = line.product, line.bought
	line.warranty_end = None
	if not product:
		return
	if product.warranty_days is None:
		yield "ean", _("{0}: this product has no support period, so it cannot be sent in").format(line.ean)
		return
	start = (
		ctx.serial_sold.get((line.serial_no, product.item_code)) or line.purchase_date or bought.last_purchase
	)
	line.warranty_end = warranty_end(start, period_days=product.warranty_days)
	if ctx.on > line.warranty_end:
		yield "ean", _("{0}: the support period ended on {1}").format(line.ean, formatdate(line.warranty_end))


def qty_rule(line):
	qty = whole_number(line.qty)
	line.qty = qty
	if qty is None or qty < 1:
		yield "qty", _("enter a whole number of 1 or more")
	elif line.serial_no and qty > 1:
		yield "qty", _("a line with a serial number is for one unit; add a line per unit")


def serial_rule(line, ctx, first_line_of: dict):
	"""The brand's serial policy, no serial twice in the request nor in another open request."""
	product, serial = line.product, line.serial_no
	if not serial:
		if product and product.serial_required:
			yield "serial_no", _("no value given; required for {0} products").format(product.brand)
		return
	if len(serial) > SERIAL_MAX:
		yield "serial_no", _("at most {0} characters").format(SERIAL_MAX)
	if serial in first_line_of:
		yield "serial_no", _("{0} is already in line {1}").format(serial, first_line_of[serial])
	first_line_of.setdefault(serial, line.number)
	if product:
		yield from serial_policy_rule(serial, product, ctx)
	yield from serial_open_request_rule(serial, ctx.customer, ctx.open_requests)


def serial_policy_rule(serial: str, product, ctx):
	record = ctx.serials.get(serial)
	if product.serial_policy == lookups.SERIAL_POLICY_RECORD:
		if not record or record.item_code != product.item_code or record.customer != ctx.customer:
			yield "serial_no", _("{0} is not a serial number of this product delivered to you").format(serial)
		return
	if record and record.item_code != product.item_code:
		yield "serial_no", _("{0} belongs to another product").format(serial)
	elif not serial_format_ok(serial, product.serial_pattern):
		yield (
			"serial_no",
			_("{0} is not written like a {1} serial number; copy it from the product's label").format(
				serial, product.brand
			),
		)


def serial_reasons_for_item(customer: str, item_code: str, serial: str | None) -> list[str]:
	"""The brand's serial rules for one item (warranty claims): the reasons a serial is refused."""
	product = lookups.serial_facts_of_item(item_code)
	if not product:
		return []
	if not serial:
		return (
			[_("no value given; required for {0} products").format(product.brand)]
			if product.serial_required
			else []
		)
	ctx = frappe._dict(customer=customer, serials=lookups.serial_records([serial]))
	return [reason for _field, reason in serial_policy_rule(serial, product, ctx)]


def serial_format_ok(serial: str, pattern: str | None) -> bool:
	"""The brand's pattern (a regular expression for the whole serial); a broken pattern checks nothing."""
	if not pattern:
		return True
	try:
		return re.fullmatch(pattern, serial) is not None
	except re.error:
		return True


def serial_open_request_rule(serial: str, customer: str, open_requests: dict):
	"""Another customer's request is never named: its number is their business."""
	holders = open_requests.get(serial) or []
	own = [h.name for h in holders if h.customer == customer]
	if own:
		yield "serial_no", _("{0} is already in open request {1}").format(serial, own[0])
	elif holders:
		yield "serial_no", _("{0} is already in an open service request").format(serial)


def purchase_date_rule(line, ctx):
	"""Not in the future, within the customer's purchases of the item (first to last)."""
	raw = line.purchase_date
	line.purchase_date = None
	if raw in (None, ""):
		yield "purchase_date", _("no value given")
		return
	try:
		purchase_date = read_date(raw)
	except dates.NotADate:
		yield "purchase_date", _("{0} does not exist").format(raw)
		return
	if not purchase_date:
		yield (
			"purchase_date",
			_("{0} is not a date; write it like {1} or {2}").format(
				raw, formatdate(ctx.on), ctx.on.isoformat()
			),
		)
		return
	line.purchase_date = purchase_date
	bought = line.bought
	if purchase_date > ctx.on:
		yield "purchase_date", _("{0} is in the future").format(formatdate(purchase_date))
	elif bought and purchase_date < bought.first_purchase:
		yield (
			"purchase_date",
			_("{0} is before you first bought this product ({1})").format(
				formatdate(purchase_date), formatdate(bought.first_purchase)
			),
		)
	elif bought and purchase_date > bought.last_purchase:
		yield (
			"purchase_date",
			_("{0} is after your last purchase of this product ({1})").format(
				formatdate(purchase_date), formatdate(bought.last_purchase)
			),
		)


def problem_rule(line):
	if not line.problem_description:
		yield "problem_description", _("no value given")
	elif len(line.problem_description) > PROBLEM_MAX:
		yield "problem_description", _("at most {0} characters").format(PROBLEM_MAX)


def expectation_rule(line, ctx):
	typed = str(line.service_expectation or "").strip()
	line.service_expectation = ctx.match_expectation(typed)
	if not typed:
		yield "service_expectation", _("no value given")
	elif not line.service_expectation:
		yield "service_expectation", _("{0} is not one of: {1}").format(typed, expectation_names())


def fault_type_rule(line, ctx):
	"""Required and one of them for items with fault types; refused for the others."""
	if not line.product:
		return
	allowed = ctx.faults.get(line.product.item_code) or []
	typed = line.fault_type
	if typed:
		line.fault_type = match_fault_type(typed, allowed) or ""
		if not allowed:
			yield "fault_type", _("this product has no fault types; leave it empty")
		elif not line.fault_type:
			yield "fault_type", _("{0} is not a fault type of this product").format(typed)
	elif allowed:
		yield "fault_type", _("no value given; choose the fault of this product")


def brand_type_rule(line, type_info):
	if line.product and type_info and type_info.brand and line.product.brand != type_info.brand:
		yield (
			"rma_type",
			_("{0} is reserved for {1} products").format(
				type_info.type_name or type_info.name, type_info.brand
			),
		)


def proof_required(type_info) -> bool:
	"""Default required: only a type that explicitly waives it goes without."""
	return not (type_info and type_info.waives_proof_of_purchase)


# ---------------------------------------------------------------------------------------------
# A whole request


def clean_line(line: dict, number: int) -> frappe._dict:
	line = frappe._dict(line or {})
	return frappe._dict(
		number=number,
		ean=normalize_gtin(line.get("ean")),
		qty=line.get("qty"),
		serial_no=str(line.get("serial_no") or "").strip(),
		purchase_date=line.get("purchase_date"),
		problem_description=str(line.get("problem_description") or "").strip(),
		service_expectation=line.get("service_expectation"),
		fault_type=str(line.get("fault_type") or "").strip(),
		skip=frozenset(line.get("skip") or ()),
	)


def context(customer: str, lines: list, rma_type: str | None, on: date | None = None) -> frappe._dict:
	"""Everything the rules read, in a handful of queries for all lines together."""
	products = lookups.products_by_ean([line.ean for line in lines if is_valid_gtin13(line.ean)])
	serials = [line.serial_no for line in lines]
	return frappe._dict(
		customer=customer,
		on=getdate(on or today()),
		type_info=lookups.rma_type_info(rma_type),
		products=products,
		history=lookups.purchase_history(customer, [p.item_code for p in products.values()]),
		faults=lookups.fault_types_for(list(products.values())),
		serials=lookups.serial_records(serials),
		serial_sold=service_purchase.serial_deliveries(customer, serials),
		open_requests=lookups.open_requests_by_serial(serials),
		match_expectation=expectation_matcher(),
	)


def check_request(
	customer: str,
	lines: list[dict],
	rma_type: str | None,
	attachments: list[dict] | None,
	header: dict | None = None,
	rows: list[int] | None = None,
	on: date | None = None,
) -> tuple[list[dict], list[frappe._dict], frappe._dict]:
	"""(errors, cleaned lines with item facts, context). `rows` gives CSV row numbers per line; a
	line's `skip` names fields whose problem the caller has already reported (one message each)."""
	lines = [clean_line(line, number) for number, line in enumerate(lines or [], start=1)]
	ctx = context(customer, lines, rma_type, on)
	errors: list[dict] = []

	def add(problems, line=None):
		for field, reason in problems:
			if line is None:
				errors.append(error(field, reason))
			elif field not in line.skip:
				row = rows[line.number - 1] if rows is not None else None
				errors.append(error(field, reason, line=line.number, row=row))

	add(rma_type_rule(rma_type, ctx.type_info))
	if not (ctx.type_info and ctx.type_info.enabled):
		ctx.type_info = None
	add(header_rule(header))
	add(line_count_rule(lines))
	first_line_of: dict[str, int] = {}
	for line in lines:
		add(product_rule(line, ctx), line)
		add(qty_rule(line), line)
		add(serial_rule(line, ctx, first_line_of), line)
		add(purchase_date_rule(line, ctx), line)
		add(support_rule(line, ctx), line)
		add(problem_rule(line), line)
		add(expectation_rule(line, ctx), line)
		add(fault_type_rule(line, ctx), line)
		add(brand_type_rule(line, ctx.type_info), line)
	errors.extend(check_attachments(attachments, ctx.type_info))
	return errors, lines, ctx


def check_attachments(attachments: list[dict] | None, type_info=None) -> list[dict]:
	"""Errors of the attachment list: kinds, types, sizes, count, and the proof of purchase rule."""
	errors = []
	attachments = list(attachments or [])
	if len(attachments) > MAX_ATTACHMENTS:
		errors.append(error("attachments", _("at most {0} files").format(MAX_ATTACHMENTS)))
	for attachment in attachments:
		name = safe_file_name(attachment.get("file_name"))
		content = attachment.get("content") or b""
		if attachment.get("kind") not in ATTACHMENT_KINDS:
			errors.append(error("attachments", _("{0} has no valid kind").format(name)))
		if not content:
			errors.append(error("attachments", _("{0} is empty").format(name)))
		elif len(content) > MAX_ATTACHMENT_BYTES:
			errors.append(
				error(
					"attachments",
					_("{0} is larger than {1} MB").format(name, MAX_ATTACHMENT_BYTES // (1024 * 1024)),
				)
			)
		elif not file_kind(name, content, ATTACHMENT_TYPES):
			errors.append(error("attachments", _("{0} is not a JPEG, PNG or PDF file").format(name)))
	if proof_required(type_info) and not any(a.get("kind") == PROOF for a in attachments):
		errors.append(error("attachments", _("a required attachment (proof of purchase) is missing")))
	return errors
