"""Dates typed by a user or written by a spreadsheet: ISO (yyyy-mm-dd) or the user's date format.

Frappe's date formats are "dd-mm-yyyy", "dd.mm.yyyy", "dd/mm/yyyy", "mm-dd-yyyy", "mm/dd/yyyy"
and "yyyy-mm-dd". The order of day and month comes from the format; the separator may be any of
"-", "." and "/" and day and month may have one digit (Excel writes 5.1.2026 in Finnish). Years
have four digits: "05/01/26" is refused rather than guessed. Plain functions, no Frappe.
"""

import re
from datetime import date

_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_FIRST = re.compile(r"([0-9]{1,2})[-./]([0-9]{1,2})[-./]([0-9]{4})")


class NotADate(ValueError):
	"""The text has the shape of a date but names no day of the calendar (2026-02-30)."""


def parse_date(text: str, date_format: str = "yyyy-mm-dd") -> date | None:
	"""The date, None when the text is not written as a date; NotADate for 2026-02-30."""
	text = str(text or "").strip()
	if " " in text and _ISO.match(text):
		text = text.split(" ", 1)[0]  # "2026-01-10 00:00:00" from a spreadsheet date cell
	match = _ISO.fullmatch(text)
	if match:
		year, month, day = match.groups()
	else:
		match = _DAY_FIRST.fullmatch(text)
		fmt = (date_format or "").lower()
		if not match or fmt.startswith("yyyy"):
			return None
		first, second, year = match.groups()
		day, month = (second, first) if fmt.startswith("mm") else (first, second)
	try:
		return date(int(year), int(month), int(day))
	except ValueError:
		raise NotADate(text) from None


def example(date_format: str, on: date) -> str:
	"""`on` written in the user's format, for messages and the CSV template."""
	fmt = (date_format or "yyyy-mm-dd").lower()
	return (
		fmt.replace("yyyy", f"{on.year:04d}").replace("mm", f"{on.month:02d}").replace("dd", f"{on.day:02d}")
	)
