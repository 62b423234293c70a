"""Rules of the customer portal pages (SPEC §5) that need no database: overdue, totals per currency,
paging, sort choices and whether a quotation may still be answered. Plain Python, no Frappe."""

import datetime
from collections import defaultdict
from decimal import Decimal

# Quotation statuses a customer may still answer; every other one is final (or staff's to change).
ANSWERABLE_QUOTATION_STATUSES = ("Open", "Replied")


def is_overdue(due_date: datetime.date | None, outstanding, on: datetime.date) -> bool:
	"""An invoice is overdue from the day after its due date while something is still owed:
	due today is not overdue yet, and a paid (or credited) invoice never is."""
	return bool(due_date) and Decimal(str(outstanding or 0)) > 0 and due_date < on


def totals_per_currency(rows: list[dict], fields: tuple[str, ...]) -> list[dict]:
	"""Sum `fields` of `rows` per `currency`, in currency order: amounts in different currencies are
	never added together. Decimal sums, so 0.1 + 0.2 is 0.3 on the statement."""
	sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: {field: Decimal(0) for field in fields})
	for row in rows:
		for field in fields:
			sums[row["currency"]][field] += Decimal(str(row.get(field) or 0))
	return [{"currency": currency, **sums[currency]} for currency in sorted(sums)]


def page_window(page: int, page_size: int, total: int) -> dict:
	"""Offset of `page` and the number of pages for `total` rows (at least one page, even when empty)."""
	pages = max(1, -(-int(total) // page_size))
	return {"offset": (page - 1) * page_size, "pages": pages, "page": page}


def sort_choice(value: str | None, allowed: dict[str, str], default: str) -> str | None:
	"""The SQL order of a sort the page offers (`allowed`: choice -> fixed SQL text), the default for
	none; None for a choice the page does not offer (the caller refuses it naming the field)."""
	return allowed.get(value or default)


def quotation_refusal(
	status: str, docstatus: int, valid_till: datetime.date | None, on: datetime.date
) -> str | None:
	"""Why a customer may no longer accept or reject a quotation, as a message key; None when it may.

	Valid until its `valid_till` day included (ERPNext expires it the day after)."""
	if docstatus != 1:
		return "not_sent"
	if status in ("Ordered", "Partially Ordered"):
		return "ordered"
	if status == "Lost":
		return "lost"
	if status == "Expired" or (valid_till and valid_till < on):
		return "expired"
	if status not in ANSWERABLE_QUOTATION_STATUSES:
		return "not_answerable"
	return None
