"""The serial numbers open requests name, one indexed row per serial (RMA Requested Serial).

"Is this unit already in another open request?" is asked when a receiver scans a serial
(returns/receiving.py) and when a service request names one (service/service_lookups.py). Read from
the RMA lines it is a LIKE over the serial text of every open line of the item (a return line names
its units in `serial_nos`, one per line of text): 31 ms of a 55 ms scan at 2,874 open lines of one
item. Here each serial an open RMA's line names (a return line's `serial_nos`, a service line's
`serial_no`) is one row, looked up by its index on serial_no.

The RMA controller writes its rows again on every save (insert, edit, every status move of
services/returns/lifecycle.py) in the same transaction: an RMA that is not open (Invoiced, Completed,
Rejected, Cancelled) has none, a deleted one neither. `rebuild()` writes them all again from the RMAs
(the patch for existing sites, the benchmark data copied by SQL, and by hand:
`bench --site S execute rma_portal.services.returns.requested_serials.rebuild`).
"""

import hashlib

import frappe
from frappe.utils import now_datetime

from rma_portal.domain.transitions import RMA_HOLDING
from rma_portal.services.returns.return_serials import split

DOCTYPE = "RMA Requested Serial"
TABLE = f"`tab{DOCTYPE}`"
FIELDS = ("name", "creation", "modified", "owner", "modified_by", "docstatus", "idx")
FIELDS += ("serial_no", "item_code", "rma", "rma_item")


def _migrated() -> bool:
	"""False on a site whose code is newer than its migrate (the patch fills the table)."""
	return frappe.db.table_exists(DOCTYPE)


def _row_name(rma_item: str, serial: str) -> str:
	# one row per line and serial, whoever writes it: a repeated write cannot double it
	return hashlib.md5(f"{rma_item}|{serial}".encode(), usedforsecurity=False).hexdigest()


def _serials_of(line) -> list[str]:
	"""The units a line names: a return line's serials, a service line's one serial."""
	return split(line.get("serial_nos")) + split(line.get("serial_no"))


def rows_of(rma: str, lines) -> dict[str, tuple]:
	"""row name -> (serial_no, item_code, rma, rma_item): the rows an open RMA with `lines` holds."""
	return {
		_row_name(line.name, serial): (serial, line.item_code, rma, line.name)
		for line in lines
		for serial in _serials_of(line)
	}


def _insert(rows: list[tuple]) -> None:
	now, user = now_datetime(), frappe.session.user or "Administrator"
	values = ((_row_name(row[3], row[0]), now, now, user, user, 0, 0, *row) for row in rows)
	frappe.db.bulk_insert(DOCTYPE, FIELDS, values, ignore_duplicates=True, chunk_size=2_000)


def sync(doc) -> None:
	"""The RMA's rows as its lines and status say now (the controller's on_update)."""
	if not _migrated():
		return
	want = rows_of(doc.name, doc.items) if doc.status in RMA_HOLDING else {}
	have = set(frappe.get_all(DOCTYPE, filters={"rma": doc.name}, pluck="name"))
	gone = sorted(have - set(want))
	if gone:
		frappe.db.delete(DOCTYPE, {"name": ("in", gone)})
	new = [want[name] for name in sorted(set(want) - have)]
	if new:
		_insert(new)


def forget(rma: str) -> None:
	"""An RMA deleted: its rows go with it (the controller's on_trash)."""
	if _migrated():
		frappe.db.delete(DOCTYPE, {"rma": rma})


def holders(serials: list[str], item_code: str | None = None, for_update: bool = False) -> list[frappe._dict]:
	"""The open RMAs naming any of `serials` (units of `item_code` when given): one row per RMA line
	and serial, {serial_no, item_code, rma, rma_item, kind, customer}, of every customer (the caller
	decides what it may tell). `for_update` reads the latest committed rows (locking read)."""
	serials = sorted({s for s in serials if s})
	if not serials:
		return []
	return frappe.db.sql(
		f"""select rs.serial_no, rs.item_code, rs.rma, rs.rma_item, rma.kind, rma.customer
		from {TABLE} rs join `tabRMA` rma on rma.name = rs.rma
		where rs.serial_no in %(serials)s {"and rs.item_code = %(item)s" if item_code else ""}
		{"for update" if for_update else ""}""",  # nosec B608 - fixed fragments of this module
		{"serials": tuple(serials), "item": item_code},
		as_dict=True,
	)


def rebuild(customer: str | None = None) -> int:
	"""Write the rows of every open RMA (of `customer`) again from its lines; the rows now there."""
	if customer:
		frappe.db.sql(
			f"delete rs from {TABLE} rs join `tabRMA` rma on rma.name = rs.rma where rma.customer = %s",  # nosec B608
			customer,
		)
	else:
		frappe.db.delete(DOCTYPE)
	lines = frappe.db.sql(
		f"""select ri.name, ri.parent, ri.item_code, ri.serial_no, ri.serial_nos
		from `tabRMA Item` ri join `tabRMA` rma on rma.name = ri.parent and ri.parenttype = 'RMA'
		where rma.status in %(open)s and (ifnull(ri.serial_no, '') != '' or ifnull(ri.serial_nos, '') != '')
		{"and rma.customer = %(customer)s" if customer else ""}""",  # nosec B608 - fixed fragment
		{"open": RMA_HOLDING, "customer": customer},
		as_dict=True,
	)
	rows = {}
	for line in lines:
		rows.update(rows_of(line.parent, [line]))
	_insert(list(rows.values()))
	return len(rows)
