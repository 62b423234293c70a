"""What arrives from a customer's browser, checked before any rule or query sees it.

Plain functions, no Frappe: the API layer turns `BadArgument` into a translated 4xx error that
names the field, so a wrong shape never reaches the database or ends in a server error.
"""

import json
import math
import re


class BadArgument(ValueError):
	"""`field` did not have the expected shape; `expected` says what it should be ("list", "text", ...)."""

	def __init__(self, field: str, expected: str):
		self.field, self.expected = field, expected
		super().__init__(f"{field}: expected {expected}")


SCALARS = (str, int, float, bool, type(None))
MAX_PAGE = 100_000  # deeper pages are an error, not an SQL offset of 10^21


def json_value(value, kind: type, field: str):
	"""JSON text from a form post, or an already-parsed value, as `kind` (dict or list)."""
	if value is None or value == "":
		return kind()
	if isinstance(value, str | bytes):
		try:
			value = json.loads(value)
		except ValueError:
			raise BadArgument(field, kind.__name__) from None
	if not isinstance(value, kind):
		raise BadArgument(field, kind.__name__)
	return value


def scalar(value, field: str):
	"""A single value (text, number, yes/no or empty), never an object or a list."""
	if not isinstance(value, SCALARS):
		raise BadArgument(field, "text")
	return value


def scalar_dict(values: dict, field: str) -> dict:
	"""A dict whose every value is a single value; the error names `field.key`."""
	for key, value in values.items():
		scalar(value, f"{field}.{key}")
	return values


def page_number(value, field: str = "page") -> int:
	"""A page number from 1 to MAX_PAGE; empty means 1."""
	if value is None or value == "":
		return 1
	try:
		number = int(str(value).strip())
	except ValueError:
		raise BadArgument(field, "number") from None
	if number < 1 or number > MAX_PAGE:
		raise BadArgument(field, "number")
	return number


def finite_number(text) -> float | None:
	"""The number a search box or form holds ("2,5" too); None for words, nan and infinities."""
	try:
		number = float(str(text).strip().replace(",", "."))
	except ValueError:
		return None
	return number if math.isfinite(number) else None


_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^<>]*>|<!--.*?-->", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value) -> str:
	"""Customer-typed text as plain text: markup removed (an <img> would be fetched when staff open
	the document), control characters dropped; "<5 mm" and "a < b" stay as typed."""
	if value is None:
		return ""
	text = _CONTROL.sub("", str(value))
	previous = None
	while previous != text:  # "<<b>img src=x>" would leave a tag after one pass
		previous, text = text, _TAG.sub("", text)
	return text


# Keys Frappe itself puts in a request's arguments (the method name, jQuery's cache breaker, the
# language switch, a CSRF token sent as a form field): not arguments of the called method.
FRAMEWORK_ARGUMENTS = frozenset({"cmd", "_", "_lang", "csrf_token"})


def call_problem(parameters: dict[str, bool], given, open_ended: bool = False) -> tuple[str, str] | None:
	"""What is wrong with calling a method whose `parameters` ({name: required}) with the argument
	names `given`: ("missing", name) for the first required one not given, ("unknown", name) for
	the first given one it does not take (unless it takes any: `open_ended`), or None."""
	given = set(given) - FRAMEWORK_ARGUMENTS
	for name, required in parameters.items():
		if required and name not in given:
			return ("missing", name)
	if not open_ended:
		for name in sorted(given):
			if name not in parameters:
				return ("unknown", name)
	return None


# A customer-typed name that becomes a document's name (Customer, Address, Contact) or title. The
# desk refuses "<" and ">" in names (frappe.model.naming.validate_name) and names over 140
# characters; ERPNext adds to some ("-Billing" to an Address, " - 2" to a second Customer of the
# same name), so the customer gets at most 120.
NAME_MAX_LENGTH = 120
_NOT_IN_NAMES = re.compile(r"[<>]")
_SPACES = re.compile(r"\s+")


def document_name(value) -> str:
	"""`value` as a name the desk accepts: markup removed, no "<" or ">" left, on one line with single
	spaces. Empty when nothing is left; longer than NAME_MAX_LENGTH is the caller's refusal
	(name_too_long)."""
	text = _NOT_IN_NAMES.sub("", plain_text(value))
	return _SPACES.sub(" ", text).strip()


def name_too_long(name: str | None) -> bool:
	return len(name or "") > NAME_MAX_LENGTH
