"""Restocking fee rules (plain Python, no Frappe): which rule a returned line falls under and what it
costs.

A rule names a return reason and an age of the delivery (days from delivery to the request, from/to;
empty means any) and charges a percentage of the line's value, a fixed amount per line, or a fixed
amount once per return; the fee a rule charges is kept within its minimum and maximum (0: no
bound). Rules are tried in their order and the first that matches a line decides it (a line no rule
matches costs nothing). Without any rule the flat fee per return applies, as before rules existed.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

PERCENTAGE = "Percentage of Line Value"
FIXED_PER_LINE = "Fixed Amount per Line"
FIXED_PER_RETURN = "Fixed Amount per Return"
BASES = (PERCENTAGE, FIXED_PER_LINE, FIXED_PER_RETURN)


@dataclass(frozen=True)
class FeeRule:
	name: str
	basis: str
	percentage: float = 0.0
	amount: float = 0.0
	minimum: float = 0.0
	maximum: float = 0.0
	return_reason: str | None = None
	min_age_days: int | None = None
	max_age_days: int | None = None


@dataclass(frozen=True)
class FeeLine:
	key: str
	return_reason: str
	age_days: int
	value: float


@dataclass
class Fees:
	"""The fee of a request: per line (key -> (rule name, fee)) and once per return (rule, fee)."""

	lines: dict[str, tuple[str | None, float]] = field(default_factory=dict)
	per_return: tuple[str | None, float] = (None, 0.0)

	@property
	def total(self) -> float:
		return money(self.per_return[1] + sum(fee for _rule, fee in self.lines.values()))


def money(value: float) -> float:
	return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def matches(rule: FeeRule, line: FeeLine) -> bool:
	if rule.return_reason and rule.return_reason != line.return_reason:
		return False
	if rule.min_age_days is not None and line.age_days < rule.min_age_days:
		return False
	return rule.max_age_days is None or line.age_days <= rule.max_age_days


def rule_fee(rule: FeeRule, value: float) -> float:
	"""What `rule` charges on a line worth `value` (or once, for a per-return rule), within its bounds."""
	fee = value * rule.percentage / 100 if rule.basis == PERCENTAGE else rule.amount
	if rule.minimum and fee < rule.minimum:
		fee = rule.minimum
	if rule.maximum and fee > rule.maximum:
		fee = rule.maximum
	return money(max(fee, 0.0))


def fees(rules: list[FeeRule], lines: list[FeeLine], flat_fee: float) -> Fees:
	"""The fee of a request of `lines` under `rules` (in order, first match wins per line); with no
	rule at all the flat fee per return."""
	if not rules:
		return Fees(per_return=(None, money(flat_fee)) if flat_fee > 0 else (None, 0.0))
	out = Fees()
	for line in lines:
		rule = next((r for r in rules if matches(r, line)), None)
		if rule is None:
			out.lines[line.key] = (None, 0.0)
		elif rule.basis == FIXED_PER_RETURN:
			out.lines[line.key] = (None, 0.0)
			if out.per_return[0] is None:  # charged once, by the first per-return rule reached
				out.per_return = (rule.name, rule_fee(rule, 0.0))
		else:
			out.lines[line.key] = (rule.name, rule_fee(rule, line.value))
	return out


def charged(total_frozen: float, line_fees: dict[str, float], credited: set[str]) -> float:
	"""What a credit note charges of a frozen fee: all of it, less the fees of lines that are not
	credited (a line rejected or replaced pays no restocking fee); the part charged per return stays."""
	return money(total_frozen - sum(fee for key, fee in line_fees.items() if key not in credited))
