"""Whitelisted methods: each checks access first, then calls a service.

Arguments are read with the helpers below: a value of the wrong shape is a translated 417 that
names the field, never a server error (rules in domain/inputs.py).

Each method writes out its own typed arguments (`company_name: str | None = None`, ...), even where
two methods' lists look alike: Frappe checks the types from the signature and the OpenAPI document
(api/openapi.py) and the readers of a method read its fields there. The fields differ from method to
method; a shared `**kwargs` or a decorator adding arguments would hide them.
"""

import functools
from contextlib import contextmanager
from urllib.parse import quote, urlencode

import frappe
from frappe import _
from frappe.utils import formatdate

from rma_portal.domain import inputs

# domain.inputs.BadArgument.expected -> what the message says was expected
EXPECTED = {
	"list": lambda: _("a list"),
	"dict": lambda: _("a set of fields"),
	"text": lambda: _("a text"),
	"number": lambda: _("a page number from 1 to {0}").format(inputs.MAX_PAGE),
}


def bad_argument(error: inputs.BadArgument):
	expected = EXPECTED.get(error.expected, lambda: error.expected)()
	frappe.throw(
		_("{0} is not valid: {1} was expected.").format(error.field, expected), frappe.ValidationError
	)


@contextmanager
def _reading_arguments():
	"""Turn a domain.inputs.BadArgument raised inside into the translated 417 naming the field."""
	try:
		yield
	except inputs.BadArgument as e:
		bad_argument(e)


def parse_arg(value, kind, field: str = "data"):
	"""JSON text from a form post, or an already-parsed value; `kind` is dict or list."""
	with _reading_arguments():
		return inputs.json_value(value, kind, field)


def text_arg(value, field: str) -> str | None:
	"""A single text value (numbers are taken as text); objects and lists are refused."""
	with _reading_arguments():
		value = inputs.scalar(value, field)
	return None if value is None else str(value)


def text_args(**given) -> dict:
	"""Each named argument read with text_arg, under its own name: a form's text fields."""
	return {field: text_arg(value, field) for field, value in given.items()}


def fields_arg(value, field: str) -> dict:
	"""A JSON object whose values are all single values (a form's header)."""
	with _reading_arguments():
		return inputs.scalar_dict(inputs.json_value(value, dict, field), field)


def rows_arg(value, field: str) -> list[dict]:
	"""A JSON list of such objects (a form's lines), each row parsed too; the error names the row:
	"lines[2].qty"."""
	with _reading_arguments():
		return [
			inputs.scalar_dict(inputs.json_value(row, dict, f"{field}[{n}]"), f"{field}[{n}]")
			for n, row in enumerate(inputs.json_value(value, list, field), start=1)
		]


def list_args(search, page, page_size: int, **choices) -> dict:
	"""What a paged list method hands its service: the search text, each choice (status=...) as text or
	None, the page and its size; a value of the wrong shape is the 417 naming its field."""
	chosen = {name: text_arg(value, name) or None for name, value in choices.items()}
	return {"search": text_arg(search, "search"), **chosen, "page": page_arg(page), "page_size": page_size}


def display_dates(row: dict, *fields: str, **renamed: str):
	"""The row's dates as the user reads them: `field`_display for each of `fields`, and the display
	key given for each of `renamed` (field=key); "" where a date is not set."""
	for field, key in {**{f: f + "_display" for f in fields}, **renamed}.items():
		row[key] = formatdate(row[field]) if row.get(field) else ""


def download_url(method: str, **args: str) -> str:
	"""The address of one of this app's download methods (`method` as "module.function" under
	rma_portal.api) with its arguments, each quoted whole (a name's slashes too)."""
	return f"/api/method/rma_portal.api.{method}?" + urlencode(args, quote_via=quote)


def send_file(file_name: str, content: bytes | str, as_pdf: bool = False):
	"""Answer a download method with a file: a PDF (ERPNext's print formats) for the browser to show,
	any other file (attachments, CSV exports) as an attachment to save."""
	frappe.local.response.filename = file_name
	frappe.local.response.filecontent = content
	frappe.local.response.type = "pdf" if as_pdf else "download"


def page_arg(value) -> int:
	with _reading_arguments():
		return inputs.page_number(value)


# Queries a portal user may run per minute, per method. Frappe's rate_limit counts per IP (or per a
# form field): a dealer's whole office shares one IP, and a scraping account is one user.
QUERIES_PER_MINUTE = 120


def per_user_limit(limit: int = QUERIES_PER_MINUTE, seconds: int = 60):
	"""Refuse (HTTP 429) a user's call past `limit` calls of this method in the current window."""

	def decorator(fn):
		@functools.wraps(fn)
		def limited(*args, **kwargs):
			window = int(frappe.utils.now_datetime().timestamp()) // seconds
			# make_key: the site's prefix, so sites sharing a Redis count apart
			key = frappe.cache.make_key(
				f"rma_portal:rate:{fn.__module__}.{fn.__name__}:{frappe.session.user}:{window}"
			)
			calls = frappe.cache.incrby(key, 1)
			if calls == 1:
				frappe.cache.expire(key, seconds)
			if calls > limit:
				frappe.throw(
					_("Too many requests: please wait a minute and try again."), frappe.RateLimitExceededError
				)
			return fn(*args, **kwargs)

		return limited

	return decorator
