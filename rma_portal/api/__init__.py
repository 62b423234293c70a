"""Whitelisted methods: each checks access first, then calls a service.

Arguments are read with the helpers below: a value of the wrong shape is a translated 417 that
names the field, never a server error (rules in domain/inputs.py).
"""

import functools

import frappe
from frappe import _

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


def parse_arg(value, kind, field: str = "data"):
	"""JSON text from a form post, or an already-parsed value; `kind` is dict or list."""
	try:
		return inputs.json_value(value, kind, field)
	except inputs.BadArgument as e:
		bad_argument(e)


def text_arg(value, field: str) -> str | None:
	"""A single text value (numbers are taken as text); objects and lists are refused."""
	try:
		value = inputs.scalar(value, field)
	except inputs.BadArgument as e:
		bad_argument(e)
	return None if value is None else str(value)


def fields_arg(value, field: str) -> dict:
	"""A JSON object whose values are all single values (a form's header)."""
	try:
		return inputs.scalar_dict(inputs.json_value(value, dict, field), field)
	except inputs.BadArgument as e:
		bad_argument(e)


def rows_arg(value, field: str) -> list[dict]:
	"""A JSON list of such objects (a form's lines); the error names the row: "lines[2].qty"."""
	try:
		rows = inputs.json_value(value, list, field)
		for n, row in enumerate(rows, start=1):
			inputs.scalar_dict(inputs.json_value(row, dict, f"{field}[{n}]"), f"{field}[{n}]")
	except inputs.BadArgument as e:
		bad_argument(e)
	return rows


def page_arg(value) -> int:
	try:
		return inputs.page_number(value)
	except inputs.BadArgument as e:
		bad_argument(e)


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
