import pytest

from rma_portal.domain.numbering import DEFAULT_PATTERN, format_number, series_key, validate_pattern


def test_default_pattern():
	assert format_number(DEFAULT_PATTERN, 42, 2026) == "RMA/00042/SR/2026"


def test_all_placeholders():
	assert format_number("R{yy}{month}-{seq}", 7, 2026, pad=3, month=3) == "R2603-007"


def test_long_sequence_is_not_cut():
	assert format_number("RMA-{seq}", 1234567, 2026, pad=5) == "RMA-1234567"


def test_no_padding():
	assert format_number("RMA-{seq}", 7, 2026, pad=0) == "RMA-7"


def test_escaped_braces_stay_literal():
	assert format_number("{{A}}-{seq}", 1, 2026, pad=2) == "{A}-01"


def test_month_required_when_used():
	with pytest.raises(ValueError):
		format_number("RMA-{month}-{seq}", 1, 2026)
	with pytest.raises(ValueError):
		format_number("RMA-{month}-{seq}", 1, 2026, month=13)


def test_sequence_starts_at_one():
	with pytest.raises(ValueError):
		format_number(DEFAULT_PATTERN, 0, 2026)


def test_invalid_pattern_raises_on_format():
	with pytest.raises(ValueError):
		format_number("RMA/{year}", 1, 2026)


def test_valid_patterns():
	assert validate_pattern(DEFAULT_PATTERN) == []
	assert validate_pattern("{seq}") == []
	assert validate_pattern("R-{yy}-{month}-{seq}") == []


def test_pattern_without_seq():
	errors = validate_pattern("RMA/{year}")
	assert [e.text() for e in errors] == ["The number format RMA/{year} must contain {seq}"]


def test_unknown_placeholder():
	errors = validate_pattern("RMA/{seq}/{customer}")
	assert len(errors) == 1
	assert errors[0].kwargs["placeholder"] == "{customer}"
	assert errors[0].text().startswith("Unknown placeholder {customer}")


def test_positional_placeholder_is_unknown():
	assert len(validate_pattern("RMA/{}/{seq}")) == 1


def test_format_spec_not_allowed():
	errors = validate_pattern("RMA/{seq:06d}")
	assert [e.kwargs["placeholder"] for e in errors] == ["{seq}"]


def test_all_errors_reported():
	assert len(validate_pattern("{customer}/{branch}")) == 3


@pytest.mark.parametrize("pattern", ["", "   ", "RMA/{seq", "RMA/seq}"])
def test_broken_patterns(pattern):
	assert len(validate_pattern(pattern)) == 1


def test_series_key_restarts_per_year():
	assert series_key(DEFAULT_PATTERN, 2026) == "RMA/{seq}/SR/2026"
	assert series_key(DEFAULT_PATTERN, 2026) != series_key(DEFAULT_PATTERN, 2027)


def test_series_key_without_year_never_restarts():
	assert series_key("RMA-{seq}", 2026) == series_key("RMA-{seq}", 2027) == "RMA-{seq}"


def test_series_key_per_month():
	assert series_key("R{yy}{month}{seq}", 2026, 1) == "R2601{seq}"
	assert series_key("R{yy}{month}{seq}", 2026, 1) != series_key("R{yy}{month}{seq}", 2026, 2)
