"""Parse and validate the service-request CSV import (SPEC §1, up to 30 requests per file).

File format: UTF-8 with or without BOM, comma separated, text in double quotes (quoted cells
may contain commas, doubled quotes and line breaks), exactly six columns in this order:
own RMA number, EAN/GTIN-13, serial number, sale date (yyyy-mm-dd), problem description,
service expectation.

Row numbers are the spreadsheet row numbers the user sees: every record counts, including a
header row and blank rows. This equals the text line number unless a quoted cell holds a
line break (then the record still counts as one row, as in a spreadsheet).

Header rule: only the first non-blank row can be a header. It is one when its EAN column
(the 2nd cell) is not all digits and, lower-cased with everything but letters and digits
removed, is one of HEADER_EAN_NAMES ("EAN", "GTIN-13", "EAN/GTIN-13", ...). Any other first
row is data and is validated like the rest.

Blank rows (no cell with text) are skipped. All errors are collected, never only the first;
only a broken quote stops reading, because the rest of the file cannot be split reliably.
Messages are complete plain-English sentences (row errors start with "Row {row}:"), written
as format strings over RowError.kwargs: the caller shows ``_(e.message).format(**e.kwargs)``.
RowError.column is one of COLUMNS (labels in COLUMN_LABELS) for highlighting a cell.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from rma_portal.domain.gtin import is_valid_gtin13, normalize_gtin

MAX_ROWS = 30
OWN_RMA_MAX_LENGTH = 140
COLUMNS = ("own_rma_number", "ean", "serial_no", "sale_date", "problem", "expectation")
COLUMN_LABELS = {
	"own_rma_number": "Own RMA number",
	"ean": "EAN/GTIN-13",
	"serial_no": "Serial number",
	"sale_date": "Sale date",
	"problem": "Problem description",
	"expectation": "Service expectation",
}
HEADER_EAN_NAMES = frozenset(
	{"ean", "ean13", "gtin", "gtin13", "eangtin", "eangtin13", "eancode", "gtincode"}
)

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class RowError:
	"""One problem: row None for the whole file, column None for the whole row."""

	row: int | None
	column: str | None
	message: str
	kwargs: dict = field(default_factory=dict)

	def text(self) -> str:
		"""Untranslated text, for logs and tests."""
		return self.message.format(**self.kwargs)


@dataclass(frozen=True)
class ServiceCsvRow:
	"""A valid data row, values stripped and typed."""

	row_number: int
	own_rma_number: str
	ean: str
	serial_no: str
	sale_date: date
	problem: str
	expectation: str


@dataclass
class ParseResult:
	"""rows holds only the valid rows; save nothing unless errors is empty (SPEC: all or nothing)."""

	rows: list[ServiceCsvRow] = field(default_factory=list)
	errors: list[RowError] = field(default_factory=list)
	has_header: bool = False

	@property
	def ok(self) -> bool:
		return not self.errors


def parse_service_csv(data: bytes, today: date) -> ParseResult:
	"""Parse and validate a whole file; today decides which sale dates are in the future."""
	result = ParseResult()
	text = _decode(data, result)
	if text is None:
		return result
	if not text.strip():
		result.errors.append(RowError(None, None, "The file is empty"))
		return result
	records = [(number, cells) for number, cells in _read_records(text, result) if not _is_blank(cells)]
	if records and _is_header(records[0][1]):
		result.has_header = True
		records = records[1:]
	_check_row_count(len(records), result)
	for number, cells in records:
		_parse_row(number, cells, today, result)
	return result


def _decode(data: bytes, result: ParseResult) -> str | None:
	"""UTF-8 text without BOM, or None after recording why not (usually a file saved as ANSI/latin-1)."""
	try:
		return data.decode("utf-8-sig")
	except UnicodeDecodeError as error:
		line = data[: error.start].count(b"\n") + 1
		result.errors.append(
			RowError(
				None,
				None,
				"The file is not UTF-8 encoded (first invalid character on line {line}); save it as CSV UTF-8",
				{"line": line},
			)
		)
		return None


def _read_records(text: str, result: ParseResult):
	"""Yield (row number, cells); a broken quote ends reading with an error on that row."""
	reader = csv.reader(io.StringIO(text, newline=""), strict=True)
	number = 0
	while True:
		number += 1
		try:
			cells = next(reader)
		except StopIteration:
			return
		except csv.Error as error:
			result.errors.append(
				RowError(
					number,
					None,
					"Row {row} has unbalanced double quotes ({detail}); the rest of the file was not read",
					{"row": number, "detail": str(error)},
				)
			)
			return
		yield number, cells


def _is_blank(cells: list[str]) -> bool:
	return not any(cell.strip() for cell in cells)


def _is_header(cells: list[str]) -> bool:
	"""The header rule described in the module docstring."""
	if len(cells) < 2:
		return False
	value = cells[1].strip()
	squeezed = re.sub(r"[^0-9a-z]", "", value.lower())
	return not _DIGITS.fullmatch(value) and squeezed in HEADER_EAN_NAMES


def _check_row_count(count: int, result: ParseResult) -> None:
	"""No rows or too many; "no data rows" is left out when a broken quote already explains why."""
	if count == 0 and not result.errors:
		result.errors.append(RowError(None, None, "The file has no data rows"))
	elif count > MAX_ROWS:
		result.errors.append(
			RowError(
				None,
				None,
				"The file has {count} data rows; at most {max_rows} are allowed",
				{"count": count, "max_rows": MAX_ROWS},
			)
		)


def _parse_row(number: int, cells: list[str], today: date, result: ParseResult) -> None:
	"""Validate one row, appending its errors or, when clean, its ServiceCsvRow."""
	if len(cells) != len(COLUMNS):
		result.errors.append(
			RowError(
				number,
				None,
				"Row {row} has {count} columns instead of {expected}; separate columns with commas and put "
				"text containing commas in double quotes",
				{"row": number, "count": len(cells), "expected": len(COLUMNS)},
			)
		)
		return
	values = dict(zip(COLUMNS, (cell.strip() for cell in cells), strict=True))
	values["ean"] = normalize_gtin(values["ean"])
	errors = [
		RowError(number, column, message, {"row": number, **kwargs})
		for column, message, kwargs in _field_errors(values, today)
	]
	if errors:
		result.errors.extend(errors)
		return
	values["sale_date"] = date.fromisoformat(values["sale_date"])
	result.rows.append(ServiceCsvRow(row_number=number, **values))


def _field_errors(values: dict[str, str], today: date):
	"""Yield (column, message, kwargs) for every problem in one row's cells."""
	if len(values["own_rma_number"]) > OWN_RMA_MAX_LENGTH:
		yield (
			"own_rma_number",
			"Row {row}: the own RMA number is longer than {max_length} characters",
			{"max_length": OWN_RMA_MAX_LENGTH},
		)
	ean_error = _ean_error(values["ean"])
	if ean_error:
		yield "ean", ean_error, {"value": values["ean"]}
	date_error = _date_error(values["sale_date"], today)
	if date_error:
		yield "sale_date", date_error, {"value": values["sale_date"]}
	if not values["problem"]:
		yield "problem", "Row {row}: the problem description is required", {}
	if not values["expectation"]:
		yield "expectation", "Row {row}: the service expectation is required", {}


def _ean_error(ean: str) -> str | None:
	if not ean:
		return "Row {row}: the EAN/GTIN-13 is required"
	if not re.fullmatch(r"[0-9]{13}", ean):
		return "Row {row}: EAN/GTIN-13 {value} must be exactly 13 digits"
	if not is_valid_gtin13(ean):
		return "Row {row}: EAN/GTIN-13 {value} has a wrong check digit"
	return None


def _date_error(value: str, today: date) -> str | None:
	"""Sale dates must be written yyyy-mm-dd, exist in the calendar and not lie after today."""
	if not value:
		return "Row {row}: the sale date is required"
	match = _ISO_DATE.fullmatch(value)
	if not match:
		return "Row {row}: sale date {value} must be written as yyyy-mm-dd"
	try:
		sale_date = date(*(int(part) for part in match.groups()))
	except ValueError:
		return "Row {row}: sale date {value} does not exist"
	if sale_date > today:
		return "Row {row}: sale date {value} is in the future"
	return None
