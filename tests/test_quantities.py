import pytest

from rma_portal.domain.quantities import (
	QTY_ABOVE_RETURNABLE,
	QTY_NOT_POSITIVE,
	returnable_qty,
	returned_qty,
	validate_requested_qty,
)


def test_returnable_subtracts_returned_and_open_requests():
	assert returnable_qty(10, 3, 2) == 5


def test_returnable_accepts_erpnext_negative_return_qty():
	assert returnable_qty(10, -3, 2) == 5


def test_returnable_never_negative():
	assert returnable_qty(5, 4, 3) == 0


def test_returnable_handles_none_as_zero():
	assert returnable_qty(4, None, None) == 4


def test_returnable_float_noise_is_rounded():
	assert returnable_qty(0.3, 0.1, 0.2) == 0
	assert returnable_qty(1.0, 0.7, 0.1) == pytest.approx(0.2)
	assert str(returnable_qty(1.0, 0.7, 0.1)) == "0.2"


def test_requested_within_returnable_is_ok():
	assert validate_requested_qty(5, 5) is None
	assert validate_requested_qty(1, 5) is None


def test_requested_equal_after_float_noise_is_ok():
	assert validate_requested_qty(0.1 + 0.2, 0.3) is None


@pytest.mark.parametrize("requested", [0, -1, 0.0000001, None])
def test_requested_must_be_positive(requested):
	assert validate_requested_qty(requested, 5) == QTY_NOT_POSITIVE


def test_requested_above_returnable():
	assert validate_requested_qty(6, 5) == QTY_ABOVE_RETURNABLE
	assert validate_requested_qty(1, 0) == QTY_ABOVE_RETURNABLE


def test_message_keys_format_with_both_fields():
	for key in (QTY_NOT_POSITIVE, QTY_ABOVE_RETURNABLE):
		text = key.format(requested=6, returnable=5)
		assert "6" in text


@pytest.mark.parametrize(
	("stock", "credited", "restocked", "expected"),
	[
		(0, 0, 0, 0),
		(2, 0, 0, 2),  # ERPNext stock return only
		(0, 1, 0, 1),  # credit-only credit note only
		(-2, -2, 0, 2),  # RMA: stock return at receipt + credit note later, same units, ERPNext signs
		(2, 1, 0, 2),  # the greater, never the total
		(3, 0, 3, 0),  # restocked by an RMA still open: counted as requested, not yet as returned
		(3, 3, 3, 3),  # a credit note counts (its submit closes the RMA in the same transaction)
		(1, 0, 3, 0),  # never negative
	],
)
def test_returned_qty_counts_each_unit_once(stock, credited, restocked, expected):
	assert returned_qty(stock, credited, restocked) == expected
