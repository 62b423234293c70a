"""Receiving an RMA parcel by scan (the desk page RMA Receiving): open a parcel by its label, check
each scan (domain/receiving.py), book the counted units through lifecycle.receive, and record
parcels whose label matches no receivable RMA (RMA Unmatched Parcel).

The booking is lifecycle.receive with the page's request key: the same return Delivery Note, stock
and status as the form's Receive, and a retry or a second click books nothing twice. Each booking
leaves an RMA Receipt (what was counted, the condition per line, who received it).
Callers (api/receiving.py) check the staff role first; nothing here commits.
"""

import io

import frappe
from frappe import _
from frappe.utils import flt, now_datetime

from rma_portal.domain import receiving
from rma_portal.domain.uploads import MAX_ATTACHMENT_BYTES, safe_file_name
from rma_portal.services.returns import lifecycle, requested_serials, return_serials
from rma_portal.services.shared.files import save_private_file

RECEIVABLE = ("Expected", "Received")


def find_rma(label: str) -> str | None:
	"""The RMA a parcel label names (the label's Code 128 encodes the RMA's name)."""
	label = (label or "").strip()
	if not label:
		return None
	return frappe.db.get_value("RMA", {"name": label}, "name")


def lines_of(doc) -> list[receiving.Line]:
	codes = [row.item_code for row in doc.items]
	barcodes: dict[str, list] = {}
	for item, code in frappe.get_all(
		"Item Barcode", filters={"parent": ["in", codes]}, fields=["parent", "barcode"], as_list=True
	):
		barcodes.setdefault(item, []).append(code)
	required = _serial_required(codes)
	return [
		receiving.Line(
			row=row.name,
			item_code=row.item_code,
			requested=flt(row.qty_requested),
			received=flt(row.qty_received),
			barcodes=tuple(barcodes.get(row.item_code, ())),
			serials=tuple(return_serials.split(row.serial_nos) or return_serials.split(row.serial_no)),
			received_serials=tuple(return_serials.split(row.received_serial_nos)),
			serial_required=row.item_code in required,
		)
		for row in doc.items
	]


def _serial_required(codes: list[str]) -> set:
	"""Items with serial numbers in ERPNext, or of a brand that asks for a serial on returns."""
	if not codes:
		return set()
	rows = frappe.db.sql(
		"""select i.name from `tabItem` i left join `tabBrand` b on b.name = i.brand
		where i.name in %(codes)s and (i.has_serial_no = 1 or coalesce(b.rma_serial_no_required, 0) = 1)""",
		{"codes": tuple(codes)},
	)
	return {row[0] for row in rows}


def serials_elsewhere(rma: str, item_code: str, serials: list[str]) -> set:
	"""Of `serials` (units of `item_code`), those another open RMA names (a return line's serials or
	a service line's serial): one index lookup in the requested serials (returns/requested_serials.py)."""
	return {row.serial_no for row in requested_serials.holders(serials, item_code) if row.rma != rma}


def open_parcel(label: str) -> dict:
	"""The RMA behind a label with its lines, what is still expected and what was booked before;
	`found` False (with the reason) when the parcel is to be recorded as unmatched."""
	name = find_rma(label)
	if not name:
		return {"found": False, "label": label, "reason": _("No RMA has the number {0}.").format(label)}
	doc = frappe.get_doc("RMA", name)
	if doc.status not in RECEIVABLE:
		return {
			"found": False,
			"label": label,
			"rma": name,
			"reason": _("{0} is {1}: it cannot be received.").format(name, _(doc.status)),
		}
	return {"found": True, "label": label, **summary(doc)}


def summary(doc) -> dict:
	lines = lines_of(doc)
	items = {row.name: row for row in doc.items}
	return {
		"rma": doc.name,
		"status": doc.status,
		"customer": doc.customer_name or doc.customer,
		"lines": [
			{
				"row": line.row,
				"idx": items[line.row].idx,
				"item_code": line.item_code,
				"item_name": items[line.row].item_name,
				"requested": line.requested,
				"received": line.received,
				"serials": list(line.serials),
				"received_serials": list(line.received_serials),
				"needs_serial": line.needs_serial,
			}
			for line in lines
		],
		"receipts": receipts_of(doc.name),
	}


def receipts_of(rma: str) -> list[dict]:
	receipts = frappe.get_all(
		"RMA Receipt",
		filters={"rma": rma},
		fields=["name", "received_by", "received_at", "return_delivery_notes"],
		order_by="received_at asc",
	)
	for receipt in receipts:
		receipt["lines"] = frappe.get_all(
			"RMA Receipt Line",
			filters={"parent": receipt.name, "parenttype": "RMA Receipt"},
			fields=["rma_item", "item_code", "qty", "condition", "serial_nos"],
			order_by="idx",
		)
		photos = frappe.get_all(
			"RMA Receipt Photo",
			filters={"parent": receipt.name, "parenttype": "RMA Receipt"},
			pluck="rma_item",
		)
		for line in receipt["lines"]:
			line["photos"] = photos.count(line.rma_item)
	return receipts


def check_scan(rma: str, code: str, parcel: receiving.Parcel, awaiting: str | None) -> receiving.Scan:
	"""One scan against the RMA's lines: an item (or named serial), or the serial of `awaiting`."""
	lines = lines_of(frappe.get_doc("RMA", rma))
	line = next((line for line in lines if line.row == awaiting), None) if awaiting else None
	line = receiving.serial_line(lines, line, code, parcel) if line else None
	scan = (
		receiving.scan_serial(line, code, parcel, set()) if line else receiving.scan_item(lines, code, parcel)
	)
	if scan.kind != "counted" or not scan.serial:
		return scan
	line = line or next(line for line in lines if line.row == scan.row)
	# also a serial the request named: a service request may have taken the unit in since
	if serials_elsewhere(rma, line.item_code, [scan.serial]):
		return receiving.Scan("serial_elsewhere", scan.row, scan.serial)
	return scan


def book(rma: str, parcel: receiving.Parcel, conditions: dict, request_key: str) -> dict:
	"""Book the parcel's counts with lifecycle.receive (under the RMA's row lock) and leave its
	RMA Receipt; the same request key again returns the first booking's receipt."""
	if not request_key:
		frappe.throw(_("{0} is not valid: {1} was expected.").format("request_key", _("a text")))
	existing = frappe.db.get_value("RMA Receipt", {"request_key": request_key}, "name")
	if existing:
		return {"receipt": existing, "booked": False}
	doc = frappe.get_doc("RMA", rma, for_update=True)
	# a locking read: a booking of the same key committed while this one waited for the RMA's lock
	# is seen (a plain read would give this transaction's older snapshot)
	existing = frappe.db.get_value("RMA Receipt", {"request_key": request_key}, "name", for_update=True)
	if existing or lifecycle.already_done(doc, request_key):
		return {"receipt": existing, "booked": False}
	lines = _with_latest_receipts(lines_of(doc), rma)
	problems = receiving.booking_problems(lines, parcel)
	if problems:
		frappe.throw(_booking_messages(doc, problems), title=_("Cannot receive"), as_list=True)
	before = {row.name: row.return_delivery_note for row in doc.items}
	doc = lifecycle.receive(
		rma,
		receiving.absolute_quantities(lines, parcel),
		request_key=request_key,
		serials=receiving.absolute_serials(lines, parcel),
	)
	notes = sorted(
		{row.return_delivery_note for row in doc.items if row.return_delivery_note}
		- {n for n in before.values() if n}
	)
	receipt = _record_receipt(doc, lines, parcel, conditions, request_key, notes)
	return {"receipt": receipt, "booked": True, "status": doc.status}


def _with_latest_receipts(lines: list[receiving.Line], rma: str) -> list[receiving.Line]:
	"""What was received, read with a locking read (the latest committed rows, not this transaction's
	snapshot): a parcel booked by another receiver a moment ago counts, so nothing is received twice."""
	latest = {
		row.name: row
		for row in frappe.db.sql(
			"""select name, qty_received, received_serial_nos from `tabRMA Item`
			where parent = %s and parenttype = 'RMA' for update""",
			rma,
			as_dict=True,
		)
	}
	for line in lines:
		row = latest.get(line.row)
		if row:
			line.received = flt(row.qty_received)
			line.received_serials = tuple(return_serials.split(row.received_serial_nos))
	return lines


def _booking_messages(doc, problems) -> list[str]:
	idx = {row.name: (row.idx, row.item_code) for row in doc.items}
	texts = {
		"not_on_rma": lambda r: _("Row {0}: not a line of {1}.").format(r, doc.name),
		"over": lambda r: _("Line {0} ({1}): more than requested.").format(*idx[r]),
		"serial_missing": lambda r: _("Line {0} ({1}): scan a serial number for every unit.").format(*idx[r]),
		"nothing": lambda r: _("Nothing was counted."),
	}
	return [texts[kind](row) for kind, row in problems]


def _record_receipt(doc, lines, parcel, conditions: dict, request_key: str, notes: list[str]) -> str:
	receipt = frappe.get_doc(
		{
			"doctype": "RMA Receipt",
			"rma": doc.name,
			"received_by": frappe.session.user,
			"received_at": now_datetime(),
			"request_key": request_key,
			"return_delivery_notes": "\n".join(notes) or None,
			"lines": [
				{
					"rma_item": line.row,
					"item_code": line.item_code,
					"qty": parcel.count(line.row),
					"condition": conditions.get(line.row) or receiving.CONDITIONS[0],
					"serial_nos": "\n".join(parcel.serials.get(line.row) or []) or None,
				}
				for line in lines
				if parcel.count(line.row)
			],
		}
	)
	receipt.insert(ignore_permissions=True)
	return receipt.name


def record_unmatched(label: str, codes: list[str], notes: str | None) -> str:
	parcel = frappe.get_doc(
		{
			"doctype": "RMA Unmatched Parcel",
			"status": "Open",
			"label_code": (label or "").strip()[:140],
			"recorded_by": frappe.session.user,
			"scanned_codes": "\n".join(c.strip() for c in codes if c and c.strip()) or None,
			"notes": notes,
		}
	)
	parcel.insert(ignore_permissions=True)
	return parcel.name


def unmatched_parcels() -> list[dict]:
	return frappe.get_all(
		"RMA Unmatched Parcel",
		filters={"status": "Open"},
		fields=["name", "label_code", "scanned_codes", "recorded_by", "creation"],
		order_by="creation desc",
		limit=200,
	)


def match_parcel(name: str, rma: str) -> dict:
	if not frappe.db.exists("RMA Unmatched Parcel", name):
		frappe.throw(_("Unmatched parcel {0} does not exist.").format(name), frappe.DoesNotExistError)
	if not rma or not frappe.db.exists("RMA", rma):
		frappe.throw(_("No RMA has the number {0}.").format(rma), frappe.DoesNotExistError)
	parcel = frappe.get_doc("RMA Unmatched Parcel", name, for_update=True)
	parcel.update(
		{"status": "Matched", "rma": rma, "matched_by": frappe.session.user, "matched_on": now_datetime()}
	)
	parcel.save(ignore_permissions=True)
	return {"name": parcel.name, "rma": rma, "status": parcel.status}


def add_receipt_photo(receipt: str, line: str, file_name: str | None, content: bytes) -> dict:
	"""A photo of one line of a booked receipt, from the receiving device: a private File of the
	RMA Receipt and a row of its Photos naming the line. `line`: an RMA Item row of the receipt's RMA
	(a line not counted may be photographed too, a missing part say)."""
	if not receipt or not frappe.db.exists("RMA Receipt", receipt):
		frappe.throw(_("Receipt {0} does not exist.").format(receipt or ""), frappe.DoesNotExistError)
	doc = frappe.get_doc("RMA Receipt", receipt, for_update=True)
	item_code = frappe.db.get_value(
		"RMA Item", {"name": line or "", "parent": doc.rma, "parenttype": "RMA"}, "item_code"
	)
	if not item_code:
		frappe.throw(_("Row {0}: not a line of {1}.").format(line or "", doc.rma))
	_check_photo(file_name, content, sum(1 for row in doc.photos if row.rma_item == line))
	saved = save_private_file("RMA Receipt", doc.name, file_name, content, field="photos")
	doc.append("photos", {"rma_item": line, "item_code": item_code, "photo": saved.file_url})
	doc.save(ignore_permissions=True)
	return {"receipt": doc.name, "line": line, "photos": len([r for r in doc.photos if r.rma_item == line])}


def _unreadable(content: bytes) -> str | None:
	""" "not_image" when the bytes start like a JPEG or PNG but do not decode: Frappe opens every
	JPEG to strip its EXIF data (the camera's location among them) and would fail on it."""
	from PIL import Image, UnidentifiedImageError

	try:
		with Image.open(io.BytesIO(content)) as image:
			image.verify()
	except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
		return "not_image"
	return None


def add_parcel_photo(parcel: str, file_name: str | None, content: bytes) -> dict:
	"""A photo of an unmatched parcel: a private File attached to it (the form's attachments)."""
	if not parcel or not frappe.db.exists("RMA Unmatched Parcel", parcel):
		frappe.throw(_("Unmatched parcel {0} does not exist.").format(parcel or ""), frappe.DoesNotExistError)
	frappe.db.get_value("RMA Unmatched Parcel", parcel, "name", for_update=True)
	filters = {"attached_to_doctype": "RMA Unmatched Parcel", "attached_to_name": parcel}
	_check_photo(file_name, content, frappe.db.count("File", filters))
	save_private_file("RMA Unmatched Parcel", parcel, file_name, content)
	return {"parcel": parcel, "photos": frappe.db.count("File", filters)}


def _check_photo(file_name: str | None, content: bytes, already: int) -> None:
	problem = receiving.photo_problem(file_name, content, already) or _unreadable(content)
	if not problem:
		return
	label = safe_file_name(file_name)
	texts = {
		"too_many": lambda: _("At most {0} photos.").format(receiving.MAX_PHOTOS),
		"empty": lambda: _("Photo {0} is empty.").format(label),
		"too_large": lambda: _("Photo {0} is larger than {1} MB.").format(
			label, MAX_ATTACHMENT_BYTES // (1024 * 1024)
		),
		"not_image": lambda: _("Photo {0} is not a JPEG or PNG image.").format(label),
	}
	frappe.throw(texts[problem](), title=_("Photo not added"))
