"""Service RMAs (SPEC §1, seed 000): products sent in for repair, replacement, credit or diagnosis.

A service request names products by EAN/GTIN-13 (not by delivered order line). Rules, checked all
at once so the customer sees every problem in one box:

- EAN: a valid GTIN-13 of an Item (Item Barcode) that the customer bought: a submitted, non-return
  Sales Invoice or Delivery Note line of that item for this customer.
- Support period = the Item's `warranty_period` (days, ERPNext's own field) counted from the
  customer's LAST purchase of the item (the latest posting date over those invoices and delivery
  notes). The last day is still covered. An item without a warranty period has no support period
  and cannot be sent in for service (staff set the period on the item to allow it).
- Serial number: required when the item's Brand has `rma_serial_no_required`. When a Serial No
  record of that name exists it must be of the same item. A line with a serial number is one
  unit (qty 1). A serial number cannot be in two lines, nor in another open service RMA.
- Purchase date (the date on the proof of purchase): required, not in the future, not before the
  customer's first purchase of the item.
- Quantity: a whole number >= 1. Problem description and service expectation: required.
- Fault type: required for items that define fault types (an enabled RMA Fault Type listing the
  item, or naming the item's brand), and must be one of them; refused for other items. The CSV
  format has no fault-type column, so CSV imports skip this rule (staff classify the fault).
- RMA type: required, enabled, and when it names a brand, every line's item must be of it.
- Proof of purchase: when the RMA type requires it, at least one attachment of kind
  "Proof of purchase". Attachments are JPEG/PNG/PDF (content checked), at most 10 MB each, 10 in all.

Database look-ups are aggregated: a request costs the same handful of queries for 1 or 30 lines.
Callers (api/, www/) check access first; nothing here commits, except the background import job,
which owns its transaction.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import cint, getdate, now_datetime, today

from rma_portal.domain.csv_rows import COLUMN_LABELS, parse_service_csv
from rma_portal.domain.gtin import is_valid_gtin13, normalize_gtin
from rma_portal.domain.uploads import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, file_kind, safe_file_name
from rma_portal.domain.warranty import warranty_end
from rma_portal.services import documents, files
from rma_portal.services.query import like_pattern

SERVICE_EXPECTATIONS = ("Repair", "Replacement", "Credit", "Diagnosis")
ATTACHMENT_KINDS = ("Proof of purchase", "Photo", "Other")
PROOF = "Proof of purchase"
ATTACHMENT_TYPES = ("jpg", "png", "pdf")
OPEN_STATUSES = ("Draft", "Expected", "Received")
MAX_LINES = 30
CSV_BACKGROUND_ROWS = 10  # more rows than this: the import runs as a background job
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
	"customer_rma_no": "own_rma_number",
}


class ServiceRequestError(frappe.ValidationError):
	"""Everything wrong with a service request; `errors` holds dicts (line, field, message)."""

	def __init__(self, errors=None):
		self.errors = list(errors or [])
		super().__init__("\n".join(e["message"] for e in self.errors))


def _err(field: str | None, reason: str, line: int | None = None, row: int | None = None) -> dict:
	"""One error; `reason` is already translated. Prefix "Line n — Field:" or "Row n — Column:"."""
	if row is not None:
		column = CSV_COLUMN_OF.get(field)
		label = _(COLUMN_LABELS[column]) if column else _(FIELD_LABELS.get(field, field or ""))
		message = _("Row {0} — {1}: {2}").format(row, label, reason)
		return {"row": row, "line": line, "field": field, "column": column, "message": message}
	label = _(FIELD_LABELS.get(field, field or ""))
	if line is not None:
		message = _("Line {0} — {1}: {2}").format(line, label, reason)
	else:
		message = _("{0}: {1}").format(label, reason)
	return {"row": None, "line": line, "field": field, "column": None, "message": message}


# ---------------------------------------------------------------------------------------------
# Aggregated look-ups


def products_by_ean(eans: list[str]) -> dict[str, frappe._dict]:
	"""EAN -> item facts (item, name, brand, warranty days, serial required, has fault types)."""
	eans = sorted({e for e in eans if e})
	if not eans:
		return {}
	rows = frappe.db.sql(
		"""select ib.barcode as ean, i.name as item_code, i.item_name, i.brand, i.warranty_period,
			i.disabled, coalesce(b.rma_serial_no_required, 0) as serial_required
		from `tabItem Barcode` ib
		join `tabItem` i on i.name = ib.parent
		left join `tabBrand` b on b.name = i.brand
		where ib.parenttype = 'Item' and ib.barcode in %(eans)s""",
		{"eans": tuple(eans)},
		as_dict=True,
	)
	out = {}
	for row in rows:
		row.warranty_days = cint(row.warranty_period) if str(row.warranty_period or "").strip() else None
		row.serial_required = cint(row.serial_required)
		out[row.ean] = row
	return out


def purchase_history(customer: str, item_codes: list[str]) -> dict[str, frappe._dict]:
	"""item -> first and last purchase date (and the company of the last one), in one query.

	A purchase is a submitted, non-return Sales Invoice or Delivery Note line of the customer."""
	item_codes = sorted({i for i in item_codes if i})
	if not item_codes:
		return {}
	rows = frappe.db.sql(
		"""select h.item_code, min(h.posting_date) as first_purchase, max(h.posting_date) as last_purchase,
			substring_index(group_concat(h.company order by h.posting_date desc separator '\n'), '\n', 1)
				as company
		from (
			select sii.item_code, si.posting_date, si.company
			from `tabSales Invoice Item` sii
			join `tabSales Invoice` si on si.name = sii.parent and sii.parenttype = 'Sales Invoice'
			where si.customer = %(customer)s and si.docstatus = 1 and si.is_return = 0
				and sii.item_code in %(items)s and sii.qty > 0
			union all
			select dni.item_code, dn.posting_date, dn.company
			from `tabDelivery Note Item` dni
			join `tabDelivery Note` dn on dn.name = dni.parent and dni.parenttype = 'Delivery Note'
			where dn.customer = %(customer)s and dn.docstatus = 1 and dn.is_return = 0
				and dni.item_code in %(items)s and dni.qty > 0
		) h
		group by h.item_code""",
		{"customer": customer, "items": tuple(item_codes)},
		as_dict=True,
	)
	return {
		row.item_code: frappe._dict(
			first_purchase=getdate(row.first_purchase),
			last_purchase=getdate(row.last_purchase),
			company=row.company,
		)
		for row in rows
	}


def fault_types_for(products: list[frappe._dict]) -> dict[str, list[str]]:
	"""item -> sorted names of the enabled fault types it defines (listed, or through its brand)."""
	items = sorted({p.item_code for p in products})
	brands = sorted({p.brand for p in products if p.brand})
	if not items:
		return {}
	ft = frappe.qb.DocType("RMA Fault Type")
	fti = frappe.qb.DocType("RMA Fault Type Item")
	condition = fti.item_code.isin(items)
	if brands:
		condition = condition | ft.brand.isin(brands)
	rows = (
		frappe.qb.from_(ft)
		.left_join(fti)
		.on((fti.parent == ft.name) & (fti.parenttype == "RMA Fault Type"))
		.select(ft.name, ft.brand, fti.item_code)
		.where((ft.enabled == 1) & condition)
	).run(as_dict=True)
	out: dict[str, set] = {item: set() for item in items}
	for product in products:
		for row in rows:
			if row.item_code == product.item_code or (product.brand and row.brand == product.brand):
				out[product.item_code].add(row.name)
	return {item: sorted(names) for item, names in out.items()}


def _serial_facts(serials: list[str]) -> tuple[dict, dict]:
	"""(serial -> Serial No item, serial -> open service RMA holding it), two queries."""
	serials = sorted({s for s in serials if s})
	if not serials:
		return {}, {}
	records = dict(
		frappe.db.sql(
			"select name, item_code from `tabSerial No` where name in %(serials)s",
			{"serials": tuple(serials)},
		)
	)
	open_rmas = {}
	for serial, item_code, rma in frappe.db.sql(
		"""select ri.serial_no, ri.item_code, rma.name from `tabRMA Item` ri
		join `tabRMA` rma on rma.name = ri.parent and ri.parenttype = 'RMA'
		where ri.serial_no in %(serials)s and rma.kind = 'Service' and rma.status in %(open)s""",
		{"serials": tuple(serials), "open": OPEN_STATUSES},
	):
		open_rmas.setdefault(serial, {})[item_code] = rma
	return records, open_rmas


def rma_type_info(rma_type: str | None) -> frappe._dict | None:
	if not rma_type:
		return None
	return frappe.db.get_value(
		"RMA Type",
		rma_type,
		["name", "type_name", "brand", "requires_proof_of_purchase", "enabled", "description"],
		as_dict=True,
	)


def rma_types(enabled_only: bool = True) -> list[frappe._dict]:
	"""The types offered on the form, each with its brand restriction and proof rule."""
	return frappe.get_all(
		"RMA Type",
		filters={"enabled": 1} if enabled_only else {},
		fields=["name", "type_name", "brand", "requires_proof_of_purchase", "description"],
		order_by="type_name asc",
	)


# ---------------------------------------------------------------------------------------------
# Validation


def normalize_expectation(value) -> str | None:
	"""The Select value for an expectation typed in English or in the user's language, else None."""
	text = str(value or "").strip().lower()
	if not text:
		return None
	for option in SERVICE_EXPECTATIONS:
		if text in (option.lower(), _(option).lower()):
			return option
	return None


def _parse_date(value) -> date | None:
	if value in (None, ""):
		return None
	if isinstance(value, date):
		return value
	text = str(value).strip()
	try:
		return date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else None
	except ValueError:
		return None


def _qty(value) -> int | None:
	if value in (None, ""):
		return None
	try:
		number = float(value)
	except (TypeError, ValueError):
		return None
	return int(number) if number == int(number) else None


def _clean_line(line: dict) -> frappe._dict:
	line = frappe._dict(line or {})
	return frappe._dict(
		ean=normalize_gtin(line.get("ean")),
		qty=line.get("qty"),
		serial_no=str(line.get("serial_no") or "").strip(),
		purchase_date=line.get("purchase_date"),
		problem_description=str(line.get("problem_description") or "").strip(),
		service_expectation=line.get("service_expectation"),
		fault_type=str(line.get("fault_type") or "").strip(),
	)


def _check(
	customer: str,
	lines: list[dict],
	rma_type: str | None,
	attachments: list[dict] | None,
	header: dict | None = None,
	rows: list[int] | None = None,
	require_fault_type: bool = True,
	on: date | None = None,
) -> tuple[list[dict], list[frappe._dict], frappe._dict]:
	"""(errors, cleaned lines with item facts, context). `rows` gives CSV row numbers per line."""
	on = getdate(on or today())
	errors: list[dict] = []
	lines = [_clean_line(line) for line in (lines or [])]

	def err(field, reason, index=None):
		if rows is not None and index is not None:
			errors.append(_err(field, reason, line=index + 1, row=rows[index]))
		else:
			errors.append(_err(field, reason, line=None if index is None else index + 1))

	# Header
	type_info = rma_type_info(rma_type)
	if not rma_type:
		err("rma_type", _("no value given"))
	elif not type_info or not type_info.enabled:
		err("rma_type", _("{0} is not offered").format(rma_type))
		type_info = None
	for field, limit in TEXT_LIMITS.items():
		value = str((header or {}).get(field) or "")
		if len(value) > limit:
			err(field, _("at most {0} characters").format(limit))

	if not lines:
		err("lines", _("add at least one product"))
	elif len(lines) > MAX_LINES:
		err("lines", _("at most {0} products in one request").format(MAX_LINES))

	# Look-ups, once for all lines
	products = products_by_ean([line.ean for line in lines if is_valid_gtin13(line.ean)])
	history = purchase_history(customer, [p.item_code for p in products.values()])
	faults = fault_types_for(list(products.values()))
	records, open_rmas = _serial_facts([line.serial_no for line in lines])

	seen_serials: dict[str, int] = {}
	for index, line in enumerate(lines):
		product = None
		if not line.ean:
			err("ean", _("no value given"), index)
		elif not is_valid_gtin13(line.ean):
			err("ean", _("{0} is not a valid GTIN-13 code").format(line.ean), index)
		else:
			product = products.get(line.ean)
			bought = history.get(product.item_code) if product else None
			if not product or not bought or product.disabled:
				err(
					"ean",
					_("{0} is not in your purchase history or its support period has ended").format(line.ean),
					index,
				)
				product, bought = None, None
			elif product.warranty_days is None or on > warranty_end(
				bought.last_purchase, period_days=product.warranty_days
			):
				err(
					"ean",
					_("{0} is not in your purchase history or its support period has ended").format(line.ean),
					index,
				)
			line.product = product
			line.bought = bought
		line.setdefault("product", None)
		line.setdefault("bought", None)

		qty = _qty(line.qty)
		if qty is None or qty < 1:
			err("qty", _("enter a whole number of 1 or more"), index)
		line.qty = qty

		if line.serial_no:
			if len(line.serial_no) > SERIAL_MAX:
				err("serial_no", _("at most {0} characters").format(SERIAL_MAX), index)
			if qty and qty > 1:
				err("qty", _("a line with a serial number is for one unit; add a line per unit"), index)
			if line.serial_no in seen_serials:
				err(
					"serial_no",
					_("{0} is already in line {1}").format(line.serial_no, seen_serials[line.serial_no] + 1),
					index,
				)
			seen_serials.setdefault(line.serial_no, index)
			if product and records.get(line.serial_no) and records[line.serial_no] != product.item_code:
				err("serial_no", _("{0} belongs to another product").format(line.serial_no), index)
			held = (open_rmas.get(line.serial_no) or {}).get(product.item_code) if product else None
			if held:
				err("serial_no", _("{0} is already in open request {1}").format(line.serial_no, held), index)
		elif product and product.serial_required:
			err("serial_no", _("no value given; required for {0} products").format(product.brand), index)

		purchase_date = _parse_date(line.purchase_date)
		if line.purchase_date in (None, ""):
			err("purchase_date", _("no value given"), index)
		elif not purchase_date:
			err(
				"purchase_date",
				_("{0} is not a date in the form yyyy-mm-dd").format(line.purchase_date),
				index,
			)
		elif purchase_date > on:
			err("purchase_date", _("{0} is in the future").format(purchase_date.isoformat()), index)
		elif line.bought and purchase_date < line.bought.first_purchase:
			err(
				"purchase_date",
				_("{0} is before you first bought this product ({1})").format(
					purchase_date.isoformat(), line.bought.first_purchase.isoformat()
				),
				index,
			)
		line.purchase_date = purchase_date

		if not line.problem_description:
			err("problem_description", _("no value given"), index)
		elif len(line.problem_description) > PROBLEM_MAX:
			err("problem_description", _("at most {0} characters").format(PROBLEM_MAX), index)

		expectation = normalize_expectation(line.service_expectation)
		if not str(line.service_expectation or "").strip():
			err("service_expectation", _("no value given"), index)
		elif not expectation:
			err(
				"service_expectation",
				_("{0} is not one of: {1}").format(
					line.service_expectation, ", ".join(_(o) for o in SERVICE_EXPECTATIONS)
				),
				index,
			)
		line.service_expectation = expectation

		if product:
			allowed = faults.get(product.item_code) or []
			if line.fault_type and line.fault_type not in allowed:
				err(
					"fault_type",
					_("{0} is not a fault type of this product").format(line.fault_type)
					if allowed
					else _("this product has no fault types; leave it empty"),
					index,
				)
			elif allowed and not line.fault_type and require_fault_type:
				err("fault_type", _("no value given; choose the fault of this product"), index)
			if type_info and type_info.brand and product.brand != type_info.brand:
				err(
					"rma_type",
					_("{0} is reserved for {1} products").format(
						type_info.type_name or type_info.name, type_info.brand
					),
					index,
				)

	errors.extend(check_attachments(attachments, type_info))
	return errors, lines, frappe._dict(type_info=type_info, history=history, products=products)


def check_attachments(
	attachments: list[dict] | None, type_info=None, proof_required: bool | None = None
) -> list[dict]:
	"""Errors of the attachment list: kinds, types, sizes, count, and the proof of purchase rule."""
	errors = []
	attachments = list(attachments or [])
	if len(attachments) > MAX_ATTACHMENTS:
		errors.append(_err("attachments", _("at most {0} files").format(MAX_ATTACHMENTS)))
	for attachment in attachments:
		name = safe_file_name(attachment.get("file_name"))
		content = attachment.get("content") or b""
		if attachment.get("kind") not in ATTACHMENT_KINDS:
			errors.append(_err("attachments", _("{0} has no valid kind").format(name)))
		if not content:
			errors.append(_err("attachments", _("{0} is empty").format(name)))
		elif len(content) > MAX_ATTACHMENT_BYTES:
			errors.append(
				_err(
					"attachments",
					_("{0} is larger than {1} MB").format(name, MAX_ATTACHMENT_BYTES // (1024 * 1024)),
				)
			)
		elif not file_kind(name, content, ATTACHMENT_TYPES):
			errors.append(_err("attachments", _("{0} is not a JPEG, PNG or PDF file").format(name)))
	if proof_required is None:
		proof_required = bool(type_info and type_info.requires_proof_of_purchase)
	if proof_required and not any(a.get("kind") == PROOF for a in attachments):
		errors.append(_err("attachments", _("a required attachment (proof of purchase) is missing")))
	return errors


def validate_service_lines(
	customer: str, lines: list[dict], rma_type: str | None, attachments: list[dict] | None = None, header=None
) -> list[dict]:
	"""Every problem of a service request: dicts with line (1-based or None), field and message."""
	return _check(customer, lines, rma_type, attachments, header=header)[0]


# ---------------------------------------------------------------------------------------------
# Creating


def _customer_return_address(customer: str) -> str:
	"""The customer's shipping (else primary) address as plain text, to prefill the form."""
	from frappe.contacts.doctype.address.address import get_address_display, get_default_address

	name = get_default_address("Customer", customer, sort_key="is_shipping_address") or get_default_address(
		"Customer", customer
	)
	if not name:
		return ""
	import html
	import re

	text = re.sub(r"<br\s*/?>", "\n", get_address_display(name) or "")
	return "\n".join(
		line.strip() for line in html.unescape(re.sub(r"<[^>]+>", "", text)).splitlines() if line.strip()
	)


def default_return_address(customer: str) -> str:
	try:
		return _customer_return_address(customer)
	except Exception:
		return ""


def _insert(
	customer: str, user: str, header: dict, lines: list[frappe._dict], type_info, attachments, note: str
):
	"""Insert one service RMA (status Expected) with its lines and attachments; returns the name."""
	from rma_portal.services.settings import rma_settings

	company = next((line.bought.company for line in lines if line.bought and line.bought.company), None)
	company = (
		company
		or frappe.defaults.get_user_default("Company")
		or frappe.db.get_single_value("Global Defaults", "default_company")
	)
	now = now_datetime()
	rma = frappe.get_doc(
		{
			"doctype": "RMA",
			"kind": "Service",
			"status": "Expected",
			"customer": customer,
			"company": company,
			"currency": frappe.get_cached_value("Company", company, "default_currency"),
			"submitted_on": now,
			"portal_user": user,
			"contact_email": frappe.db.get_value("User", user, "email") or user,
			"rma_type": type_info.name,
			"customer_rma_no": (header.get("customer_rma_no") or "").strip() or None,
			"tracking_no": (header.get("tracking_no") or "").strip() or None,
			"package_contents": (header.get("package_contents") or "").strip() or None,
			"return_address_customer": (header.get("return_address_customer") or "").strip()
			or default_return_address(customer)
			or None,
			"remarks": (header.get("remarks") or "").strip() or None,
			"return_address": rma_settings().return_address,
		}
	)
	for line in lines:
		product, bought = line.product, line.bought
		rma.append(
			"items",
			{
				"item_code": product.item_code,
				"item_name": product.item_name,
				"qty_requested": line.qty,
				"ean": line.ean,
				"serial_no": line.serial_no or None,
				"purchase_date": line.purchase_date,
				"warranty_end": warranty_end(bought.last_purchase, period_days=product.warranty_days)
				if product.warranty_days is not None
				else None,
				"problem_description": line.problem_description,
				"service_expectation": line.service_expectation,
				"fault_type": line.fault_type or None,
				"handling": {"Replacement": "Replace"}.get(line.service_expectation, line.service_expectation)
				if line.service_expectation in ("Repair", "Replacement", "Credit")
				else None,
			},
		)
	rma.append("status_log", {"status": "Expected", "changed_on": now, "changed_by": user, "note": note})
	rma.insert(ignore_permissions=True)
	for attachment in attachments or []:
		# rows written directly: a second save of the RMA would only add noise to its version log
		file_doc = save_attachment(rma.name, attachment)
		row = rma.append(
			"attachments",
			{"kind": attachment["kind"], "file": file_doc.file_url, "file_name": file_doc.file_name},
		)
		row.db_insert()
	return rma.name


def save_attachment(rma_name: str, attachment: dict):
	"""A private File attached to the RMA (Frappe stores equal contents once)."""
	return files.save_private_file(
		"RMA", rma_name, attachment.get("file_name"), attachment["content"], "attachments"
	)


def create_service_rma(customer: str, user: str, header: dict, lines: list[dict], attachments=None) -> str:
	"""Validate everything, then insert the RMA (kind Service, status Expected) and queue its documents.

	Raises ServiceRequestError listing every problem; nothing is written then. Does not commit."""
	from rma_portal import access

	access.check("rma.create", customer, user)
	header = dict(header or {})
	errors, clean, ctx = _check(customer, lines, header.get("rma_type"), attachments, header=header)
	if errors:
		raise ServiceRequestError(errors)
	name = _insert(customer, user, header, clean, ctx.type_info, attachments, _("Service request submitted"))
	_enqueue_documents([name])
	return name


def _enqueue_documents(names: list[str]):
	for name in names:
		documents.enqueue_documents(name)


# ---------------------------------------------------------------------------------------------
# CSV import


def check_service_csv(
	customer: str, data: bytes, rma_type: str | None, proof: dict | None = None, on: date | None = None
) -> tuple[list[dict], list[dict]]:
	"""(errors, groups) of a CSV file: parse errors and database errors, each with row and column.

	Grouping rule: rows with the same own RMA number become one RMA (lines in file order); rows
	without an own RMA number become one RMA each. Every row is one unit (the format has no
	quantity column). The proof of purchase uploaded with the file is attached to every RMA."""
	on = getdate(on or today())
	parsed = parse_service_csv(data or b"", on)
	errors = [
		{
			"row": e.row,
			"line": None,
			"field": None,
			"column": e.column,
			"message": _(e.message).format(**e.kwargs),
		}
		for e in parsed.errors
	]
	rows = parsed.rows
	lines = [
		{
			"ean": r.ean,
			"qty": 1,
			"serial_no": r.serial_no,
			"purchase_date": r.sale_date,
			"problem_description": r.problem,
			"service_expectation": r.expectation,
		}
		for r in rows
	]
	attachments = [dict(proof, kind=PROOF)] if proof else []
	db_errors, clean, ctx = _check(
		customer,
		lines,
		rma_type,
		attachments,
		rows=[r.row_number for r in rows],
		require_fault_type=False,
		on=on,
	)
	if not rows:
		# "add at least one product" repeats the parse error about an empty file
		db_errors = [e for e in db_errors if e["field"] != "lines"]
	errors.extend(db_errors)
	errors.sort(key=lambda e: (e["row"] is not None, e["row"] or 0))
	groups: dict[str, dict] = {}
	for row, line in zip(rows, clean, strict=True):
		key = row.own_rma_number or f"\x00row{row.row_number}"
		group = groups.setdefault(
			key, {"customer_rma_no": row.own_rma_number or None, "rows": [], "lines": []}
		)
		group["rows"].append(row.row_number)
		group["lines"].append(line)
	out = list(groups.values())
	for group in out:
		group["type_info"] = ctx.type_info
	return errors, out


def import_service_csv(
	customer: str,
	user: str,
	data: bytes,
	rma_type: str | None,
	proof: dict | None = None,
	header: dict | None = None,
	progress=None,
) -> dict:
	"""Validate the whole file, then create every RMA, or none.

	Returns {"ok": False, "errors": [...]} (nothing saved) or {"ok": True, "created": [...]}. An
	exception while creating rolls back to the state before the import and is raised again.
	`progress(done, total)` is called after each RMA. Does not commit."""
	from rma_portal import access

	access.check("rma.create", customer, user)
	errors, groups = check_service_csv(customer, data, rma_type, proof)
	if errors:
		return {"ok": False, "errors": errors, "created": []}
	header = dict(header or {})
	attachments = [dict(proof, kind=PROOF)] if proof else []
	created = []
	frappe.db.savepoint("rma_service_csv")
	try:
		for done, group in enumerate(groups, start=1):
			name = _insert(
				customer,
				user,
				dict(header, customer_rma_no=group["customer_rma_no"]),
				group["lines"],
				group["type_info"],
				attachments,
				_("Service request imported from CSV (rows {0})").format(
					", ".join(str(r) for r in group["rows"])
				),
			)
			created.append({"name": name, "customer_rma_no": group["customer_rma_no"], "rows": group["rows"]})
			if progress:
				progress(done, len(groups))
	except Exception:
		frappe.db.rollback(save_point="rma_service_csv")
		raise
	_enqueue_documents([c["name"] for c in created])
	return {"ok": True, "errors": [], "created": created}


def _status_key(token: str) -> str:
	return f"rma_portal:service_import:{token}"


def import_status(token: str, user: str) -> dict | None:
	"""The stored state of a background import, only for the user who started it."""
	state = frappe.cache.get_value(_status_key(token)) if token else None
	if not state or state.get("user") != user:
		return None
	return state


def _set_status(token: str, state: dict):
	frappe.cache.set_value(_status_key(token), state, expires_in_sec=3600)


def enqueue_service_csv(customer: str, user: str, data: bytes, rma_type: str, proof=None, header=None) -> str:
	"""Run import_service_csv in a background job; returns the token to ask import_status with."""
	token = frappe.generate_hash(length=16)
	_set_status(token, {"user": user, "status": "queued", "percent": 0})
	frappe.enqueue(
		"rma_portal.services.service_rma.run_service_csv_job",
		queue="long",
		timeout=900,
		now=bool(frappe.flags.in_test),
		token=token,
		customer=customer,
		user=user,
		data=data,
		rma_type=rma_type,
		proof=proof,
		header=header,
	)
	return token


def run_service_csv_job(token, customer, user, data, rma_type, proof=None, header=None):
	"""Background job: the import with progress (realtime + the cached state the page polls).

	The job runner commits after it returns (and rolls back if it raises); the final state is
	stored after that commit, so "done" is only reported for requests that were saved."""
	frappe.set_user(user)

	def progress(done, total):
		percent = int(done * 100 / max(total, 1))
		_set_status(
			token, {"user": user, "status": "running", "percent": percent, "done": done, "total": total}
		)
		frappe.publish_progress(
			percent,
			title=_("Importing service requests"),
			description=_("{0} of {1} requests created").format(done, total),
			task_id=token,
		)

	_set_status(token, {"user": user, "status": "running", "percent": 0})
	try:
		result = import_service_csv(
			customer, user, data, rma_type, proof=proof, header=header, progress=progress
		)
	except Exception:
		_set_status(token, {"user": user, "status": "failed", "percent": 100})
		frappe.log_error(title=_("Service CSV import failed"))
		raise
	final = {"user": user, "status": "done", "percent": 100, **result}
	if result["ok"]:
		frappe.db.after_commit.add(lambda: _set_status(token, final))
	else:
		_set_status(token, final)
	return result


# ---------------------------------------------------------------------------------------------
# Look-ups for the landing page


def warranty_check(customer: str, ean: str, on=None) -> dict:
	"""Is this EAN's product in the customer's purchase history, and until when is it covered?

	Also tells the form what the product needs (serial number, fault types)."""
	on = getdate(on or today())
	code = normalize_gtin(ean)
	out = {
		"ean": code,
		"valid": is_valid_gtin13(code),
		"known": False,
		"purchased": False,
		"in_warranty": False,
	}
	if not out["valid"]:
		return out
	product = products_by_ean([code]).get(code)
	if not product or product.disabled:
		return out
	bought = purchase_history(customer, [product.item_code]).get(product.item_code)
	if not bought:
		# The catalogue is not the customer's business: nothing about a product they never bought.
		return out
	out.update(
		known=True,
		item_code=product.item_code,
		item_name=product.item_name,
		brand=product.brand,
		serial_required=bool(product.serial_required),
		warranty_days=product.warranty_days,
		fault_types=fault_types_for([product]).get(product.item_code, []),
	)
	end = (
		warranty_end(bought.last_purchase, period_days=product.warranty_days)
		if product.warranty_days is not None
		else None
	)
	out.update(
		purchased=True,
		first_purchase=bought.first_purchase,
		last_purchase=bought.last_purchase,
		warranty_end=end,
		in_warranty=bool(end and on <= end),
	)
	return out


def serial_lookup(customer: str, serial_no: str, on=None) -> dict:
	"""Is this serial number in our database for a product the customer bought?

	Found when a Serial No record exists whose customer is this customer or whose item is in the
	customer's purchase history; the warranty end is then the item's (as in warranty_check). The
	customer's own earlier service requests with this serial are listed too."""
	on = getdate(on or today())
	serial_no = (serial_no or "").strip()
	out = {"serial_no": serial_no, "found": False, "requests": []}
	if not serial_no:
		return out
	record = frappe.db.get_value(
		"Serial No", serial_no, ["name", "item_code", "item_name", "customer"], as_dict=True
	)
	out["requests"] = frappe.db.sql(
		"""select distinct rma.name, rma.status, ri.item_code from `tabRMA Item` ri
		join `tabRMA` rma on rma.name = ri.parent and ri.parenttype = 'RMA'
		where rma.customer = %(customer)s and ri.serial_no = %(serial)s order by rma.creation desc limit 20""",
		{"customer": customer, "serial": serial_no},
		as_dict=True,
	)
	if not record:
		return out
	bought = purchase_history(customer, [record.item_code]).get(record.item_code)
	if record.customer != customer and not bought:
		return out  # another customer's serial: say no more than "not found"
	item = frappe.db.get_value(
		"Item", record.item_code, ["item_name", "warranty_period", "brand"], as_dict=True
	)
	days = cint(item.warranty_period) if str(item.warranty_period or "").strip() else None
	end = warranty_end(bought.last_purchase, period_days=days) if bought and days is not None else None
	out.update(
		found=True,
		item_code=record.item_code,
		item_name=item.item_name,
		brand=item.brand,
		last_purchase=bought.last_purchase if bought else None,
		warranty_end=end,
		in_warranty=bool(end and on <= end),
	)
	return out


def search_rmas(customer: str, text: str, limit: int = 20) -> list[dict]:
	"""The customer's RMAs whose number, own RMA number / reference, or a line's serial number
	contains `text` (at least 2 characters), newest first."""
	text = (text or "").strip()
	if len(text) < 2:
		return []
	return frappe.db.sql(
		"""select rma.name, rma.kind, rma.status, rma.submitted_on, rma.customer_rma_no,
			rma.customer_reference, rma.rma_type,
			(select group_concat(distinct s.serial_no separator ', ') from `tabRMA Item` s
				where s.parent = rma.name and s.parenttype = 'RMA' and ifnull(s.serial_no, '') != '') as serials
		from `tabRMA` rma
		where rma.customer = %(customer)s and rma.docstatus < 2 and (
			rma.name like %(text)s or rma.customer_rma_no like %(text)s or rma.customer_reference like %(text)s
			or exists (select 1 from `tabRMA Item` i where i.parent = rma.name and i.parenttype = 'RMA'
				and i.serial_no like %(text)s))
		order by rma.creation desc
		limit %(limit)s""",
		{"customer": customer, "text": like_pattern(text), "limit": max(1, min(cint(limit), 100))},
		as_dict=True,
	)


def service_detail(customer: str, name: str) -> dict:
	"""The service fields of one RMA of the customer (for /rma/view); PermissionError otherwise."""
	doc = frappe.db.get_value(
		"RMA",
		name,
		[
			"name",
			"customer",
			"kind",
			"rma_type",
			"customer_rma_no",
			"package_contents",
			"return_address_customer",
		],
		as_dict=True,
	)
	if not doc or doc.customer != customer:
		raise frappe.PermissionError(
			_("This RMA was not found among your requests.")
		)  # never echo the URL input
	doc.lines = frappe.get_all(
		"RMA Item",
		filters={"parent": name, "parenttype": "RMA"},
		fields=[
			"name",
			"idx",
			"ean",
			"serial_no",
			"purchase_date",
			"warranty_end",
			"problem_description",
			"service_expectation",
			"fault_type",
		],
		order_by="idx asc",
	)
	doc.attachments = frappe.get_all(
		"RMA Attachment",
		filters={"parent": name, "parenttype": "RMA"},
		fields=["name", "idx", "kind", "file_name", "file"],
		order_by="idx asc",
	)
	return doc


def attachment_content(customer: str, rma: str, row: str) -> tuple[str, bytes]:
	"""(file name, bytes) of an attachment row of the customer's RMA."""
	detail = service_detail(customer, rma)
	match = next((a for a in detail.attachments if a.name == row), None)
	if not match:
		raise frappe.PermissionError(_("This attachment was not found."))
	file_name = frappe.db.get_value(
		"File", {"file_url": match.file, "attached_to_doctype": "RMA", "attached_to_name": rma}, "name"
	)
	if not file_name:
		raise frappe.DoesNotExistError(_("This attachment was not found."))
	content = frappe.get_doc("File", file_name).get_content()
	return match.file_name or "attachment", content.encode() if isinstance(content, str) else content


def recent_service_rmas(customer: str, limit: int = 10) -> list[frappe._dict]:
	"""The customer's newest service RMAs for the landing page."""
	return frappe.get_all(
		"RMA",
		filters={"customer": customer, "kind": "Service", "docstatus": ["<", 2]},
		fields=["name", "status", "submitted_on", "customer_rma_no", "rma_type", "total_qty_requested"],
		order_by="creation desc",
		limit_page_length=limit,
	)
