"""Receiving an RMA parcel by scan: which line a scanned code counts on, and what is refused.

Plain Python (no Frappe). The desk page (api/receiving.py) keeps the counts of the parcel being
received; each scan is checked here against the RMA's lines and those counts. Codes are compared
trimmed and case-insensitive (a scanner in the wrong keyboard layout or with Caps Lock still
matches), serial numbers exactly as ERPNext keeps them, trimmed.

Outcomes of a scan (`Scan.kind`):
- "counted": the line counts one more unit (with its serial when the line has serials);
- "serial": the item matched a line that needs a serial; the next scan is its serial;
- "not_on_rma": no line of the RMA has this item (EAN, item code or named serial);
- "over": every matching line already has its requested quantity;
- "wrong_serial": the serial is not one the line asked for;
- "serial_twice": the serial was already counted in this parcel or received before;
- "serial_elsewhere": the serial is in another open request.
"""

from dataclasses import dataclass, field

from rma_portal.domain.uploads import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, file_kind, safe_file_name

CONDITIONS = ("As new", "Opened", "Damaged", "Incomplete")
PHOTO_KINDS = ("jpg", "png")
MAX_PHOTOS = MAX_ATTACHMENTS  # per line of a receipt, per unmatched parcel


@dataclass
class Line:
	row: str  # the RMA Item's name
	item_code: str
	requested: float
	received: float = 0  # booked before this parcel
	barcodes: tuple = ()  # the item's EANs (Item Barcode)
	serials: tuple = ()  # the serials the request named, if any
	received_serials: tuple = ()
	serial_required: bool = False  # serial-numbered item, or the brand asks for one

	@property
	def needs_serial(self) -> bool:
		return self.serial_required or bool(self.serials)

	def codes(self) -> set:
		return {norm(self.item_code), *(norm(code) for code in self.barcodes if code)}


@dataclass
class Parcel:
	"""What this parcel has counted so far (not booked yet)."""

	counts: dict = field(default_factory=dict)  # row -> units
	serials: dict = field(default_factory=dict)  # row -> [serial]

	def count(self, row: str) -> float:
		return float(self.counts.get(row) or 0)

	def all_serials(self) -> set:
		return {s for serials in self.serials.values() for s in serials}


@dataclass
class Scan:
	kind: str
	row: str | None = None
	serial: str | None = None

	@property
	def ok(self) -> bool:
		return self.kind in ("counted", "serial")


def norm(code) -> str:
	return str(code or "").strip().upper()


def open_qty(line: Line, parcel: Parcel) -> float:
	"""Units still expected on the line after what was booked and what this parcel counted."""
	return max(line.requested - line.received - parcel.count(line.row), 0)


def scan_item(lines: list[Line], code: str, parcel: Parcel) -> Scan:
	"""A product's EAN or item code (or a serial the request named): the first matching line with
	units still expected."""
	wanted = norm(code)
	matching = [line for line in lines if wanted in line.codes()]
	if not matching:
		by_serial = [line for line in lines if wanted in {norm(s) for s in line.serials}]
		if by_serial:
			return scan_serial(by_serial[0], str(code).strip(), parcel, set())
		return Scan("not_on_rma")
	line = next((line for line in matching if open_qty(line, parcel) > 0), None)
	if not line:
		return Scan("over", matching[0].row)
	return Scan("serial" if line.needs_serial else "counted", line.row)


def scan_serial(line: Line, serial: str, parcel: Parcel, elsewhere: set) -> Scan:
	"""The serial scanned after the line's item; `elsewhere`: serials held by other open requests."""
	serial = str(serial or "").strip()
	if open_qty(line, parcel) <= 0:
		return Scan("over", line.row)
	if serial in parcel.all_serials() or serial in line.received_serials:
		return Scan("serial_twice", line.row, serial)
	if line.serials and serial not in line.serials:
		return Scan("wrong_serial", line.row, serial)
	if serial in elsewhere:
		return Scan("serial_elsewhere", line.row, serial)
	return Scan("counted", line.row, serial)


def serial_line(lines: list[Line], awaiting: Line, serial: str, parcel: Parcel) -> Line:
	"""The line a serial scanned after an item counts on: the awaiting line, or another line of the
	same item that named this serial and still expects a unit (a return may hold one item's units
	from two deliveries; the receiver cannot know which line the page picked for the item)."""
	serial = str(serial or "").strip()
	if not awaiting.serials or serial in awaiting.serials:
		return awaiting
	return next(
		(
			line
			for line in lines
			if line.item_code == awaiting.item_code and serial in line.serials and open_qty(line, parcel) > 0
		),
		awaiting,
	)


def count(parcel: Parcel, scan: Scan) -> Parcel:
	"""The parcel after a counted scan."""
	if scan.kind == "counted":
		parcel.counts[scan.row] = parcel.count(scan.row) + 1
		if scan.serial:
			parcel.serials.setdefault(scan.row, []).append(scan.serial)
	return parcel


def booking_problems(lines: list[Line], parcel: Parcel) -> list[tuple]:
	"""(kind, row) for what the parcel cannot book: unknown lines, more than requested, serial lines
	with fewer serials than units, nothing counted at all."""
	by_row = {line.row: line for line in lines}
	problems = [("not_on_rma", row) for row in parcel.counts if row not in by_row]
	for line in lines:
		counted = parcel.count(line.row)
		if counted < 0 or line.received + counted > line.requested:
			problems.append(("over", line.row))
		elif line.needs_serial and counted and len(parcel.serials.get(line.row) or []) != counted:
			problems.append(("serial_missing", line.row))
	if not any(parcel.count(row) > 0 for row in by_row):
		problems.append(("nothing", None))
	return problems


def absolute_quantities(lines: list[Line], parcel: Parcel) -> dict:
	"""lifecycle.receive takes absolute quantities: what was booked before plus this parcel."""
	return {line.row: line.received + parcel.count(line.row) for line in lines if parcel.count(line.row)}


def absolute_serials(lines: list[Line], parcel: Parcel) -> dict:
	"""row -> all serials received on the line (before and now), one per line of text."""
	return {
		line.row: "\n".join([*line.received_serials, *parcel.serials[line.row]])
		for line in lines
		if parcel.serials.get(line.row)
	}


def photo_problem(file_name: str | None, content: bytes, already: int) -> str | None:
	"""Why a photo from the device is refused: "too_many" (the line or parcel has MAX_PHOTOS),
	"empty", "too_large" (over the app's attachment size), "not_image" (name and content not both
	JPEG or both PNG, as every upload of the app is judged); None when it is kept."""
	if already >= MAX_PHOTOS:
		return "too_many"
	if not content:
		return "empty"
	if len(content) > MAX_ATTACHMENT_BYTES:
		return "too_large"
	if not file_kind(safe_file_name(file_name), content, PHOTO_KINDS):
		return "not_image"
	return None
