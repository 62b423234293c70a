"""GTIN-13 (EAN-13) checks for service-request lines.

Customers type or paste codes from labels, so spaces are tolerated; the check itself is
delegated to python-stdnum so the check-digit rule lives in one well-tested place.
"""

import re

from stdnum import ean

_THIRTEEN_DIGITS = re.compile(r"[0-9]{13}")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")


def normalize_gtin(code) -> str:
	"""Remove all whitespace, because codes copied from labels are often grouped (5 901234 123457)."""
	if code is None:
		return ""
	return "".join(str(code).split())


def is_valid_gtin13(code) -> bool:
	"""True only for exactly 13 ASCII digits with a correct check digit.

	stdnum.ean also accepts EAN-8, UPC-A (12) and GTIN-14, which the portal does not, so the
	length is checked here first.
	"""
	value = normalize_gtin(code)
	return bool(_THIRTEEN_DIGITS.fullmatch(value)) and ean.is_valid(value)


def gtin13_check_digit(first12: str) -> str:
	"""Check digit for 12 digits, e.g. to build demo or test codes; ValueError on bad input."""
	value = normalize_gtin(first12)
	if not _TWELVE_DIGITS.fullmatch(value):
		raise ValueError(f"expected 12 digits, got {first12!r}")
	return ean.calc_check_digit(value)
