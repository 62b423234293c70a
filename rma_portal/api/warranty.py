"""Whitelisted methods for warranty claims (SPEC §2): the portal's and the desk buttons'.

Portal methods resolve the caller's customer and check access first (access.check), then call
rma_portal.services.warranty.warranty_claims; a claim of another customer gets the same PermissionError as
one that does not exist. Desk methods check write permission on the claim first.
"""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import cint, format_datetime, formatdate, getdate

from rma_portal import access
from rma_portal.api import page_arg, per_user_limit, send_file, text_arg
from rma_portal.domain import transitions
from rma_portal.services.shared import history_notes
from rma_portal.services.warranty import warranty_claims as claims

DOCTYPE = claims.DOCTYPE
PAGE_SIZE = 20
# what get_claim tells a portal user (not the internal links, owners or staff users)
PUBLIC_FIELDS = (
	"name",
	"status",
	"customer",
	"customer_name",
	"submitted_on",
	"handling_date",
	"goods_received",
	"goods_received_on",
	"item_code",
	"item_name",
	"serial_no",
	"sales_invoice",
	"purchase_date",
	"description",
	"remark",
	"decision_note",
	"credit_document",
	"rma",
)


def view_url(name: str) -> str:
	return "/warranty/view?name=" + quote(name, safe="")


def customer_of_claim(name: str) -> str:
	"""The claim's customer, if the caller may read it (its customer's portal user, or staff)."""
	access.require_login()
	claim = frappe.db.get_value(DOCTYPE, name, ["customer", "portal_user"], as_dict=True) if name else None
	customer = claim.customer if claim else None
	if not customer or not access.sees_raised_by("warranty.read", customer, claim.portal_user):
		frappe.throw(_("You are not allowed to see this warranty claim."), frappe.PermissionError)
	return customer


# Portal
# ------


@frappe.whitelist(methods=["GET"])
@frappe.read_only()
def get_form_options() -> dict:
	"""What the claim form offers: the caller's purchased items (their invoices: item_invoices) and the
	upload limits."""
	customer = access.customer_for("warranty.create")
	return {
		"items": claims.purchased_items(customer),
		"allowed_extensions": list(claims.ALLOWED_EXTENSIONS),
		"max_file_mb": claims.MAX_FILE_BYTES // (1024 * 1024),
		"max_files": claims.MAX_FILES,
	}


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def item_invoices(item_code: str | None = None) -> list[dict]:
	"""The caller's latest invoices of one item they bought (for the claim form's invoice choice)."""
	customer = access.customer_for("warranty.create")
	item_code = (text_arg(item_code, "item_code") or "").strip()
	return claims.item_invoices(customer, item_code) if item_code else []


@frappe.whitelist(methods=["POST"])
def submit_claim(
	item_code: str | None = None,
	description: str | None = None,
	serial_no: str | None = None,
	sales_invoice: str | None = None,
	purchase_date: str | None = None,
) -> dict:
	"""File a claim for the caller's customer. Sent as multipart/form-data: the fields above plus the
	photos / documents as `files` (JPG, PNG or PDF, at most 10 MB each), stored privately."""
	customer = access.customer_for("warranty.create")
	files = []
	request_files = getattr(frappe.request, "files", None) if getattr(frappe, "request", None) else None
	for storage in request_files.getlist("files") if request_files else []:
		if not storage or not storage.filename:
			continue
		# read one byte more than allowed, so an oversized file is recognised without reading it all
		content = storage.stream.read(claims.MAX_FILE_BYTES + 1)
		files.append({"filename": storage.filename, "content": content})
	name = claims.create_claim(
		customer,
		frappe.session.user,
		item_code,
		description,
		serial_no=serial_no,
		sales_invoice=sales_invoice,
		purchase_date=(purchase_date or "").strip() or None,
		files=files,
	)
	return {"name": name, "url": view_url(name)}


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_claims(
	page: str | int = 1,
	status: str | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	brand: str | None = None,
) -> dict:
	"""One page of the caller's claims, newest first, with their documents."""
	customer = access.customer_for("warranty.read")
	result = claims.list_claims(
		customer,
		page=page_arg(page),
		page_size=PAGE_SIZE,
		raised_by=access.raised_by_filter("warranty.read", customer),
		**list_filter_args(status, from_date, to_date, brand),
	)
	for row in result["rows"]:
		row["url"] = view_url(row["name"])
		row["submitted_display"] = format_datetime(row.submitted_on, "dd-MM-yyyy") if row.submitted_on else ""
		row["handling_display"] = formatdate(row.handling_date) if row.handling_date else ""
	return result


@frappe.whitelist(methods=["GET"])
@per_user_limit()
def get_claim(name: str) -> dict:
	"""One claim of the caller's customer (or any claim, for staff) with its documents and history."""
	customer = customer_of_claim(name)
	claim = claims.claim_detail(customer, name)
	out = {field: claim.get(field) for field in PUBLIC_FIELDS}
	for field in ("description", "remark", "decision_note"):  # as typed; the caller escapes
		out[field] = claims.display_text(out[field]) or None
	out["status_log"] = [
		{"status": row.status, "changed_on": row.changed_on, "note": history_notes.render(row)}
		for row in claim.status_log
	]
	out["documents"] = claim["documents"]
	out["url"] = view_url(name)
	return out


@frappe.whitelist(methods=["GET"])
def download(name: str, kind: str = "claim", ref: str | None = None):
	"""A document of a claim: kind = claim (the claim PDF), response, attachment (ref = the row),
	credit (the credit Sales Invoice as PDF) or credit_file. Only for the claim's customer and staff."""
	customer_of_claim(name)
	if kind not in ("claim", "response", "attachment", "credit", "credit_file"):
		raise frappe.DoesNotExistError(_("Unknown document."))
	filename, content = claims.document_content(name, kind, ref)
	send_file(filename, content)


# Desk actions (buttons in customer_warranty_claim.js)
# ------------------------------------------------------


def _check_staff(name: str):
	frappe.has_permission(DOCTYPE, "write", name, throw=True)


def _result(doc) -> dict:
	return {"name": doc.name, "status": doc.status, "goods_received": doc.goods_received}


@frappe.whitelist(methods=["POST"])
def start_processing(name: str, note: str | None = None) -> dict:
	_check_staff(name)
	return _result(claims.start_processing(name, note))


@frappe.whitelist(methods=["POST"])
def grant(
	name: str,
	note: str | None = None,
	credit_document: str | None = None,
	credit_document_file: str | None = None,
) -> dict:
	_check_staff(name)
	return _result(claims.grant(name, note, credit_document, credit_document_file))


@frappe.whitelist(methods=["POST"])
def refuse(name: str, note: str, supplier_response: str | None = None) -> dict:
	_check_staff(name)
	return _result(claims.refuse(name, note, supplier_response))


@frappe.whitelist(methods=["POST"])
def set_goods_received(name: str, received: int | str = 1) -> dict:
	_check_staff(name)
	return _result(claims.set_goods_received(name, bool(cint(received))))


@frappe.whitelist(methods=["POST"])
@per_user_limit(limit=10)
def appeal_claim(name: str, reason: str | None = None) -> dict:
	"""Appeal a refused claim once, with a reason and new files (multipart `files`)."""
	customer = customer_of_claim((name or "").strip())
	access.check("warranty.create", customer)
	request_files = getattr(frappe.request, "files", None) if getattr(frappe, "request", None) else None
	files = [
		{"filename": storage.filename, "content": storage.stream.read(claims.MAX_FILE_BYTES + 1)}
		for storage in (request_files.getlist("files") if request_files else [])
		if storage and storage.filename
	]
	doc = claims.appeal(customer, name.strip(), frappe.session.user, text_arg(reason, "reason") or "", files)
	return {"name": doc.name, "status": doc.status, "url": view_url(doc.name)}


def list_filter_args(status=None, from_date=None, to_date=None, brand=None) -> dict:
	"""The list's filters checked: a wrong one is a 417 naming its field."""
	status = (text_arg(status, "status") or "").strip() or None
	if status and status not in transitions.statuses(transitions.WARRANTY_CLAIM):
		frappe.throw(_("Status: {0} is not a status of a warranty claim.").format(status))
	out = {"status": status, "brand": (text_arg(brand, "brand") or "").strip() or None}
	for field, label, value in (("from_date", _("From"), from_date), ("to_date", _("To"), to_date)):
		value = (text_arg(value, field) or "").strip()
		try:
			out[field] = getdate(value) if value else None
		except Exception:
			frappe.throw(_("{0}: {1} is not a date; write it like 2026-01-31.").format(label, value))
	return out


@frappe.whitelist(methods=["GET"])
@per_user_limit(limit=20)
@frappe.read_only()
def export_claims(
	status: str | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	brand: str | None = None,
):
	"""The caller's warranty claims with the list's filters, as a CSV file."""
	customer = access.customer_for("warranty.read")
	send_file(
		_("warranty-claims") + ".csv",
		claims.export_claims(
			customer,
			raised_by=access.raised_by_filter("warranty.read", customer),
			**list_filter_args(status, from_date, to_date, brand),
		),
	)
