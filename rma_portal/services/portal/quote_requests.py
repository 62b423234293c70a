"""Quote requests: the customer asks for a price on items and quantities, with a delivery option, one of
their addresses and remarks. Each request becomes one ERPNext record staff quote from: an Opportunity
(the default; staff make the Quotation from it with ERPNext's own button) or, when Customer Portal
Settings say so, a draft Quotation staff complete and submit.

Exactly one record per request: the form sends a request key made when it opened, stored in the
record's portal_request_key (a unique column, setup_data.QUOTE_REQUEST_FIELDS); a second send of the same key (double click, retry
after a lost answer) returns the first record. The customer sees each request with the quotation made
from it once staff have submitted one.

Callers check access first (api/quote_requests.py); nothing here commits.
"""

import re

import frappe
from frappe import _
from frappe.utils import cint, flt, today

from rma_portal.domain.inputs import finite_number, plain_text
from rma_portal.services.company.addresses import customer_addresses_query
from rma_portal.services.policy import credit_hold
from rma_portal.services.shared.query import like_pattern, paged_list

OPPORTUNITY = "Opportunity"
DRAFT_QUOTATION = "Draft Quotation"
DELIVERY_OPTIONS = ("Delivery", "Pickup")
PICKUP = "Pickup"  # collected at our branch: only members with the BR right choose it (api)
# What the customer reads as a request's status (request_status)
STATUSES = ("Requested", "Quoted", "Ordered", "Lost Quotation", "Closed")
MAX_LINES = 50
MAX_QTY = 1_000_000
MAX_REMARKS = 2000
SEARCH_LIMIT = 20
_KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def has_setting() -> bool:
	"""Whether Customer Portal Settings has the quote_request_creates field (a site before migrate, or
	before the settings DocType exists, has not)."""
	try:
		return frappe.get_meta("Customer Portal Settings").has_field("quote_request_creates")
	except frappe.DoesNotExistError:
		return False


def creates() -> str:
	"""What a request becomes, from Customer Portal Settings (Opportunity when not set)."""
	if not has_setting():
		return OPPORTUNITY
	value = frappe.db.get_single_value("Customer Portal Settings", "quote_request_creates")
	return DRAFT_QUOTATION if value == DRAFT_QUOTATION else OPPORTUNITY


# Reading
# -------


def search_items(text: str | None, limit: int = SEARCH_LIMIT) -> list[dict]:
	"""Sales items found by code, name or barcode (EAN), an exact barcode first."""
	text = (text or "").strip()
	if len(text) < 2:
		return []
	return frappe.db.sql(
		"""select i.item_code, i.item_name, i.stock_uom,
			(select b.barcode from `tabItem Barcode` b where b.parent = i.name and b.parenttype = 'Item'
				order by b.idx limit 1) as barcode
		from `tabItem` i
		where i.disabled = 0 and i.is_sales_item = 1 and i.has_variants = 0
			and (i.item_code like %(like)s or i.item_name like %(like)s
				or exists (select 1 from `tabItem Barcode` b where b.parent = i.name
					and b.parenttype = 'Item' and b.barcode like %(like)s))
		order by exists (select 1 from `tabItem Barcode` b where b.parent = i.name
				and b.parenttype = 'Item' and b.barcode = %(text)s) desc,
			i.item_code = %(text)s desc, i.item_code
		limit %(limit)s""",
		{"like": like_pattern(text), "text": text, "limit": cint(limit)},
		as_dict=True,
	)


def addresses(customer: str) -> list[dict]:
	"""The customer's addresses (Dynamic Link to the Customer), shipping addresses first."""
	query, address = customer_addresses_query(customer)
	columns = ("name", "address_title", "address_line1", "address_line2", "pincode", "city", "country")
	return (
		query.select(*(address[column] for column in columns), address.is_shipping_address)
		.orderby(address.is_shipping_address, order=frappe.qb.desc)
		.orderby(address.name)
	).run(as_dict=True)


_LIST_SQL = """
select {select} from (
	select 'Opportunity' as record_type, o.name, o.owner, o.transaction_date, o.creation, o.status as record_status,
		o.portal_delivery_option as delivery_option, o.customer_address as address, 0 as docstatus,
		(select count(*) from `tabOpportunity Item` oi where oi.parent = o.name
			and oi.parenttype = 'Opportunity') as line_count,
		(select q.name from `tabQuotation` q where q.opportunity = o.name and q.docstatus = 1
			order by q.creation desc limit 1) as quotation
	from `tabOpportunity` o
	where o.opportunity_from = 'Customer' and o.party_name = %(customer)s
		and o.portal_request_key is not null
	union all
	select 'Quotation', q.name, q.owner, q.transaction_date, q.creation, q.status, q.portal_delivery_option,
		coalesce(q.shipping_address_name, q.customer_address), q.docstatus,
		(select count(*) from `tabQuotation Item` qi where qi.parent = q.name and qi.parenttype = 'Quotation'),
		case when q.docstatus = 1 then q.name end
	from `tabQuotation` q
	where q.quotation_to = 'Customer' and q.party_name = %(customer)s
		and q.portal_request_key is not null and q.docstatus < 2
) r
{condition}"""
_SELECT = """r.*, (select q.status from `tabQuotation` q where q.name = r.quotation) as quotation_status,
	(select q.valid_till from `tabQuotation` q where q.name = r.quotation) as valid_till"""


def request_status(row) -> str:
	"""What the customer reads: Requested until a quotation is submitted, then the quotation's state."""
	if row.get("quotation"):
		if row.get("quotation_status") == "Ordered":
			return "Ordered"
		if row.get("quotation_status") == "Lost":
			return "Lost Quotation"
		return "Quoted"
	if row.get("record_type") == "Opportunity" and row.get("record_status") in ("Lost", "Closed"):
		return "Closed"
	return "Requested"


def list_requests(
	customer: str, page: int = 1, page_size: int = 20, raised_by: list[str] | None = None
) -> dict:
	"""The customer's requests, newest first; only those raised by `raised_by` (users) when given (the
	supervisor rule of the access point)."""
	values = {"customer": customer}
	condition = ""
	if raised_by is not None:
		values["raised_by"] = list(raised_by) or [""]
		condition = "where r.owner in %(raised_by)s"
	result = paged_list(
		_LIST_SQL, _SELECT, condition, "r.creation desc, r.name desc", values, page, page_size
	)
	for row in result["rows"]:
		row["status"] = request_status(row)
		row.pop("owner", None)
	return result


def request_lines(rows: list[dict]) -> dict[str, list[dict]]:
	"""The item lines of the page's requests (Opportunities and Quotations), in one query:
	{record name: [lines]}."""
	opportunities = [r["name"] for r in rows if r["record_type"] == "Opportunity"] or [""]
	quotations = [r["name"] for r in rows if r["record_type"] == "Quotation"] or [""]
	out = {}
	for row in frappe.db.sql(
		"""select parent, item_code, item_name, qty, uom, idx from `tabOpportunity Item`
			where parenttype = 'Opportunity' and parent in %(opportunities)s
		union all
		select parent, item_code, item_name, qty, uom, idx from `tabQuotation Item`
			where parenttype = 'Quotation' and parent in %(quotations)s
		order by parent, idx""",
		{"opportunities": opportunities, "quotations": quotations},
		as_dict=True,
	):
		out.setdefault(row.parent, []).append(row)
	return out


# Writing
# -------


def selling_prices(codes: list[str]) -> dict[str, float]:
	"""The default selling price list's prices of the items, as a first rate staff can change."""
	price_list = frappe.db.get_single_value("Selling Settings", "selling_price_list")
	if not price_list or not codes:
		return {}
	rows = frappe.get_all(
		"Item Price",
		filters={"price_list": price_list, "item_code": ("in", codes), "customer": ("is", "not set")},
		fields=["item_code", "price_list_rate"],
	)
	return {row.item_code: flt(row.price_list_rate) for row in rows}


def existing(customer: str, request_key: str) -> tuple[str, str] | None:
	"""(doctype, name) of the customer's record already made for this request key."""
	for doctype, party_field in (("Opportunity", "party_name"), ("Quotation", "party_name")):
		name = frappe.db.get_value(
			doctype, {"portal_request_key": request_key, party_field: customer}, "name"
		)
		if name:
			return doctype, name
	return None


def request_errors(customer: str, request_key, lines, delivery_option, address, remarks) -> list[str]:
	"""Every reason the request cannot be sent, each naming its field; empty when it can."""
	errors = []
	if not request_key or not _KEY.match(request_key):
		errors.append(_("Request key: please reload the page and send the request again."))
	if not lines:
		errors.append(_("Items: please add at least one item."))
	elif len(lines) > MAX_LINES:
		errors.append(_("Items: at most {0} lines per request.").format(MAX_LINES))
	else:
		codes = [str(line.get("item_code") or "").strip() for line in lines]
		known = {
			row.name: row.stock_uom
			for row in frappe.get_all(
				"Item",
				filters={"name": ("in", [c for c in codes if c]), "disabled": 0, "is_sales_item": 1},
				fields=["name", "stock_uom"],
			)
		}
		whole = set(
			frappe.get_all(
				"UOM",
				filters={"name": ("in", list(set(known.values())) or [""]), "must_be_whole_number": 1},
				pluck="name",
			)
		)
		for n, (code, line) in enumerate(zip(codes, lines, strict=True), start=1):
			if not code:
				errors.append(_("Line {0}: please choose an item.").format(n))
			elif code not in known:
				errors.append(_("Line {0}: {1} is not an item we sell.").format(n, code))
			qty = finite_number(line.get("qty"))
			if qty is None or qty <= 0:
				errors.append(_("Line {0}: the quantity must be a number above 0.").format(n))
			elif qty > MAX_QTY:
				errors.append(_("Line {0}: the quantity is larger than {1}.").format(n, MAX_QTY))
			elif code in known and known[code] in whole and qty != int(qty):
				errors.append(_("Line {0}: {1} is sold in whole numbers.").format(n, code))
	if delivery_option not in DELIVERY_OPTIONS:
		errors.append(_("Delivery: please choose delivery or pickup."))
	if delivery_option == "Delivery" and not address:
		errors.append(_("Delivery address: please choose one of your addresses."))
	if address and address not in {row.name for row in addresses(customer)}:
		errors.append(_("Delivery address: {0} is not one of your addresses.").format(address))
	if remarks and len(remarks) > MAX_REMARKS:
		errors.append(_("Remarks: at most {0} characters.").format(MAX_REMARKS))
	return errors


def create_request(
	customer: str,
	request_key: str | None,
	lines: list[dict],
	delivery_option: str | None,
	address: str | None = None,
	remarks: str | None = None,
) -> tuple[str, str, bool]:
	"""The customer's request as one Opportunity or draft Quotation: (doctype, name, made now)."""
	request_key = (request_key or "").strip()
	delivery_option = (delivery_option or "").strip()
	address = (address or "").strip() or None
	remarks = plain_text(remarks or "").strip() or None
	if request_key and _KEY.match(request_key) and (found := existing(customer, request_key)):
		return (*found, False)
	credit_hold.check(customer, credit_hold.rules.QUOTE_REQUEST)
	errors = request_errors(customer, request_key, lines, delivery_option, address, remarks)
	if errors:
		frappe.throw(errors, exc=frappe.ValidationError, title=_("Please correct the request"), as_list=True)
	doc = _new_request_doc(
		{
			"party_name": customer,
			"company": frappe.defaults.get_global_default("company"),
			"transaction_date": today(),
			"customer_address": address,
			"portal_request_key": request_key,
			"portal_delivery_option": delivery_option,
			"portal_remarks": remarks,
			"items": _request_items(lines),
		}
	)
	frappe.db.savepoint("quote_request")
	try:
		doc.insert(ignore_permissions=True)
	except (frappe.UniqueValidationError, frappe.DuplicateEntryError):
		# the same request sent twice at once: the other send made it
		frappe.db.rollback(save_point="quote_request")
		found = existing(customer, request_key)
		if not found:
			raise
		return (*found, False)
	return doc.doctype, doc.name, True


def _request_items(lines: list[dict]) -> list[dict]:
	"""The requested lines at the selling price list's rates, in the items' stock units."""
	codes = [str(line["item_code"]).strip() for line in lines]
	prices = selling_prices(codes)
	uoms = dict(
		frappe.get_all("Item", filters={"name": ("in", codes)}, fields=["name", "stock_uom"], as_list=True)
	)
	return [
		{
			"item_code": code,
			"qty": flt(finite_number(line["qty"])),
			"uom": uoms.get(code),
			"rate": prices.get(code, 0),
		}
		for code, line in zip(codes, lines, strict=True)
	]


def _new_request_doc(common: dict):
	"""A draft Quotation or an Opportunity (the setting says which), not inserted."""
	if creates() == DRAFT_QUOTATION:
		doc = frappe.get_doc(
			{"doctype": "Quotation", "quotation_to": "Customer", "order_type": "Sales", **common}
		)
		doc.shipping_address_name = common["customer_address"]
		# the caller checked the customer; ERPNext's party lookups would ask desk permissions
		doc.flags.ignore_permissions = True
		doc.run_method("set_missing_values")
		doc.run_method("calculate_taxes_and_totals")
		return doc
	return frappe.get_doc(
		{"doctype": "Opportunity", "opportunity_from": "Customer", "status": "Open", **common}
	)
