"""EU VAT numbers typed on the registration and account request forms: a country prefix chosen from a
list and the number without it, checked for that country's format and check digits (python-stdnum).

Plain functions, no Frappe: the caller turns a TaxIdError's `reason` into a translated message.
"""

import re

from stdnum import exceptions
from stdnum.eu import vat

# The prefixes of VAT numbers as the EU's VIES writes them: Greece is "EL", Northern Ireland "XI".
VAT_PREFIXES = tuple(sorted("EL" if cc == "gr" else cc.upper() for cc in vat.MEMBER_STATES))

# reasons a TaxIdError gives
UNKNOWN_PREFIX = "unknown_prefix"
PREFIX_MISMATCH = "prefix_mismatch"
LENGTH = "length"
CHECK_DIGIT = "check_digit"
FORMAT = "format"
PREFIX_MISSING = "prefix_missing"

_LEADING_LETTERS = re.compile(r"^([A-Za-z]{2})")


class TaxIdError(ValueError):
	def __init__(self, reason: str, prefix: str = ""):
		super().__init__(reason)
		self.reason = reason
		self.prefix = prefix


def compact(number: str) -> str:
	"""The number without spaces, dots, dashes or slashes, upper case."""
	return re.sub(r"[\s.\-/]", "", str(number or "")).upper()


def check_tax_id(prefix: str | None, number: str | None) -> str:
	"""The full VAT number ("NL004495445B01") of `number` in the country of `prefix`, once its format
	and check digits are right; "" when no number is given. TaxIdError(reason) otherwise.

	The number is typed without its prefix; one typed with the same prefix is accepted, one typed with
	another country's prefix is refused (PREFIX_MISMATCH)."""
	prefix = compact(prefix)
	number = compact(number)
	if not number:
		return ""
	if not prefix:
		raise TaxIdError(PREFIX_MISSING)
	if prefix not in VAT_PREFIXES:
		raise TaxIdError(UNKNOWN_PREFIX, prefix)
	leading = _LEADING_LETTERS.match(number)
	# Austrian numbers start with "U" and Dutch ones end in letters: only two leading letters that
	# are a VAT prefix count as a typed prefix.
	if leading and leading.group(1) in VAT_PREFIXES:
		if leading.group(1) != prefix:
			raise TaxIdError(PREFIX_MISMATCH, prefix)
		number = number[2:]
	try:
		return vat.validate(prefix + number)
	except exceptions.InvalidLength:
		raise TaxIdError(LENGTH, prefix) from None
	except exceptions.InvalidChecksum:
		raise TaxIdError(CHECK_DIGIT, prefix) from None
	except exceptions.ValidationError:
		raise TaxIdError(FORMAT, prefix) from None
