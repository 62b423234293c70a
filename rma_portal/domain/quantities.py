"""Returnable-quantity arithmetic for RMA lines.

The service layer supplies the numbers (delivered, already returned through ERPNext,
requested in open RMAs); the rules for what may still be requested live here.

validate_requested_qty returns a message key: a plain-English format string the caller
translates and formats, e.g. ``_(key).format(requested=..., returnable=...)``. Both keys
accept both named fields, so the caller can always pass both.
"""

PRECISION = 6

QTY_NOT_POSITIVE = "Quantity {requested} must be greater than zero"
QTY_ABOVE_RETURNABLE = "Quantity {requested} is more than the quantity still returnable ({returnable})"


def _round(value) -> float:
	"""Round to PRECISION so float noise (0.1 + 0.2) never blocks or allows a request."""
	return round(float(value or 0), PRECISION)


def returnable_qty(delivered, already_returned, requested_open) -> float:
	"""Quantity the customer may still request; never negative.

	already_returned is taken by magnitude because ERPNext stores return quantities as
	negative numbers and callers should not have to remember to flip the sign.
	"""
	remaining = _round(delivered) - abs(_round(already_returned)) - _round(requested_open)
	return max(0.0, _round(remaining))


def validate_requested_qty(requested, returnable) -> str | None:
	"""None when the requested quantity is acceptable, else one of the QTY_* message keys."""
	wanted = _round(requested)
	if wanted <= 0:
		return QTY_NOT_POSITIVE
	if wanted > _round(returnable):
		return QTY_ABOVE_RETURNABLE
	return None
