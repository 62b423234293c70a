"""Business days for service levels: a request is due a number of business days after it was filed,
skipping weekends and the holidays of the company's Holiday List. Plain functions, no Frappe.

A request filed on Friday evening with 2 business days is due on Tuesday: the day it was filed does not
count, whatever the hour, and neither do days off.
"""

from collections.abc import Collection
from datetime import date, datetime, timedelta

WEEKEND = frozenset({5, 6})  # Saturday, Sunday (date.weekday())


def is_business_day(day: date, holidays: Collection[date] = (), weekend: Collection[int] = WEEKEND) -> bool:
	return day.weekday() not in weekend and day not in holidays


def add_business_days(
	start: date | datetime, days: int, holidays: Collection[date] = (), weekend: Collection[int] = WEEKEND
) -> date:
	"""The `days`-th business day after `start` (a date, or a datetime whose hour does not matter)."""
	if isinstance(start, datetime):
		start = start.date()
	if days < 0:
		raise ValueError("days must not be negative")
	if len(weekend) >= 7:
		raise ValueError("a week needs at least one business day")
	day, counted = start, 0
	while counted < days:
		day += timedelta(days=1)
		if is_business_day(day, holidays, weekend):
			counted += 1
	return day


def is_overdue(due: date | None, today: date) -> bool:
	"""Overdue once the due day has passed: a request due today is still on time."""
	return bool(due) and today > due
