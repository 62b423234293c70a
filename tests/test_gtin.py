import pytest

from rma_portal.domain.gtin import gtin13_check_digit, is_valid_gtin13, normalize_gtin

VALID = "4006381333931"


def test_valid_gtin13():
	assert is_valid_gtin13(VALID)


def test_wrong_check_digit_is_rejected():
	assert not is_valid_gtin13("4006381333932")


@pytest.mark.parametrize(
	"code",
	[
		"400638133393",  # 12 digits (UPC-A length)
		"04006381333931",  # 14 digits (GTIN-14), valid for stdnum but not for us
		"96385074",  # EAN-8
		"40063813339A1",  # letter
		"",
		None,
		"".join(chr(ord(c) + 0xFEE0) for c in VALID),  # full-width digits
	],
)
def test_not_a_gtin13(code):
	assert not is_valid_gtin13(code)


def test_spaces_are_ignored():
	assert is_valid_gtin13(" 4 006381 333931 ")
	assert normalize_gtin(" 4 006381\t333931 ") == VALID


def test_normalize_none_is_empty():
	assert normalize_gtin(None) == ""


def test_check_digit():
	assert gtin13_check_digit("400638133393") == "1"
	code = "590123412345"
	assert is_valid_gtin13(code + gtin13_check_digit(code))


@pytest.mark.parametrize("bad", ["40063813339", "4006381333931", "40063813339X"])
def test_check_digit_needs_twelve_digits(bad):
	with pytest.raises(ValueError):
		gtin13_check_digit(bad)
