"""Spreadsheet cells that a spreadsheet program would run as a formula (CSV/formula injection).

Customers type text (references, remarks, fault descriptions) that staff later export from the desk
and open in Excel or LibreOffice. A cell starting with = + - @ (or a tab / carriage return before
one) is run as a formula there: "=HYPERLINK(...)" becomes a live link, a DDE call an attack. Such a
text is exported with a leading apostrophe, which both programs show as plain text. Numbers such as
"-66.50" stay numbers.
"""

import csv
import io
import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain decimal number, with optional thousands commas and exponent ("-1,234.50", "+3", "1e3").
NUMBER = re.compile(r"[+-]?(?=[\d.])\d[\d,]*(\.\d*)?([eE][+-]?\d+)?|[+-]?\.\d+([eE][+-]?\d+)?")


def is_number(text: str) -> bool:
	return bool(NUMBER.fullmatch(text))


def needs_escaping(value) -> bool:
	return isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not is_number(value)


def escape_cell(value):
	"""The value as a spreadsheet shows it as text; anything else unchanged."""
	return "'" + value if needs_escaping(value) else value


def csv_bytes(rows, delimiter: str = ",") -> bytes:
	"""`rows` (the header row first) as a CSV file that Excel opens as it is: UTF-8 with a byte order
	mark, each line ended by CRLF."""
	out = io.StringIO()
	csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
	return out.getvalue().encode("utf-8-sig")
