from datetime import date

import pytest

from rma_portal.domain.warranty import add_months, in_warranty, warranty_end


@pytest.mark.parametrize(
	("start", "months", "expected"),
	[
		(date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
		(date(2023, 1, 31), 1, date(2023, 2, 28)),
		(date(2024, 3, 31), 1, date(2024, 4, 30)),
		(date(2024, 2, 29), 12, date(2025, 2, 28)),
		(date(2024, 11, 30), 3, date(2025, 2, 28)),
		(date(2024, 12, 15), 1, date(2025, 1, 15)),
		(date(2024, 5, 10), 0, date(2024, 5, 10)),
		(date(2024, 1, 31), 24, date(2026, 1, 31)),
	],
)
def test_add_months_clamps_to_month_end(start, months, expected):
	assert add_months(start, months) == expected


def test_warranty_end_months():
	assert warranty_end(date(2024, 1, 31), period_months=1) == date(2024, 2, 29)


def test_warranty_end_days():
	assert warranty_end(date(2024, 2, 28), period_days=2) == date(2024, 3, 1)


def test_warranty_end_months_then_days():
	assert warranty_end(date(2024, 1, 31), period_days=1, period_months=1) == date(2024, 3, 1)


def test_period_required():
	with pytest.raises(ValueError):
		warranty_end(date(2024, 1, 1))


def test_negative_period_rejected():
	with pytest.raises(ValueError):
		warranty_end(date(2024, 1, 1), period_days=-1)


def test_in_warranty_includes_last_day():
	bought = date(2024, 1, 31)
	assert in_warranty(bought, date(2025, 1, 31), period_months=12)
	assert not in_warranty(bought, date(2025, 2, 1), period_months=12)


def test_in_warranty_days():
	assert in_warranty(date(2024, 1, 1), date(2024, 1, 31), period_days=30)
	assert not in_warranty(date(2024, 1, 1), date(2024, 2, 1), period_days=30)
