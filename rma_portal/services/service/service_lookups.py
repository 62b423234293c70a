"""Service requests: the look-ups the rules and the landing page read (SPEC §1).

Every function takes the caller's customer and answers only about that customer's purchases and
requests; look-ups are aggregated (one query for all lines of a request).
"""

import frappe
from frappe import _
from frappe.utils import cint, getdate, today

from rma_portal.domain.gtin import is_valid_gtin13, normalize_gtin
from rma_portal.domain.warranty import warranty_end
from rma_portal.services.history import purchased_items
from rma_portal.services.returns import requested_serials
from rma_portal.services.returns.rma_lists import (
	SERVICE_ATTACHMENT_FIELDS,
	SERVICE_FIELDS,
	SERVICE_LINE_FIELDS,
)
from rma_portal.services.shared.query import like_pattern

SERIAL_POLICY_RECORD = "ERPNext Serial No sold to the customer"
SERIAL_POLICY_FREE = "Free text"


def products_by_ean(eans: list[str]) -> dict[str, frappe._dict]:
	"""EAN -> item facts (item, name, brand, warranty days, serial required, has fault types)."""
	eans = sorted({e for e in eans if e})
	if not eans:
		return {}
	rows = frappe.db.sql(
		"""select ib.barcode as ean, i.name as item_code, i.item_name, i.brand, i.warranty_period,
			i.disabled, coalesce(b.rma_serial_no_required, 0) as serial_required,
			b.rma_serial_policy as serial_policy, b.rma_serial_pattern as serial_pattern
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
		row.serial_policy = row.serial_policy or SERIAL_POLICY_FREE
		out[row.ean] = row
	return out


def serial_facts_of_item(item_code: str) -> frappe._dict | None:
	"""The serial rules of an item's brand (for warranty claims, which name the item, not the EAN)."""
	row = frappe.db.sql(
		"""select i.name as item_code, i.brand, coalesce(b.rma_serial_no_required, 0) as serial_required,
			b.rma_serial_policy as serial_policy, b.rma_serial_pattern as serial_pattern
		from `tabItem` i left join `tabBrand` b on b.name = i.brand
		where i.name = %(item)s""",
		{"item": item_code},
		as_dict=True,
	)
	if not row:
		return None
	row[0].serial_required = cint(row[0].serial_required)
	row[0].serial_policy = row[0].serial_policy or SERIAL_POLICY_FREE
	return row[0]


def purchase_history(customer: str, item_codes: list[str]) -> dict[str, frappe._dict]:
	"""item -> first and last purchase date (and the company of the last one), in one query.

	A purchase is a submitted, non-return Sales Invoice or Delivery Note line of the customer; read
	from the customer's own row per item (services/history/purchased_items.py), not the history."""
	return purchased_items.history(customer, item_codes)


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


def serial_records(serials: list[str]) -> dict[str, frappe._dict]:
	"""serial -> its ERPNext Serial No (item and the customer it was delivered to), one query."""
	serials = sorted({s for s in serials if s})
	if not serials:
		return {}
	rows = frappe.db.sql(
		"select name, item_code, customer from `tabSerial No` where name in %(serials)s",
		{"serials": tuple(serials)},
		as_dict=True,
	)
	return {row.name: row for row in rows}


def open_requests_by_serial(serials: list[str], for_update: bool = False) -> dict[str, list[frappe._dict]]:
	"""serial -> the open service RMAs (name, customer) holding it, of every customer: the caller
	decides what it may tell. `for_update` reads the latest committed rows (under a serial lock).
	One index lookup in the requested serials (services/returns/requested_serials.py)."""
	out: dict[str, list] = {}
	for row in requested_serials.holders(serials, for_update=for_update):
		if row.kind == "Service":
			out.setdefault(row.serial_no, []).append(
				frappe._dict(serial_no=row.serial_no, name=row.rma, customer=row.customer)
			)
	return out


def rma_type_info(rma_type: str | None) -> frappe._dict | None:
	if not rma_type:
		return None
	return frappe.db.get_value(
		"RMA Type",
		rma_type,
		["name", "type_name", "brand", "waives_proof_of_purchase", "enabled", "description"],
		as_dict=True,
	)


def rma_types(enabled_only: bool = True) -> list[frappe._dict]:
	"""The types offered on the form, each with its brand restriction and proof rule."""
	return frappe.get_all(
		"RMA Type",
		filters={"enabled": 1} if enabled_only else {},
		fields=["name", "type_name", "brand", "waives_proof_of_purchase", "description"],
		order_by="type_name asc",
	)


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
	# fault types are records: their names in the user's language come from the Translation list
	out["fault_type_labels"] = {name: _(name) for name in out["fault_types"]}
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


# A part of a number is looked for in the customer's newest SEARCH_DEPTH requests: no index serves
# "contains", so that search reads every request it looks at (all 8,514 of the 200,000-line benchmark
# customer's: 27 ms, growing with the history; 500 of them on the index alone: about 1.5 ms). The
# whole number is found among all of them through an index: the RMA number, the own RMA number, the
# reference, a line's serial number. /service says so when nothing is found.
SEARCH_DEPTH = 500


def search_rmas(customer: str, text: str, limit: int = 20) -> list[dict]:
	"""The customer's RMAs whose number, own RMA number / reference, or a line's serial number is
	`text` (any of their requests) or contains it (the newest SEARCH_DEPTH), newest first; `text` has
	at least 2 characters."""
	text = (text or "").strip()
	if len(text) < 2:
		return []
	return frappe.db.sql(
		_SEARCH,
		{
			"customer": customer,
			"text": text,
			"part": like_pattern(text),
			"depth": SEARCH_DEPTH,
			"limit": max(1, min(cint(limit), 100)),
		},
		as_dict=True,
	)


# search_rmas: each whole-number match reads an index (RMA's primary key, customer_rma_no,
# customer_reference, RMA Item's serial_no); the part matches read the newest SEARCH_DEPTH requests
# and their lines' serial numbers on the indexes alone (list_indexes: customer_creation,
# parent_serial_no); then only the matches are read (straight_join: from the found names)
_SEARCH = """select rma.name, rma.kind, rma.status, rma.submitted_on, rma.customer_rma_no,
		rma.customer_reference, rma.rma_type,
		(select group_concat(distinct s.serial_no separator ', ') from `tabRMA Item` s
			where s.parent = rma.name and s.parenttype = 'RMA' and ifnull(s.serial_no, '') != '') as serials
	from (
		select name from `tabRMA` where name = %(text)s
		union select name from `tabRMA` where customer_rma_no = %(text)s
		union select name from `tabRMA` where customer = %(customer)s and customer_reference = %(text)s
		union select parent from `tabRMA Item` where serial_no = %(text)s and parenttype = 'RMA'
		union (select recent.name from (
			select name, creation, customer_rma_no, customer_reference from `tabRMA`
			where customer = %(customer)s and docstatus < 2 order by creation desc limit %(depth)s) recent
		where recent.name like %(part)s or recent.customer_rma_no like %(part)s
			or recent.customer_reference like %(part)s
			or exists (select 1 from `tabRMA Item` i where i.parent = recent.name and i.parenttype = 'RMA'
				and i.serial_no like %(part)s)
		order by recent.creation desc limit %(limit)s)
	) found
	straight_join `tabRMA` rma on rma.name = found.name
	where rma.customer = %(customer)s and rma.docstatus < 2
	order by rma.creation desc
	limit %(limit)s"""


def service_detail(customer: str, name: str) -> dict:
	"""The service fields of one RMA of the customer (for /rma/view); PermissionError otherwise."""
	doc = frappe.db.get_value("RMA", name, ["name", "customer", "kind", *SERVICE_FIELDS], as_dict=True)
	if not doc or doc.customer != customer:
		# never echo the URL input
		frappe.throw(_("This RMA was not found among your requests."), frappe.PermissionError)
	doc.lines = frappe.get_all(
		"RMA Item",
		filters={"parent": name, "parenttype": "RMA"},
		fields=list(SERVICE_LINE_FIELDS),
		order_by="idx asc",
	)
	doc.attachments = frappe.get_all(
		"RMA Attachment",
		filters={"parent": name, "parenttype": "RMA"},
		fields=list(SERVICE_ATTACHMENT_FIELDS),
		order_by="idx asc",
	)
	return doc


def attachment_content(customer: str, rma: str, row: str) -> tuple[str, bytes]:
	"""(file name, bytes) of an attachment row of the customer's RMA."""
	detail = service_detail(customer, rma)
	match = next((a for a in detail.attachments if a.name == row), None)
	if not match:
		frappe.throw(_("This attachment was not found."), frappe.PermissionError)
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
