"""The customer's RMAs: one page of the list (searched, narrowed by type) and one RMA in detail."""

import frappe
from frappe import _
from frappe.utils import cint

from rma_portal.services.shared.query import kept, like_pattern, newest_change, page_bounds

_RMA_LIST_SQL = """
select {select}
from `tabRMA` rma
where rma.customer = %(customer)s and rma.docstatus < 2 {search}
"""


RMA_KINDS = ("Return", "Service")


def list_rmas(
	customer: str,
	search: str | None = None,
	page: int = 1,
	page_size: int = 20,
	kind: str | None = None,
	raised_by: list[str] | None = None,
) -> dict:
	"""The customer's RMAs, newest first, searched over number, own reference, item code and name;
	only returns or only service requests when `kind` is given; only those raised by `raised_by`
	when given (access.raised_by_filter: the supervisor rule)."""
	page, page_size = page_bounds(page, page_size)
	values = {"customer": customer, "limit": page_size, "offset": (page - 1) * page_size}
	condition = ""
	if raised_by is not None:
		values["raised_by"] = tuple(raised_by) or ("",)
		condition = "and rma.portal_user in %(raised_by)s "
	if kind:
		if kind not in RMA_KINDS:
			frappe.throw(_("Type: {0} is not a type of request.").format(kind), frappe.ValidationError)
		values["kind"] = kind
		condition += "and rma.kind = %(kind)s "
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
	if search:
		total = _count(condition, values)
	else:  # counting all of a customer's RMAs grows with them (8,514 index entries: 3 ms): kept
		changed = newest_change("RMA", "customer", customer)
		key = f"rma_count:{customer}:{kind}:{values.get('raised_by')}"
		total = kept(key, changed, lambda: _count(condition, values))
	return {"rows": rows, "total": cint(total), "page": page, "page_size": page_size}


def _count(condition: str, values: dict) -> int:
	return cint(frappe.db.sql(_RMA_LIST_SQL.format(select="count(*)", search=condition), values)[0][0])


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
	"fee_currency",
	"return_address",
	"documents",
	"credit_note",
	"total_credited",
	"decision_note",
)
_ITEM_FIELDS = (
	"name",
	"serial_nos",
	"batch_no",
	"idx",
	"item_code",
	"item_name",
	"customer_item_code",
	"qty_requested",
	"qty_received",
	"rate",
	"fee_amount",
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


# What /rma/view shows of a service request: its own fields, its lines' and its attachments'
# (rma_detail reads them from the document it has loaded, services/service/service_lookups.service_detail
# from the database).
SERVICE_FIELDS = (
	"rma_type",
	"customer_rma_no",
	"package_contents",
	"return_address_customer",
	# the parcel sent back and the paid repair (services/returns/outcome.py, services/service/service_desk.py)
	"outbound_carrier",
	"outbound_tracking_no",
	"outbound_tracking_url",
	"repair_quotation",
	"repair_quote_status",
	"repair_sales_order",
	"handling_charge_invoice",
)
SERVICE_LINE_FIELDS = (
	"name",
	"idx",
	"ean",
	"serial_no",
	"purchase_date",
	"warranty_end",
	"problem_description",
	"service_expectation",
	"fault_type",
	"diagnosis",
	"fault_covered",
	"repair_report",
	"outcome",
)
SERVICE_ATTACHMENT_FIELDS = ("name", "idx", "kind", "file_name", "file")


def rma_detail(customer: str, name: str) -> dict:
	"""One RMA of the customer with its lines and status history (and a service request's own fields
	under "service"); PermissionError for any other."""
	doc = None
	if name:
		try:
			doc = frappe.get_doc("RMA", name)
		except frappe.DoesNotExistError:
			frappe.clear_last_message()  # Frappe's "RMA <name> not found" would echo the URL's input
	if not doc or doc.customer != customer:
		# the same error for "not yours" and "does not exist", so numbers cannot be probed
		# The name comes from the caller (a URL parameter): never echo it back into an error page.
		frappe.throw(_("This RMA was not found among your requests."), frappe.PermissionError)
	out = frappe._dict({field: doc.get(field) for field in _DETAIL_FIELDS})
	out["items"] = [frappe._dict({f: row.get(f) for f in _ITEM_FIELDS}) for row in doc.items]
	out["status_log"] = [frappe._dict({f: row.get(f) for f in _LOG_FIELDS}) for row in doc.status_log]
	out["credit_notes"] = [
		frappe._dict({f: row.get(f) for f in _CREDIT_NOTE_FIELDS}) for row in doc.credit_notes
	]
	if doc.kind == "Service":
		service = frappe._dict(
			{field: doc.get(field) for field in ("name", "customer", "kind", *SERVICE_FIELDS)}
		)
		service.lines = [frappe._dict({f: row.get(f) for f in SERVICE_LINE_FIELDS}) for row in doc.items]
		service.attachments = [
			frappe._dict({f: row.get(f) for f in SERVICE_ATTACHMENT_FIELDS}) for row in doc.attachments
		]
		out["service"] = service
	return out
