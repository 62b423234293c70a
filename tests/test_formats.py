import pytest

from rma_portal.domain.formats import format_qty


@pytest.mark.parametrize(
	("value", "expected"),
	[
		(2.0, "2"),
		(2, "2"),
		(2.5, "2.5"),
		(0.1 + 0.2, "0.3"),
		(10.0, "10"),
		(100, "100"),
		(1.25, "1.25"),
		(0, "0"),
		(None, "0"),
		(-0.0, "0"),
		(-1.5, "-1.5"),
		("3.000", "3"),
		(0.0000001, "0"),
	],
)
def test_format_qty(value, expected):
	assert format_qty(value) == expected
