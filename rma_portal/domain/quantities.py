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
QTY_NOT_WHOLE = "Quantity {requested} must be a whole number for this unit"


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


def round_qty(value, precision: int = PRECISION) -> float:
	"""A requested quantity as it is stored: rounded to the quantity field's precision, so that
	"2.0000004" is 2 (and 6e-7 is 0, refused), never a hair above what was delivered."""
	return round(float(value), min(precision, PRECISION))


def validate_requested_qty(requested, returnable, whole_number: bool = False) -> str | None:
	"""None when the requested quantity is acceptable, else one of the QTY_* message keys.

	`whole_number`: the line's unit counts pieces (ERPNext's UOM "Must be Whole Number")."""
	wanted = _round(requested)
	if wanted <= 0:
		return QTY_NOT_POSITIVE
	if whole_number and wanted != int(wanted):
		return QTY_NOT_WHOLE
	if wanted > _round(returnable):
		return QTY_ABOVE_RETURNABLE
	return None


def returned_qty(stock_returned, credited, restocked_by_open_rmas=0) -> float:
	"""Units of a delivered line already returned in ERPNext, counted once.

	The greater of the stock returns (Delivery Note returns) and the credit-only credit notes, never
	their total: one unit can carry both (an RMA books the stock return at receipt and the credit
	note later). Units an RMA that is still open has put back into stock are left out here; they
	count as requested until that RMA closes. The candidates SQL in services/returns/returns.py computes
	the same for a whole page.
	"""
	stock = abs(_round(stock_returned)) - _round(restocked_by_open_rmas)
	return max(0.0, _round(max(stock, abs(_round(credited)))))
