"""Service requests from a CSV file (SPEC §1): up to 30 requests, all saved or none.

The file is read as European spreadsheet programs write it (domain.csv_rows: separator, code
page, the user's date format, choices in the user's language); then every row goes through the
same rules as the form (services.service_rules.check_request). Every problem of every row is
reported in one pass, each once, naming the spreadsheet row and the column.

Grouping rule: rows with the same own RMA number become one RMA (lines in file order); rows
without one become one RMA each. Every row is one unit (the format has no quantity column). The
proof of purchase uploaded with the file is attached to every RMA.

Queues: an import runs on its own queue (IMPORT_QUEUE) so it never waits behind the document jobs
of an earlier file, and the documents of all the RMAs of one import are made in one job.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_user_date_format, getdate, today

from rma_portal.domain import dates
from rma_portal.domain.csv_rows import COLUMN_LABELS, COLUMNS, REASONS, CsvLocale, parse_service_csv
from rma_portal.domain.spreadsheet import csv_bytes
from rma_portal.services.policy import credit_hold
from rma_portal.services.service import service_rma
from rma_portal.services.service import service_rules as rules
from rma_portal.services.service.service_rma import IMPORT_JOB, IMPORT_QUEUE
from rma_portal.services.shared import history_notes

CSV_BACKGROUND_ROWS = 10  # more rows than this: the import runs as a background job
# CSV column -> line field, for the rows' values
LINE_FIELD_OF = {column: field for field, column in rules.CSV_COLUMN_OF.items()}


def csv_locale() -> CsvLocale:
	"""How the current user writes dates and choices."""
	return CsvLocale(
		language=frappe.local.lang or "en",
		date_format=get_user_date_format(),
		match_expectation=rules.expectation_matcher(),
		expectation_names=rules.expectation_names(),
	)


def parse_error(e) -> dict:
	"""A domain.csv_rows.RowError as the error table shows it, translated."""
	reason = _(REASONS[e.code]).format(*e.args)
	if e.row is None:
		message = reason
	elif e.column:
		message = _("Row {0} — {1}: {2}").format(e.row, _(COLUMN_LABELS[e.column]), reason)
	else:
		message = _("Row {0}: {1}").format(e.row, reason)
	return {
		"row": e.row,
		"line": None,
		"field": None,
		"column": e.column,
		"message": message,
		"reason": reason,
	}


def check_service_csv(
	customer: str, data: bytes, rma_type: str | None, proof: dict | None = None, on: date | None = None
) -> tuple[list[dict], list[dict]]:
	"""(errors, groups) of a CSV file: parse and rule errors, each with row and column, one per problem."""
	on = getdate(on or today())
	parsed = parse_service_csv(data or b"", on, csv_locale())
	errors = [parse_error(e) for e in parsed.errors]
	rows = parsed.rows
	lines = [
		{
			"ean": r.ean,
			"qty": 1,
			"serial_no": r.serial_no,
			"purchase_date": r.sale_date,
			"problem_description": r.problem,
			"service_expectation": r.expectation,
			"fault_type": r.fault_type,
			# a cell the parse already refused is not reported again by the rules
			"skip": [LINE_FIELD_OF[column] for column in r.bad if column in LINE_FIELD_OF],
		}
		for r in rows
	]
	attachments = [dict(proof, kind=rules.PROOF)] if proof else []
	rule_errors, clean, ctx = rules.check_request(
		customer, lines, rma_type, attachments, rows=[r.row_number for r in rows], on=on
	)
	# rows become separate requests: the per-request line count does not apply, and the file's row
	# count is the parse's message
	errors.extend(e for e in rule_errors if e["field"] != "lines")
	errors.sort(key=lambda e: (e["row"] is not None, e["row"] or 0, _column_order(e["column"])))
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


def _column_order(column: str | None) -> int:
	return COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)


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
	credit_hold.check(customer, credit_hold.rules.SERVICE)
	errors, groups = check_service_csv(customer, data, rma_type, proof)
	if errors:
		return {"ok": False, "errors": errors, "created": []}
	header = dict(header or {})
	if not (header.get("return_address_customer") or "").strip():
		# one customer, one address: found once, not per request (rendering it took 40% of an import)
		header["return_address_customer"] = service_rma.default_return_address(customer)
	attachments = [dict(proof, kind=rules.PROOF)] if proof else []
	created = []
	frappe.db.savepoint("rma_service_csv")
	try:
		all_lines = [line for group in groups for line in group["lines"]]
		held = service_rma.lock_and_recheck_serials(customer, all_lines)
		if held:
			frappe.db.rollback(save_point="rma_service_csv")
			rows = [row for group in groups for row in group["rows"]]
			return {"ok": False, "errors": _with_rows(held, rows), "created": []}
		for done, group in enumerate(groups, start=1):
			name = service_rma.insert_service_rma(
				customer,
				user,
				dict(header, customer_rma_no=group["customer_rma_no"]),
				group["lines"],
				group["type_info"],
				attachments,
				history_notes.note("service_imported", ", ".join(str(r) for r in group["rows"])),
			)
			created.append({"name": name, "customer_rma_no": group["customer_rma_no"], "rows": group["rows"]})
			if progress:
				progress(done, len(groups))
	except Exception:
		frappe.db.rollback(save_point="rma_service_csv")
		raise
	service_rma.enqueue_documents([c["name"] for c in created])
	return {"ok": True, "errors": [], "created": created}


def _with_rows(errors: list[dict], rows: list[int]) -> list[dict]:
	"""Errors found per line (1-based over the whole file's lines) told with their CSV row."""
	out = []
	for e in errors:
		row = rows[e["line"] - 1] if e.get("line") else None
		out.append(rules.error(e["field"], e["reason"], line=e["line"], row=row))
	return out


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
	credit_hold.check(customer, credit_hold.rules.SERVICE)  # at once, not only in the job
	token = frappe.generate_hash(length=16)
	_set_status(token, {"user": user, "status": "queued", "percent": 0})
	frappe.enqueue(
		IMPORT_JOB,
		queue=IMPORT_QUEUE,
		timeout=900,
		now=bool(frappe.flags.in_test),
		token=token,
		customer=customer,
		user=user,
		data=data,
		rma_type=rma_type,
		proof=proof,
		header=header,
		lang=frappe.local.lang,
	)
	return token


def run_service_csv_job(token, customer, user, data, rma_type, proof=None, header=None, lang=None):
	"""Background job: the import with progress (realtime + the cached state the page polls).

	The job runner commits after it returns (and rolls back if it raises); the final state is
	stored after that commit, so "done" is only reported for requests that were saved. Messages
	are in the language of the user who uploaded the file."""
	frappe.set_user(user)
	if lang:
		frappe.local.lang = lang

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


def template(on: date | None = None, customer: str | None = None) -> bytes:
	"""A CSV template for the user: the header row in their language and one example row, with the
	separator and date format their spreadsheet program uses (UTF-8 with BOM, which Excel opens).
	The example is one of the customer's own purchases still in support, so it imports as it is."""
	on = getdate(on or today())
	separator = "," if (frappe.local.lang or "en").split("-")[0] == "en" else ";"
	example = (customer and example_purchase(customer, on)) or frappe._dict(
		ean="4006381333931", bought_on=on, fault_type=""
	)
	header = [_(COLUMN_LABELS[c]) for c in COLUMNS]
	example_row = [
		"R-1001",
		example.ean,
		"",
		dates.example(get_user_date_format(), getdate(example.bought_on)),
		_("The display stays dark after switching on"),
		_("Repair"),
		_(example.fault_type) if example.fault_type else "",
	]
	return csv_bytes([header, example_row], delimiter=separator)


def example_purchase(customer: str, on: date) -> frappe._dict | None:
	"""The customer's latest purchase of an item with an EAN, a support period still running and no
	serial number required: EAN, purchase date and the item's first fault type (when it has any)."""
	from rma_portal.services.service import service_lookups

	rows = frappe.db.sql(
		"""select ib.barcode as ean, pi.item_code, pi.last_purchase as bought_on, i.warranty_period
		from `tabRMA Purchased Item` pi
		join `tabItem` i on i.name = pi.item_code and i.disabled = 0
		join `tabItem Barcode` ib on ib.parent = i.name and ib.parenttype = 'Item'
		left join `tabBrand` b on b.name = i.brand
		where pi.customer = %(customer)s and coalesce(b.rma_serial_no_required, 0) = 0
			and ifnull(i.warranty_period, '') != '' and length(ib.barcode) = 13
		order by pi.last_purchase desc limit 20""",
		{"customer": customer},
		as_dict=True,
	)
	for row in rows:
		if cint(row.warranty_period) and add_days(row.bought_on, cint(row.warranty_period)) >= on:
			product = service_lookups.products_by_ean([row.ean]).get(row.ean)
			if not product:
				continue
			faults = service_lookups.fault_types_for([product]).get(product.item_code) or []
			row.fault_type = faults[0] if faults else ""
			return row
	return None
