"""Serial and batch numbers of returned units: which a dealer may name, and which come back.

A serial-numbered line is returned by serial: the dealer names the unit(s) among the serials still
returnable on that delivered line, stored on the RMA line (`serial_nos`); at receipt staff confirm
the serials that arrived (`received_serial_nos`, the requested ones by default) and exactly those
are booked back with ERPNext's Serial and Batch Bundle (services/returns/lifecycle.py). A batch item is
returned by batch (`batch_no`) the same way.

"Still returnable" is read from ERPNext's own bundles (erpnext.controllers.sales_and_purchase_return:
delivered on the line minus what its submitted return notes brought back, whatever the Stock
Settings' "use serial/batch fields" setting, since v15 makes a bundle for every serial line) minus
what open RMAs have asked for and not yet received. Callers check access and own the transaction.
"""

import frappe
from frappe import _
from frappe.utils import flt

from rma_portal.domain.formats import format_qty
from rma_portal.domain.transitions import RMA_OPEN


def split(text) -> list[str]:
	"""Serial numbers typed or stored one per line (commas and spaces accepted too), order kept."""
	if isinstance(text, list | tuple):
		parts = [str(part) for part in text]
	else:
		parts = str(text or "").replace(",", "\n").split()
	return list(dict.fromkeys(part.strip() for part in parts if part and part.strip()))


def join(serials: list[str]) -> str:
	return "\n".join(serials)


def units_of(row) -> list[str]:
	"""The serials of the units an RMA line took back: those received, else the line's own (a service
	line names its one unit in serial_no)."""
	return split(row.get("received_serial_nos")) or split(row.get("serial_no"))


def tracked_items(item_codes) -> dict[str, frappe._dict]:
	"""item code -> {has_serial_no, has_batch_no}, for the items among `item_codes` that have either."""
	codes = sorted({code for code in item_codes if code})
	if not codes:
		return {}
	rows = frappe.get_all(
		"Item",
		filters={"name": ["in", codes]},
		or_filters={"has_serial_no": 1, "has_batch_no": 1},
		fields=["name", "has_serial_no", "has_batch_no"],
	)
	return {row.name: row for row in rows}


def delivered_available(dn_items: list[str]) -> dict[str, frappe._dict]:
	"""delivery note item -> {serials: [...], batches: {batch: qty}} still out with the customer.

	ERPNext's own reckoning (bundles of the line and of its submitted return notes); lines without a
	bundle (made before ERPNext v15) are absent.
	"""
	from erpnext.controllers.sales_and_purchase_return import get_available_serial_batches

	if not dn_items:
		return {}
	available = get_available_serial_batches("dn_detail", "Delivery Note Item", list(dn_items))
	out = {}
	for line, data in available.items():
		out[line] = frappe._dict(
			serials=sorted(serial for serial, qty in data.serial_nos.items() if flt(qty) > 0),
			batches={batch: flt(qty) for batch, qty in data.batches.items() if flt(qty) > 0},
		)
	return out


def requested_in_open_rmas(dn_items: list[str], locking: bool = False, exclude_rma: str | None = None):
	"""delivery note item -> (serials, {batch: qty}) open RMAs asked for and have not booked back yet."""
	if not dn_items:
		return {}
	rows = frappe.db.sql(
		f"""select ri.delivery_note_item as line, ri.serial_nos, ri.received_serial_nos, ri.batch_no,
			ri.qty_requested, ri.qty_received, ri.return_delivery_note
		from `tabRMA Item` ri join `tabRMA` rma on rma.name = ri.parent
		where ri.delivery_note_item in %(lines)s and rma.status in %(open)s and rma.name != %(exclude)s
		{"lock in share mode" if locking else ""}""",
		{"lines": tuple(dn_items), "open": RMA_OPEN, "exclude": exclude_rma or ""},
		as_dict=True,
	)
	out: dict[str, tuple[set, dict]] = {}
	for row in rows:
		serials, batches = out.setdefault(row.line, (set(), {}))
		booked = set(split(row.received_serial_nos)) if row.return_delivery_note else set()
		serials.update(set(split(row.serial_nos)) - booked)
		if row.batch_no:
			open_qty = flt(row.qty_requested) - (flt(row.qty_received) if row.return_delivery_note else 0)
			batches[row.batch_no] = batches.get(row.batch_no, 0) + max(open_qty, 0)
	return out


def returnable(dn_items: list[str], locking: bool = False, exclude_rma: str | None = None):
	"""delivery note item -> {serials, batches} a new RMA may still name (serial / batch lines only)."""
	available = delivered_available(dn_items)
	taken = requested_in_open_rmas(list(available), locking=locking, exclude_rma=exclude_rma)
	out = {}
	for line, data in available.items():
		serials, batches = taken.get(line, (set(), {}))
		out[line] = frappe._dict(
			serials=[serial for serial in data.serials if serial not in serials],
			batches={
				batch: qty - batches.get(batch, 0)
				for batch, qty in data.batches.items()
				if qty - batches.get(batch, 0) > 0
			},
		)
	return out


def check_request(wanted: dict, candidates: dict, errors: list[str], locking: bool = False):
	"""Each serial / batch line names returnable units: as many serials as its quantity, or one batch.

	Fills wanted[line]["serial_nos"] / ["batch_no"] (a line's only batch is taken when none is named).
	"""
	items = tracked_items(row.item_code for row in candidates.values())
	lines = [name for name in wanted if name in candidates and candidates[name].item_code in items]
	choices = returnable(lines, locking=locking)
	for name, w in wanted.items():
		item = items.get(candidates[name].item_code) if name in candidates else None
		if not (item and name in choices):  # not tracked, or no bundle to choose from (old data)
			w["serial_nos"], w["batch_no"] = [], ""
		elif item.has_serial_no:
			w["batch_no"] = ""  # a serial's batch is its own
			if w["qty"] is not None:
				_check_serials(w, candidates[name], choices[name].serials, errors)
		else:
			w["serial_nos"] = []
			if w["qty"] is not None:
				_check_batch(w, candidates[name], choices[name].batches, errors)


def _check_serials(w: dict, row, choices: list[str], errors: list[str]):
	serials = split(w.get("serial_nos"))
	w["serial_nos"] = serials
	line, item = w["line_no"], row.item_code
	unknown = [serial for serial in serials if serial not in choices]
	if not serials:
		errors.append(
			_("Line {0} ({1}), Serial Nos: name the serial number of each unit you return.").format(
				line, item
			)
		)
	elif unknown:
		errors.append(
			_(
				"Line {0} ({1}), Serial Nos: {2} is not among the serial numbers delivered to you on this line that can still be returned."
			).format(line, item, ", ".join(unknown))
		)
	elif len(serials) != flt(w["qty"]):
		errors.append(
			_("Line {0} ({1}), Serial Nos: {2} serial numbers named for a quantity of {3}.").format(
				line, item, len(serials), format_qty(w["qty"])
			)
		)


def _check_batch(w: dict, row, choices: dict, errors: list[str]):
	batch = (w.get("batch_no") or "").strip() or (next(iter(choices)) if len(choices) == 1 else "")
	w["batch_no"] = batch
	line, item = w["line_no"], row.item_code
	if not batch:
		errors.append(_("Line {0} ({1}), Batch No: choose the batch you return.").format(line, item))
	elif batch not in choices:
		errors.append(
			_(
				"Line {0} ({1}), Batch No: {2} is not a batch delivered to you on this line that can still be returned."
			).format(line, item, batch)
		)
	elif flt(w["qty"]) > choices[batch]:
		errors.append(
			_("Line {0} ({1}), Batch No: only {2} of batch {3} can still be returned.").format(
				line, item, format_qty(choices[batch]), batch
			)
		)


# ---------------------------------------------------------------------------------------------
# Receipt


def receive_serials(doc, previous: dict, given: dict | None, restocks, errors: list[str]):
	"""The serials received on each restocked serial line (absolute, as the quantities): `given` per
	RMA Item row, else the ones the customer named, in order. Sets `received_serial_nos`,
	`serial_mismatch` and, for the booking, `row.flags.serials_to_book` (the ones new in this call)."""
	given = {str(key): value for key, value in (given or {}).items() if value not in (None, "")}
	names = {row.name for row in doc.items}
	errors += [_("Row {0}: not a line of {1}.").format(name, doc.name) for name in given if name not in names]
	lines = [row for row in doc.items if restocks(doc, row)]
	tracked = tracked_items(row.item_code for row in lines)
	for row in lines:
		item = tracked.get(row.item_code)
		if item and item.has_serial_no:
			_receive_row_serials(row, previous.get(row.name, 0), given.get(row.name), errors)


def _receive_row_serials(row, previous_qty: float, given, errors: list[str]):
	# a service line names its one unit in serial_no
	named = split(row.serial_nos) or split(row.get("serial_no"))
	qty, before = flt(row.qty_received), split(row.received_serial_nos)
	row.flags.serials_to_book = []
	if given is None and qty == previous_qty:
		return
	if given is None and not named and not before:
		row.flags.serials_to_book = None  # an RMA from before serials were named: ERPNext picks
		return
	chosen = (
		split(given) if given is not None else (before + [s for s in named if s not in before])[: int(qty)]
	)
	line, item = row.idx, row.item_code
	kept = [serial for serial in before if serial not in chosen]
	if kept:
		errors.append(
			_(
				"Line {0} ({1}), Serial Nos Received: {2} already went back into stock and stays received."
			).format(line, item, ", ".join(kept))
		)
		return
	if len(chosen) != qty:
		errors.append(
			_(
				"Line {0} ({1}), Serial Nos Received: {2} serial numbers for a received quantity of {3}."
			).format(line, item, len(chosen), format_qty(qty))
		)
		return
	new = [serial for serial in chosen if serial not in before]
	available = delivered_available([row.delivery_note_item]).get(row.delivery_note_item)
	unknown = [serial for serial in new if available and serial not in available.serials]
	if unknown:
		errors.append(
			_(
				"Line {0} ({1}), Serial Nos Received: {2} was not delivered on this line, or has already been returned."
			).format(line, item, ", ".join(unknown))
		)
		return
	row.received_serial_nos = join(chosen) or None
	row.serial_mismatch = int(bool(named) and bool(set(chosen) - set(named)))
	row.flags.serials_to_book = new


def set_units(item, row):
	"""The units a Delivery Note return line books back: the serials received in this call, or the
	line's batch, through the serial / batch fields (ERPNext makes the Serial and Batch Bundle from
	them on submit, whatever the Stock Settings say). Without either, ERPNext's own choice stands,
	trimmed to the quantity when it copied every serial of the line."""
	serials = row.flags.get("serials_to_book")
	if serials:
		_use_fields(item, serial_no=join(serials))
	elif row.batch_no and not frappe.get_cached_value("Item", item.item_code, "has_serial_no"):
		_use_fields(item, batch_no=row.batch_no)
	elif item.get("serial_no") and item.get("use_serial_batch_fields"):
		item.serial_no = join(sorted(split(item.serial_no))[: int(abs(flt(item.qty)))])


def _use_fields(item, serial_no=None, batch_no=None):
	item.use_serial_batch_fields = 1
	item.serial_and_batch_bundle = None
	item.serial_no = serial_no
	item.batch_no = batch_no
