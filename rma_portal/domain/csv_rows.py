"""Parse and validate the service-request CSV import (SPEC §1, up to 30 requests per file).

File format, as spreadsheet programs write it (domain.csv_files): UTF-8 with or without BOM,
UTF-16, Windows-1250 or Windows-1252; columns separated by commas, semicolons or tabs (detected);
text in double quotes (quoted cells may contain separators, doubled quotes and line breaks).
Columns in this order: own RMA number, EAN/GTIN-13, serial number, sale date, problem
description, service expectation and, optionally, fault type. Empty cells after the last column
are ignored (spreadsheets pad rows).

Row numbers are the spreadsheet row numbers the user sees: every record counts, including a
header row and blank rows (header = row 1). This equals the text line number unless a quoted
cell holds a line break.

Header rule: only the first non-blank row can be a header. It is one when its EAN column (the 2nd
cell) is not all digits and, lower-cased with everything but letters and digits removed, starts
with "ean" or "gtin". Any other first row is data and is validated like the rest.

Values: sale dates in ISO or the user's date format (domain.dates); the service expectation
matched by the caller's `match_expectation` (English, the user's language, obvious forms).

Every problem of every row is reported, one error per problem, each with its row and column;
rows whose columns could be read are returned too (with None for a bad value and the column in
`bad`), so the caller can run its database rules on the rest of the row. Only a broken quote
stops reading, because the rest of the file cannot be split reliably.

Errors carry a code of REASONS (plain-English format strings over RowError.args, translated by
the caller: ``_(REASONS[e.code]).format(*e.args)``) and a column of COLUMNS (labels in
COLUMN_LABELS).
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from rma_portal.domain import csv_files, dates
from rma_portal.domain.choices import EXPECTATION_ALIASES, matcher
from rma_portal.domain.gtin import is_valid_gtin13, normalize_gtin

MAX_ROWS = 30
OWN_RMA_MAX_LENGTH = 140
COLUMNS = ("own_rma_number", "ean", "serial_no", "sale_date", "problem", "expectation", "fault_type")
REQUIRED_COLUMNS = 6  # the fault type column may be left out
COLUMN_LABELS = {
	"own_rma_number": "Own RMA number",
	"ean": "EAN/GTIN-13",
	"serial_no": "Serial number",
	"sale_date": "Sale date",
	"problem": "Problem description",
	"expectation": "Service expectation",
	"fault_type": "Fault type",
}
REASONS = {
	"not_readable": "The file's character encoding was not recognised (first unreadable character on "
	"line {0}); save it as CSV UTF-8",
	"empty_file": "The file is empty",
	"no_rows": "The file has no data rows",
	"too_many_rows": "The file has {0} data rows; at most {1} are allowed",
	"quotes": "unbalanced double quotes; the rest of the file was not read",
	"columns": "{0} columns instead of {1}: {2}",
	"required": "no value given",
	"too_long": "at most {0} characters",
	"ean_digits": "{0} must be exactly 13 digits",
	"ean_check_digit": "{0} has a wrong check digit",
	"not_a_date": "{0} is not a date; write it like {1} or {2}",
	"no_such_day": "{0} does not exist",
	"future": "{0} is in the future",
	"choice": "{0} is not one of: {1}",
}
EXPECTATIONS = tuple(EXPECTATION_ALIASES)
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class RowError:
	"""One problem: row None for the whole file, column None for the whole row."""

	row: int | None
	column: str | None
	code: str
	args: tuple = ()

	def text(self) -> str:
		"""Untranslated text, for logs and tests."""
		reason = REASONS[self.code].format(*self.args)
		if self.row is None:
			return reason
		label = COLUMN_LABELS.get(self.column, "")
		return f"Row {self.row} — {label}: {reason}" if label else f"Row {self.row}: {reason}"


@dataclass(frozen=True)
class ServiceCsvRow:
	"""A row whose columns could be read; values stripped and typed, None where `bad`."""

	row_number: int
	own_rma_number: str
	ean: str
	serial_no: str
	sale_date: date | None
	problem: str
	expectation: str | None
	fault_type: str = ""
	bad: frozenset = frozenset()


@dataclass(frozen=True)
class CsvLocale:
	"""How the user writes: language (for the code page), date format, expectation names."""

	language: str = "en"
	date_format: str = "yyyy-mm-dd"
	match_expectation: Callable[[str], str | None] = field(default=matcher({}))
	expectation_names: str = ", ".join(EXPECTATIONS)


DEFAULT_LOCALE = CsvLocale(match_expectation=matcher({e: list(a) for e, a in EXPECTATION_ALIASES.items()}))


@dataclass
class ParseResult:
	"""Save nothing unless errors is empty (SPEC: all or nothing)."""

	rows: list[ServiceCsvRow] = field(default_factory=list)
	errors: list[RowError] = field(default_factory=list)
	has_header: bool = False
	encoding: str = ""
	separator: str = ","

	@property
	def ok(self) -> bool:
		return not self.errors


def parse_service_csv(data: bytes, today: date, locale: CsvLocale = DEFAULT_LOCALE) -> ParseResult:
	"""Parse and validate a whole file; today decides which sale dates are in the future."""
	result = ParseResult()
	decoded = csv_files.decode(data, locale.language)
	if decoded is None:
		result.errors.append(RowError(None, None, "not_readable", (csv_files.first_bad_line(data),)))
		return result
	text, result.encoding = decoded
	if not text.strip():
		result.errors.append(RowError(None, None, "empty_file"))
		return result
	result.separator = csv_files.sniff_separator(text, tuple(range(REQUIRED_COLUMNS, len(COLUMNS) + 1)))
	records = [(n, cells) for n, cells in _read_records(text, result) if not _is_blank(cells)]
	if records and _is_header(records[0][1]):
		result.has_header = True
		records = records[1:]
	_check_row_count(len(records), result)
	for number, cells in records:
		_parse_row(number, cells, today, locale, result)
	return result


def _read_records(text: str, result: ParseResult):
	"""Yield (row number, cells); a broken quote ends reading with an error on that row."""
	reader = csv.reader(io.StringIO(text, newline=""), delimiter=result.separator, strict=True)
	number = 0
	while True:
		number += 1
		try:
			cells = next(reader)
		except StopIteration:
			return
		except csv.Error:
			result.errors.append(RowError(number, None, "quotes"))
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
	return not _DIGITS.fullmatch(value) and squeezed.startswith(("ean", "gtin"))


def _check_row_count(count: int, result: ParseResult) -> None:
	"""No rows or too many; "no data rows" is left out when a broken quote already explains why."""
	if count == 0 and not result.errors:
		result.errors.append(RowError(None, None, "no_rows"))
	elif count > MAX_ROWS:
		result.errors.append(RowError(None, None, "too_many_rows", (count, MAX_ROWS)))


def _parse_row(number: int, cells: list[str], today: date, locale: CsvLocale, result: ParseResult) -> None:
	"""Validate one row: every problem appended to the errors, the row to the rows when readable."""
	# trailing empty cells are padding, but an empty last required cell is still a column
	width = max(csv_files.row_width(cells), min(len(cells), REQUIRED_COLUMNS))
	if not REQUIRED_COLUMNS <= width <= len(COLUMNS):
		names = ", ".join(COLUMN_LABELS[c] for c in COLUMNS)
		result.errors.append(RowError(number, None, "columns", (width, REQUIRED_COLUMNS, names)))
		return
	values = dict.fromkeys(COLUMNS, "")
	values.update(zip(COLUMNS, (cell.strip() for cell in cells[:width]), strict=False))
	values["ean"] = normalize_gtin(values["ean"])
	problems = list(_field_errors(values, today, locale))
	result.errors.extend(RowError(number, column, code, args) for column, code, args in problems)
	bad = frozenset(column for column, _code, _args in problems)
	values["sale_date"] = (
		None if "sale_date" in bad else dates.parse_date(values["sale_date"], locale.date_format)
	)
	values["expectation"] = None if "expectation" in bad else locale.match_expectation(values["expectation"])
	result.rows.append(ServiceCsvRow(row_number=number, bad=bad, **values))


def _field_errors(values: dict[str, str], today: date, locale: CsvLocale):
	"""Yield (column, code, args) for every problem in one row's cells."""
	if len(values["own_rma_number"]) > OWN_RMA_MAX_LENGTH:
		yield "own_rma_number", "too_long", (OWN_RMA_MAX_LENGTH,)
	ean_error = _ean_error(values["ean"])
	if ean_error:
		yield "ean", ean_error, (values["ean"],)
	date_error = _date_error(values["sale_date"], today, locale.date_format)
	if date_error:
		yield "sale_date", *date_error
	if not values["problem"]:
		yield "problem", "required", ()
	if not values["expectation"]:
		yield "expectation", "required", ()
	elif not locale.match_expectation(values["expectation"]):
		yield "expectation", "choice", (values["expectation"], locale.expectation_names)


def _ean_error(ean: str) -> str | None:
	if not ean:
		return "required"
	if not re.fullmatch(r"[0-9]{13}", ean):
		return "ean_digits"
	if not is_valid_gtin13(ean):
		return "ean_check_digit"
	return None


def _date_error(value: str, today: date, date_format: str) -> tuple[str, tuple] | None:
	"""Sale dates: ISO or the user's format, a day of the calendar, not after today."""
	if not value:
		return "required", ()
	try:
		sale_date = dates.parse_date(value, date_format)
	except dates.NotADate:
		return "no_such_day", (value,)
	if sale_date is None:
		return "not_a_date", (value, dates.example(date_format, today), today.isoformat())
	if sale_date > today:
		return "future", (value,)
	return None
