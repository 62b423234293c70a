"""Warranty period arithmetic: the period counts from the customer's last purchase of the product."""

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
	"""start + months, clamped to the month end (2024-01-31 + 1 month = 2024-02-29)."""
	index = start.year * 12 + start.month - 1 + months
	year, month = divmod(index, 12)
	month += 1
	day = min(start.day, calendar.monthrange(year, month)[1])
	return date(year, month, day)


def warranty_end(
	last_purchase: date, period_days: int | None = None, period_months: int | None = None
) -> date:
	"""Last day still covered. Months are added first, then days, when both are given."""
	if period_days is None and period_months is None:
		raise ValueError("a warranty period in days or months is required")
	if (period_days or 0) < 0 or (period_months or 0) < 0:
		raise ValueError("a warranty period cannot be negative")
	end = add_months(last_purchase, period_months or 0)
	return end + timedelta(days=period_days or 0)


def in_warranty(
	last_purchase: date, on: date, period_days: int | None = None, period_months: int | None = None
) -> bool:
	"""True when on is not after the warranty end; the end day itself is still covered."""
	return on <= warranty_end(last_purchase, period_days=period_days, period_months=period_months)
