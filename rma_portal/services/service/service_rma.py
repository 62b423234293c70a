"""Service RMAs (SPEC §1, seed 000): products sent in for repair, replacement, credit or diagnosis.

A service request names products by EAN/GTIN-13 (not by delivered order line). This module creates
them; the rules are in services.service_rules (shared by the form, the API and the CSV import),
the look-ups in services.service_lookups (their names are available here too, for the pages and API
that import this module) and the CSV import in services.service_csv (which imports this module).

Callers (api/, www/) check access first; nothing here commits, except the background jobs, which
own their transaction.
"""

import hashlib

import frappe
from frappe import _
from frappe.utils import now_datetime

from rma_portal.domain.warranty import warranty_end
from rma_portal.services.policy import credit_hold
from rma_portal.services.returns import documents
from rma_portal.services.service import serial_locks, service_lookups, service_purchase, service_rules

# the public names of the split modules, for the pages and API that import this one
from rma_portal.services.service.service_lookups import (
	attachment_content,
	fault_types_for,
	products_by_ean,
	purchase_history,
	recent_service_rmas,
	rma_type_info,
	rma_types,
	search_rmas,
	serial_lookup,
	service_detail,
	warranty_check,
)
from rma_portal.services.service.service_rules import (
	ATTACHMENT_KINDS,
	FIELD_LABELS,
	MAX_LINES,
	PROOF,
	SERVICE_EXPECTATIONS,
	ServiceRequestError,
	check_attachments,
	normalize_expectation,
)
from rma_portal.services.shared import files, history_notes, jobs


def validate_service_lines(
	customer: str, lines: list[dict], rma_type: str | None, attachments: list[dict] | None = None, header=None
) -> list[dict]:
	"""Every problem of a service request: dicts with line (1-based or None), field and message."""
	return service_rules.check_request(customer, lines, rma_type, attachments, header=header)[0]


def create_service_rma(customer: str, user: str, header: dict, lines: list[dict], attachments=None) -> str:
	"""Validate everything, lock the serial numbers, then insert the RMA (kind Service, status
	Expected) and queue its documents.

	Raises ServiceRequestError listing every problem; nothing is written then. Does not commit."""
	from rma_portal import access

	access.check("rma.create", customer, user)
	credit_hold.check(customer, credit_hold.rules.SERVICE)
	header = dict(header or {})
	errors, clean, ctx = service_rules.check_request(
		customer, lines, header.get("rma_type"), attachments, header=header
	)
	if errors:
		raise ServiceRequestError(errors)
	held = lock_and_recheck_serials(customer, clean)
	if held:
		raise ServiceRequestError(
			[service_rules.error(e["field"], e["reason"], line=e["line"]) for e in held]
		)
	name = insert_service_rma(
		customer, user, header, clean, ctx.type_info, attachments, history_notes.note("service_submitted")
	)
	enqueue_documents([name])
	return name


def lock_and_recheck_serials(customer: str, lines: list) -> list[dict]:
	"""Lock the lines' serial numbers until the transaction ends, then read the open requests
	again (latest committed rows): [{line, field, reason}] for a serial taken meanwhile."""
	serials = [line.serial_no for line in lines if line.serial_no]
	if not serials:
		return []
	serial_locks.lock_serials(serials)
	open_requests = service_lookups.open_requests_by_serial(serials, for_update=True)
	return [
		{"line": number, "field": field, "reason": reason}
		for number, line in enumerate(lines, start=1)
		if line.serial_no
		for field, reason in service_rules.serial_open_request_rule(line.serial_no, customer, open_requests)
	]


def enqueue_documents(names: list[str]) -> None:
	"""One RMA: its own job; several (a CSV import): one job for all, on the long queue, so the
	next import (short queue) is never behind them."""
	if len(names) == 1:
		documents.enqueue_documents(names[0])
	elif names:
		jobs.enqueue_after_commit(
			"rma_portal.services.service.service_rma.make_documents_batch",
			queue="long",
			timeout=1500,
			names=list(names),
		)


def make_documents_batch(names: list[str], waiting=None) -> None:
	"""Background job: documents and confirmation of each RMA, committed one by one (one failure
	keeps the others). When an import is waiting on its (short) queue, the rest is handed back to
	the long queue and the worker takes the import first. The same in tests. `waiting` answers "is
	an import waiting?" (import_waiting; a test gives its own, as other workers take real jobs)."""
	for done, name in enumerate(names, start=1):
		documents.make_documents_and_confirm(name)
		frappe.db.commit()
		rest = names[done:]
		if rest and (waiting or import_waiting)():
			hand_back(rest)
			return


# The CSV import's job (service_csv.py enqueues it) and its queue, named here because the document
# batches make way for a waiting import; service_csv imports this module, not the other way round.
IMPORT_JOB = "rma_portal.services.service.service_csv.run_service_csv_job"
IMPORT_QUEUE = "short"  # workers take short before long: ahead of document batches


def import_waiting() -> bool:
	"""Is a CSV import (of any site: one worker serves the bench) waiting on its queue?"""
	from frappe.utils.background_jobs import get_queue

	return any((job.kwargs or {}).get("method") == IMPORT_JOB for job in get_queue(IMPORT_QUEUE).jobs)


def hand_back(names: list[str]) -> None:
	"""Queue the rest of a batch behind what waits: always the real queue (run at once, as tests run
	jobs, it would go before the waiting import)."""
	frappe.enqueue(
		"rma_portal.services.service.service_rma.make_documents_batch",
		queue="long",
		timeout=1500,
		job_id=hand_back_job_id(names),
		names=list(names),
	)


def hand_back_job_id(names: list[str]) -> str:
	digest = hashlib.sha1("\n".join(names).encode(), usedforsecurity=False).hexdigest()[:16]
	return f"rma_documents_batch:{digest}"


def _customer_return_address(customer: str) -> str:
	"""The customer's shipping (else primary) address as plain text, to prefill the form.

	Rendered without Frappe's Address permission check: the callers act for this customer (the
	access point checked it), and a portal user fails that check, which left the address empty."""
	from frappe.contacts.doctype.address.address import get_default_address, render_address

	name = get_default_address("Customer", customer, sort_key="is_shipping_address") or get_default_address(
		"Customer", customer
	)
	if not name:
		return ""
	import html
	import re

	text = re.sub(r"<br\s*/?>", "\n", render_address(name, check_permissions=False) or "")
	return "\n".join(
		line.strip() for line in html.unescape(re.sub(r"<[^>]+>", "", text)).splitlines() if line.strip()
	)


def default_return_address(customer: str) -> str:
	try:
		return _customer_return_address(customer)
	except Exception:
		return ""


def insert_service_rma(
	customer: str, user: str, header: dict, lines: list[frappe._dict], type_info, attachments, note: str
):
	"""Insert one service RMA (status Expected) with its lines and attachments; returns the name."""
	rma = _service_rma_header(customer, user, header, lines, type_info)
	for line in lines:
		rma.append("items", _service_line(line))
		# the sale it refers to: what its credit note, return and replacement are made from
		service_purchase.tie_line(customer, rma.items[-1])
	rma.append(
		"status_log", {"status": "Expected", "changed_on": rma.submitted_on, "changed_by": user, **note}
	)
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


def _service_rma_header(customer: str, user: str, header: dict, lines: list[frappe._dict], type_info):
	"""The service RMA document (no lines yet, not inserted), of the company the items were bought from."""
	from rma_portal.services.shared.settings import rma_settings

	company = next((line.bought.company for line in lines if line.bought and line.bought.company), None)
	company = (
		company
		or frappe.defaults.get_user_default("Company")
		or frappe.db.get_single_value("Global Defaults", "default_company")
	)
	return frappe.get_doc(
		{
			"doctype": "RMA",
			"kind": "Service",
			"status": "Expected",
			"customer": customer,
			"company": company,
			"currency": frappe.get_cached_value("Company", company, "default_currency"),
			"submitted_on": now_datetime(),
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


def _service_line(line: frappe._dict) -> dict:
	"""One RMA Item of a checked request line."""
	product, bought = line.product, line.bought
	return {
		"item_code": product.item_code,
		"item_name": product.item_name,
		"qty_requested": line.qty,
		"ean": line.ean,
		"serial_no": line.serial_no or None,
		"purchase_date": line.purchase_date,
		"warranty_end": line.get("warranty_end")  # services.service_rules.support_rule
		or (
			warranty_end(bought.last_purchase, period_days=product.warranty_days)
			if product.warranty_days is not None
			else None
		),
		"problem_description": line.problem_description,
		"service_expectation": line.service_expectation,
		"fault_type": line.fault_type or None,
		"handling": {"Replacement": "Replace"}.get(line.service_expectation, line.service_expectation)
		if line.service_expectation in ("Repair", "Replacement", "Credit")
		else None,
	}


def save_attachment(rma_name: str, attachment: dict):
	"""A private File attached to the RMA (Frappe stores equal contents once)."""
	return files.save_private_file(
		"RMA", rma_name, attachment.get("file_name"), attachment["content"], "attachments"
	)
