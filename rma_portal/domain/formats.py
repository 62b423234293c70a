"""Display formatting shared by portal pages, e-mails and PDFs."""

QTY_PRECISION = 6


def format_qty(value) -> str:
	"""Quantity without trailing zeros (2.0 -> "2", 2.5 -> "2.5"), as customers read it.

	Rounded to QTY_PRECISION first so float noise (0.1 + 0.2) does not show; None counts as 0
	like frappe's flt().
	"""
	number = round(float(value or 0), QTY_PRECISION)
	text = f"{number:.{QTY_PRECISION}f}".rstrip("0").rstrip(".")
	return "0" if text in ("", "-0") else text
