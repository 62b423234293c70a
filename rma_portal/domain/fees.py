"""The return fee's split into its net amount and the VAT it carries (plain Python, no Frappe)."""

from decimal import ROUND_HALF_UP, Decimal


def _round(value: Decimal, precision: int) -> Decimal:
	return value.quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP)


def split_fee(
	amount: float, rates: list[float], gross: bool, precision: int = 2, rounder=None
) -> tuple[float, list[float]]:
	"""(net fee, VAT per rate) for a fee of `amount` at the VAT `rates` (percent).

	gross: `amount` includes the VAT, so net + VATs add up to it exactly (the rounding difference
	stays in the net amount); otherwise the VAT is added on top of `amount`. `rounder(value,
	precision)` rounds as the books do (the site's rounding method; half up by default).
	"""
	rnd = rounder or (lambda value, digits: float(_round(Decimal(str(value)), digits)))
	net = rnd(amount / (1 + sum(rates) / 100), precision) if gross else rnd(amount, precision)
	vats = [rnd(net * rate / 100, precision) for rate in rates]
	if gross:
		net = rnd(rnd(amount, precision) - sum(vats), precision)
	return net, vats


def converted(amount: float, rate: float, precision: int = 2) -> float:
	"""An amount in the company's currency in a document currency whose exchange rate (document
	currency -> company currency) is `rate`."""
	if not rate or rate == 1:
		return float(_round(Decimal(str(amount)), precision))
	return float(_round(Decimal(str(amount)) / Decimal(str(rate)), precision))
