"""Status-history notes stored as a key and values, shown in the reader's language.

A note is written once, by whoever acts (a French dealer, an English clerk), but read by the
customer and staff in their own languages. So a log row keeps the message key and its values
(`note_key`, `note_values` as JSON) next to the English text (`note`, for the desk and older
readers), and the portal renders it with render(): the message translated into the reader's
language, dates and amounts formatted in the reader's locale.

Values are plain text or numbers, or {"date": "yyyy-mm-dd"} / {"money": 2.5, "currency": "EUR"}.
Rows written before this (no key) show their note translated when it is a known message.
"""

import json

from frappe import _
from frappe.utils import flt, fmt_money, formatdate

# key -> English message (translated through the app's translation files)
NOTES = {
	"request_submitted": "Request submitted",
	"service_submitted": "Service request submitted",
	"service_imported": "Service request imported from CSV (rows {0})",
	"received": "Received {0} of {1}",
	"credit_note": "Credit note {0}",
	"credit_notes": "Credit notes {0}",
	"credit_note_cancelled": "Credit note {0} cancelled",
	"delivered": "Delivered {0}",
	"diagnosed": "Diagnosed: {0}",
	"repair_quote_sent": "Repair quote {0} sent",
	"repair_quote_accepted": "Repair quote accepted: Sales Order {0}",
	"repair_quote_declined": "Repair quote {0} declined",
	"claim_filed": "Claim filed",
	"approved": "Approved",
}


def note(key: str, *values) -> dict:
	"""The log-row fields of a note: English text, key and values."""
	return {
		"note": _english(key, values),
		"note_key": key,
		"note_values": json.dumps(list(values), default=str) if values else None,
	}


def log_fields(value) -> dict:
	"""A note given as note()'s dict, or as text (a reason typed by staff), as log-row fields."""
	if isinstance(value, dict):
		return value
	return {"note": value, "note_key": None, "note_values": None}


def render(row) -> str:
	"""The row's note in the current user's language and locale."""
	key = row.get("note_key")
	if not key or key not in NOTES:
		return _(row.get("note")) if row.get("note") else ""
	try:
		values = json.loads(row.get("note_values") or "[]")
	except ValueError:
		values = []
	return _(NOTES[key]).format(*(_display(v) for v in values))


def _english(key: str, values) -> str:
	return NOTES[key].format(*(_plain(v) for v in values))


def _display(value) -> str:
	if isinstance(value, dict) and "date" in value:
		return formatdate(value["date"])
	if isinstance(value, dict) and "money" in value:
		return fmt_money(flt(value["money"]), currency=value.get("currency"))
	if isinstance(value, float):
		return f"{value:g}"
	return str(value)


def _plain(value) -> str:
	if isinstance(value, dict) and "date" in value:
		return str(value["date"])
	if isinstance(value, dict) and "money" in value:
		return f"{flt(value['money']):.2f} {value.get('currency') or ''}".strip()
	if isinstance(value, float):
		return f"{value:g}"
	return str(value)


def render_log(rows) -> None:
	"""Set `note` of each row (dicts of a document's status log) to its rendered text."""
	for row in rows:
		row["note"] = render(row)
