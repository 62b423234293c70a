from datetime import date, datetime

import pytest

from rma_portal.domain import business_days as bd
from rma_portal.domain import tax_ids
from rma_portal.domain.tax_ids import TaxIdError, check_tax_id


@pytest.mark.parametrize(
	("prefix", "number", "full"),
	[
		("NL", "004495445B01", "NL004495445B01"),
		("DE", "136695976", "DE136695976"),
		("PL", "856-734-62-15", "PL8567346215"),
		("BE", "0403.019.261", "BE0403019261"),
		("RO", "18547290", "RO18547290"),
		("FI", "20774740", "FI20774740"),
		("FR", "40 303 265 045", "FR40303265045"),
		("AT", "U13585627", "ATU13585627"),
		("nl", "NL004495445B01", "NL004495445B01"),  # typed with its own prefix
	],
)
def test_valid_numbers(prefix, number, full):
	assert check_tax_id(prefix, number) == full


@pytest.mark.parametrize(
	("prefix", "number", "reason"),
	[
		("DE", "13669597", tax_ids.LENGTH),
		("PL", "85673462", tax_ids.LENGTH),
		("NL", "004495446B01", tax_ids.CHECK_DIGIT),
		("PL", "8567346216", tax_ids.CHECK_DIGIT),
		("DE", "136695977", tax_ids.CHECK_DIGIT),
		("PL", "DE136695976", tax_ids.PREFIX_MISMATCH),
		("US", "123456789", tax_ids.UNKNOWN_PREFIX),
		("", "136695976", tax_ids.PREFIX_MISSING),
		("DE", "13669597X", tax_ids.FORMAT),
	],
)
def test_refused_numbers(prefix, number, reason):
	with pytest.raises(TaxIdError) as error:
		check_tax_id(prefix, number)
	assert error.value.reason == reason


def test_no_number_is_no_tax_id():
	assert check_tax_id("NL", "  ") == ""
	assert check_tax_id("", None) == ""


def test_prefixes_are_the_eu_ones():
	assert "EL" in tax_ids.VAT_PREFIXES and "GR" not in tax_ids.VAT_PREFIXES
	assert {"NL", "DE", "PL", "RO", "FI", "FR", "BE", "XI"} <= set(tax_ids.VAT_PREFIXES)
	assert "GB" not in tax_ids.VAT_PREFIXES


def test_friday_evening_is_due_tuesday():
	friday_evening = datetime(2026, 3, 6, 21, 30)
	assert bd.add_business_days(friday_evening, 2) == date(2026, 3, 10)


def test_weekend_filing_counts_from_monday():
	assert bd.add_business_days(date(2026, 3, 7), 2) == date(2026, 3, 10)  # Saturday -> Tuesday
	assert bd.add_business_days(date(2026, 3, 8), 1) == date(2026, 3, 9)  # Sunday -> Monday


def test_holidays_are_skipped():
	# Easter Monday 2026 is 6 April: filed Thursday 2 April, Good Friday 3 April a holiday too
	holidays = {date(2026, 4, 3), date(2026, 4, 6)}
	assert bd.add_business_days(date(2026, 4, 2), 2, holidays) == date(2026, 4, 8)


def test_across_year_end():
	holidays = {date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)}
	# Thursday 31 December 2026: Friday 1 January is a holiday, then the weekend
	assert bd.add_business_days(date(2026, 12, 31), 2, holidays) == date(2027, 1, 5)
	# Thursday 24 December: 25th a holiday, weekend, Monday 28th, Tuesday 29th
	assert bd.add_business_days(date(2026, 12, 24), 2, holidays) == date(2026, 12, 29)


def test_holiday_list_defines_the_weekend():
	# a list whose only weekly off is Friday: Saturday and Sunday are worked
	assert bd.add_business_days(date(2026, 3, 5), 2, weekend={4}) == date(2026, 3, 8)


def test_zero_days_and_bad_input():
	assert bd.add_business_days(date(2026, 3, 6), 0) == date(2026, 3, 6)
	with pytest.raises(ValueError):
		bd.add_business_days(date(2026, 3, 6), -1)
	with pytest.raises(ValueError):
		bd.add_business_days(date(2026, 3, 6), 1, weekend=range(7))


def test_overdue_after_the_due_day():
	due = date(2026, 3, 10)
	assert not bd.is_overdue(due, date(2026, 3, 10))
	assert bd.is_overdue(due, date(2026, 3, 11))
	assert not bd.is_overdue(None, date(2026, 3, 11))
