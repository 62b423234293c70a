"""The desk page RMA Receiving (receiving a parcel by scan): staff only (RMA Manager, System Manager).

The page keeps the parcel's counts and sends them with each scan and with the booking; every scan is
checked again here (services/returns/receiving.py, rules in domain/receiving.py). The booking carries the
request key the page makes once per parcel: a retry or a second click books nothing twice.
"""

import frappe
from frappe import _

from rma_portal.api import parse_arg, text_arg
from rma_portal.domain import receiving as rules
from rma_portal.domain.uploads import MAX_ATTACHMENT_BYTES
from rma_portal.services.returns import receiving

# Scan.kind -> what the page shows (translated here, in the receiver's language)
MESSAGES = {
	"counted": lambda s: _("Counted."),
	"serial": lambda s: _("Now scan the serial number."),
	"not_on_rma": lambda s: _("This item is not on the RMA."),
	"over": lambda s: _("More than requested: this line is complete."),
	"wrong_serial": lambda s: _("Serial number {0} is not the one requested.").format(s.serial),
	"serial_twice": lambda s: _("Serial number {0} was already counted.").format(s.serial),
	"serial_elsewhere": lambda s: _("Serial number {0} is in another open request.").format(s.serial),
}


def _require_staff():
	# Frappe's role permissions: RMA Receipt is made only by RMA Managers and System Managers, so
	# guests and portal users are refused here (a 403), whatever they send
	frappe.has_permission("RMA Receipt", "create", throw=True)


def _rma_arg(rma) -> str:
	rma = text_arg(rma, "rma")
	if not rma or not frappe.db.exists("RMA", rma):
		frappe.throw(_("No RMA has the number {0}.").format(rma or ""), frappe.DoesNotExistError)
	return rma


def _parcel(counts, serials) -> rules.Parcel:
	counts = parse_arg(counts, dict, "counts") if counts else {}
	serials = parse_arg(serials, dict, "serials") if serials else {}
	try:
		return rules.Parcel(
			counts={str(k): float(v) for k, v in counts.items()},
			serials={str(k): [str(s).strip() for s in v] for k, v in serials.items() if isinstance(v, list)},
		)
	except (TypeError, ValueError):
		frappe.throw(_("{0} is not valid: {1} was expected.").format("counts", _("a number")))


@frappe.whitelist()
def open_parcel(label: str) -> dict:
	_require_staff()
	return receiving.open_parcel(text_arg(label, "label") or "")


@frappe.whitelist(methods=["POST"])
def scan(rma: str, code: str, counts=None, serials=None, awaiting: str | None = None) -> dict:
	_require_staff()
	rma, code = _rma_arg(rma), (text_arg(code, "code") or "").strip()
	if not code:
		frappe.throw(_("{0} is not valid: {1} was expected.").format("code", _("a text")))
	result = receiving.check_scan(rma, code, _parcel(counts, serials), text_arg(awaiting, "awaiting"))
	return {
		"kind": result.kind,
		"ok": result.ok,
		"row": result.row,
		"serial": result.serial,
		"message": MESSAGES[result.kind](result),
	}


@frappe.whitelist(methods=["POST"])
def book(rma: str, request_key: str, counts=None, serials=None, conditions=None) -> dict:
	_require_staff()
	conditions = parse_arg(conditions, dict, "conditions") if conditions else {}
	bad = [v for v in conditions.values() if v and v not in rules.CONDITIONS]
	if bad:
		frappe.throw(
			_("{0} is not valid: {1} was expected.").format("conditions", ", ".join(rules.CONDITIONS))
		)
	rma = _rma_arg(rma)
	result = receiving.book(rma, _parcel(counts, serials), conditions, text_arg(request_key, "request_key"))
	return {**result, **receiving.summary(frappe.get_doc("RMA", rma))}


@frappe.whitelist(methods=["POST"])
def record_unmatched(label: str, codes=None, notes: str | None = None) -> dict:
	_require_staff()
	codes = parse_arg(codes, list, "codes") if codes else []
	name = receiving.record_unmatched(
		text_arg(label, "label") or "", [str(c) for c in codes], text_arg(notes, "notes")
	)
	return {"name": name}


@frappe.whitelist()
def unmatched_parcels() -> list:
	_require_staff()
	return receiving.unmatched_parcels()


@frappe.whitelist(methods=["POST"])
def match_parcel(parcel: str, rma: str) -> dict:
	_require_staff()
	return receiving.match_parcel(text_arg(parcel, "parcel"), _rma_arg(rma))


def _photo() -> tuple[str | None, bytes]:
	"""The request's one file `photo` (multipart), read to one byte over the limit: an oversized
	photo is recognised without reading it all."""
	request_files = getattr(frappe.request, "files", None) if getattr(frappe, "request", None) else None
	storage = request_files.get("photo") if request_files else None
	if not storage or not storage.filename:
		frappe.throw(_("{0} is not valid: {1} was expected.").format("photo", _("a JPEG or PNG file")))
	return storage.filename, storage.stream.read(MAX_ATTACHMENT_BYTES + 1)


@frappe.whitelist(methods=["POST"])
def add_receipt_photo(receipt: str, line: str) -> dict:
	"""A photo (multipart `photo`) of one line of a booked receipt, from the receiving device."""
	_require_staff()
	file_name, content = _photo()
	return receiving.add_receipt_photo(
		text_arg(receipt, "receipt"), text_arg(line, "line"), file_name, content
	)


@frappe.whitelist(methods=["POST"])
def add_parcel_photo(parcel: str) -> dict:
	"""A photo (multipart `photo`) of an unmatched parcel."""
	_require_staff()
	file_name, content = _photo()
	return receiving.add_parcel_photo(text_arg(parcel, "parcel"), file_name, content)
