"""Whitelisted portal methods for service RMAs (SPEC §1, seed 000).

Every method resolves the caller's customer (PermissionError for guests and users without one) and
checks access before it calls rma_portal.services.service.service_rma. Uploads arrive as multipart form
posts; they are read with a size limit, type-checked by content in the service, and stored as
private Files attached to the RMA only once the request is valid.
"""

from urllib.parse import quote

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import download_url, fields_arg, per_user_limit, rows_arg, send_file
from rma_portal.domain.uploads import MAX_ATTACHMENT_BYTES, MAX_CSV_BYTES, file_kind, safe_file_name
from rma_portal.services.service import service_csv, service_rma

# multipart field name -> RMA Attachment kind
UPLOAD_FIELDS = {"proof_of_purchase": "Proof of purchase", "photo": "Photo", "other": "Other"}


def _read(storage, limit: int) -> dict:
	"""An uploaded file as {file_name, content}; a file over `limit` is cut at limit + 1 bytes so the
	service reports it as too large without the whole upload being kept in memory."""
	return {"file_name": safe_file_name(storage.filename), "content": storage.stream.read(limit + 1)}


def _uploads(field: str, limit: int) -> list[dict]:
	request = getattr(frappe.local, "request", None)
	files = getattr(request, "files", None) if request else None
	if not files:
		return []
	return [_read(storage, limit) for storage in files.getlist(field) if storage and storage.filename]


def _json_safe(value):
	if isinstance(value, dict):
		return {k: _json_safe(v) for k, v in value.items() if k not in ("product", "bought")}
	if isinstance(value, list | tuple):
		return [_json_safe(v) for v in value]
	if hasattr(value, "isoformat"):
		return value.isoformat()
	return value


def view_url(name: str) -> str:
	return "/rma/view?name=" + quote(name, safe="")


def attachment_url(rma: str, row: str) -> str:
	return download_url("service.download_attachment", rma=rma, row=row)


@frappe.whitelist(methods=["POST"])
def submit_request(header: str | dict | None = None, lines: str | list | None = None) -> dict:
	"""Create a service RMA from the form: header and lines as JSON, files as multipart fields
	proof_of_purchase / photo / other. Returns {"ok": True, name, url} or {"ok": False, errors}."""
	customer = access.customer_for("rma.create")
	header = fields_arg(header, "header")
	lines = rows_arg(lines, "lines")
	attachments = [
		dict(upload, kind=kind)
		for field, kind in UPLOAD_FIELDS.items()
		for upload in _uploads(field, MAX_ATTACHMENT_BYTES)
	]
	service = service_rma
	try:
		name = service.create_service_rma(customer, frappe.session.user, header, lines, attachments)
	except service.ServiceRequestError as e:
		return {"ok": False, "errors": e.errors}
	# the request's page thanks the dealer once (sent=1), as a return's does
	return {"ok": True, "name": name, "url": view_url(name) + "&sent=1"}


@frappe.whitelist(methods=["GET", "POST"])
@per_user_limit()
@frappe.read_only()
def check_ean(ean: str) -> dict:
	"""Warranty check by EAN (from the customer's last purchase) and what the form needs to know."""
	customer = access.customer_for("rma.read")
	return _json_safe(service_rma.warranty_check(customer, ean))


def _visible(customer: str, rows: list) -> list:
	"""The RMAs of `rows` the caller may see (access.raised_by_filter: the supervisor rule)."""
	users = access.raised_by_filter("rma.read", customer)
	if users is None or not rows:
		return rows
	names = [row["name"] for row in rows]
	mine = set(
		frappe.get_all("RMA", filters={"name": ["in", names], "portal_user": ["in", users]}, pluck="name")
	)
	return [row for row in rows if row["name"] in mine]


@frappe.whitelist(methods=["GET", "POST"])
@per_user_limit()
@frappe.read_only()
def lookup_serial(serial_no: str) -> dict:
	customer = access.customer_for("rma.read")
	result = service_rma.serial_lookup(customer, serial_no)
	if result.get("requests"):
		result["requests"] = _visible(customer, result["requests"])
	for row in result.get("requests") or []:
		row["url"] = view_url(row["name"])
	return _json_safe(result)


@frappe.whitelist(methods=["GET", "POST"])
@per_user_limit()
@frappe.read_only()
def search(text: str) -> list:
	"""The caller's RMAs by RMA number, serial number or own RMA number."""
	customer = access.customer_for("rma.read")
	rows = _visible(customer, service_rma.search_rmas(customer, text))
	for row in rows:
		row["url"] = view_url(row["name"])
	return _json_safe(rows)


@frappe.whitelist(methods=["POST"])
def import_csv(rma_type: str | None = None, csv_text: str | None = None) -> dict:
	"""Import up to 30 requests from the uploaded `csv` file (or `csv_text`), with an optional
	`proof_of_purchase` file that is attached to every request created.

	Returns {"ok": False, errors} (nothing saved), {"ok": True, created} for small files, or
	{"ok": True, "queued": True, token} when the file has more than 10 rows: the page then polls
	import_status(token)."""
	customer = access.customer_for("rma.create")
	uploads = _uploads("csv", MAX_CSV_BYTES)
	if uploads:
		upload = uploads[0]
		if len(upload["content"]) > MAX_CSV_BYTES:
			return _file_error(_("File: larger than {0} KB").format(MAX_CSV_BYTES // 1024))
		if not file_kind(upload["file_name"], upload["content"], ("csv",)):
			return _file_error(_("File: {0} is not a CSV file").format(upload["file_name"]))
		data = upload["content"]
	elif csv_text:
		data = csv_text.encode("utf-8")
		if len(data) > MAX_CSV_BYTES:
			return _file_error(_("File: larger than {0} KB").format(MAX_CSV_BYTES // 1024))
	else:
		return _file_error(_("File: choose a CSV file"))
	proofs = _uploads("proof_of_purchase", MAX_ATTACHMENT_BYTES)
	proof = proofs[0] if proofs else None
	errors, groups = service_csv.check_service_csv(customer, data, rma_type, proof)
	if errors:
		return {"ok": False, "errors": errors, "created": []}
	rows = sum(len(g["rows"]) for g in groups)
	if rows > service_csv.CSV_BACKGROUND_ROWS:
		token = service_csv.enqueue_service_csv(customer, frappe.session.user, data, rma_type, proof=proof)
		return {"ok": True, "queued": True, "token": token, "rows": rows}
	result = service_csv.import_service_csv(customer, frappe.session.user, data, rma_type, proof=proof)
	return _with_urls(result)


def _file_error(message: str) -> dict:
	return {"ok": False, "errors": [{"row": None, "column": None, "message": message}], "created": []}


def _with_urls(result: dict) -> dict:
	for row in result.get("created") or []:
		row["url"] = view_url(row["name"])
	return result


@frappe.whitelist(methods=["GET", "POST"])
def import_status(token: str) -> dict:
	"""Progress and result of the caller's background import."""
	access.customer_for("rma.create")
	state = service_csv.import_status(token, frappe.session.user)
	if not state:
		frappe.throw(_("This import was not found."), frappe.PermissionError)
	state = dict(state)
	state.pop("user", None)
	return _with_urls(state)


@frappe.whitelist(methods=["GET"])
def download_attachment(rma: str, row: str):
	"""A photo or proof of purchase of one of the caller's service RMAs."""
	customer = access.customer_for("rma.read")
	file_name, content = service_rma.attachment_content(customer, rma, row)
	send_file(file_name, content)


@frappe.whitelist(methods=["GET"])
def csv_template():
	"""The CSV import template: header row in the caller's language and an example row."""
	customer = access.customer_for("rma.create")
	send_file(_("service-requests") + ".csv", service_csv.template(customer=customer))


@frappe.whitelist(methods=["GET"])
@frappe.read_only()
def rma_types() -> list:
	access.customer_for("rma.create")
	return [
		{
			"name": t.name,
			"label": _(t.type_name),
			"brand": t.brand,
			"proof": 0 if t.waives_proof_of_purchase else 1,
		}
		for t in service_rma.rma_types()
	]


@frappe.whitelist(methods=["POST"])
def answer_repair_quote(name: str, answer: str) -> dict:
	"""The dealer's answer to a service request's repair quote: "accept" or "decline"."""
	from rma_portal.api.returns import customer_of_rma
	from rma_portal.services.service import service_desk

	customer = customer_of_rma((name or "").strip())
	access.check("rma.create", customer)
	if answer not in ("accept", "decline"):
		frappe.throw(_("Answer: accept or decline."), frappe.ValidationError)
	result = service_desk.answer_repair_quote(customer, name.strip(), answer == "accept", frappe.session.user)
	return {"name": name, "repair_quote_status": result.status, "changed": result.changed}


@frappe.whitelist(methods=["GET"])
@per_user_limit(limit=20)
@frappe.read_only()
def export_requests(
	status: str | None = None,
	rma_type: str | None = None,
	brand: str | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	search: str | None = None,
):
	"""The caller's service requests with the /service page's filters, as a CSV file."""
	from rma_portal.services.service import service_list

	customer = access.customer_for("rma.read")
	filters = {
		"status": status,
		"rma_type": rma_type,
		"brand": brand,
		"from_date": from_date,
		"to_date": to_date,
		"search": search,
	}
	send_file(
		_("service-requests") + ".csv",
		service_list.export_csv(customer, filters, raised_by=access.raised_by_filter("rma.read", customer)),
	)
