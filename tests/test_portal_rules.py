"""Rules of the customer portal pages: overdue at the boundary day, totals per currency, paging, sort
choices and the quotation states a customer may answer."""

import datetime
from decimal import Decimal

from rma_portal.domain import portal

TODAY = datetime.date(2026, 3, 10)


def test_overdue_starts_the_day_after_the_due_date():
	assert not portal.is_overdue(TODAY, 100, TODAY)
	assert portal.is_overdue(TODAY - datetime.timedelta(days=1), 100, TODAY)
	assert not portal.is_overdue(TODAY + datetime.timedelta(days=1), 100, TODAY)


def test_paid_or_credited_invoice_is_never_overdue():
	past = datetime.date(2025, 1, 1)
	assert not portal.is_overdue(past, 0, TODAY)
	assert not portal.is_overdue(past, -15.5, TODAY)
	assert not portal.is_overdue(None, 10, TODAY)
	assert portal.is_overdue(past, "0.01", TODAY)


def test_totals_are_kept_apart_per_currency_and_exact():
	rows = [
		{"currency": "EUR", "amount": 0.1, "outstanding": 0.1},
		{"currency": "EUR", "amount": 0.2, "outstanding": 0.2},
		{"currency": "USD", "amount": 5, "outstanding": None},
	]
	totals = portal.totals_per_currency(rows, ("amount", "outstanding"))
	assert totals == [
		{"currency": "EUR", "amount": Decimal("0.3"), "outstanding": Decimal("0.3")},
		{"currency": "USD", "amount": Decimal("5"), "outstanding": Decimal("0")},
	]
	assert portal.totals_per_currency([], ("amount",)) == []


def test_page_window():
	assert portal.page_window(1, 20, 0) == {"offset": 0, "pages": 1, "page": 1}
	assert portal.page_window(3, 20, 41) == {"offset": 40, "pages": 3, "page": 3}
	assert portal.page_window(2, 20, 40)["pages"] == 2


def test_sort_choice_offers_only_fixed_orders():
	allowed = {"expected": "a asc", "-expected": "a desc"}
	assert portal.sort_choice(None, allowed, "expected") == "a asc"
	assert portal.sort_choice("-expected", allowed, "expected") == "a desc"
	assert portal.sort_choice("a; drop table x", allowed, "expected") is None


def test_quotation_states():
	valid = TODAY + datetime.timedelta(days=3)
	assert portal.quotation_refusal("Open", 1, valid, TODAY) is None
	assert portal.quotation_refusal("Replied", 1, None, TODAY) is None
	assert portal.quotation_refusal("Open", 1, TODAY, TODAY) is None  # valid through its last day
	assert portal.quotation_refusal("Open", 1, TODAY - datetime.timedelta(days=1), TODAY) == "expired"
	assert portal.quotation_refusal("Expired", 1, valid, TODAY) == "expired"
	assert portal.quotation_refusal("Lost", 1, valid, TODAY) == "lost"
	assert portal.quotation_refusal("Ordered", 1, valid, TODAY) == "ordered"
	assert portal.quotation_refusal("Partially Ordered", 1, valid, TODAY) == "ordered"
	assert portal.quotation_refusal("Draft", 0, valid, TODAY) == "not_sent"
	assert portal.quotation_refusal("Cancelled", 2, valid, TODAY) == "not_sent"
