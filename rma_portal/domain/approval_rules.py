"""Which RMA Approval Rule decides a return request: plain matching, no Frappe.

Rules are tried in priority order (lowest number first) and the first that matches decides. A rule's
conditions are all optional and all must hold (an empty condition holds for everything):

- on the request: customer, customer group, the request's value (at least / at most);
- on a line: return reason, item group, brand, the line's value (at least), days since delivery
  (at least / at most), whether the item has serial numbers. Line conditions hold when at least one
  line meets all of them together, so "decline lines delivered more than 60 days ago" declines a
  request with one such line.

No rule matching means today's behaviour: approved at once (APPROVE), so installing the rules changes
nothing until staff write one. Groups are trees: a condition on a group holds for every group below
it, so the caller passes each line's and the customer's group with its ancestors.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

APPROVE = "Approve"
REVIEW = "Review"
DECLINE = "Decline"
OUTCOMES = (APPROVE, REVIEW, DECLINE)


@dataclass(frozen=True)
class Line:
	"""One requested line as the rules read it. `item_groups`: the item's group and its ancestors."""

	return_reason: str = ""
	item_groups: frozenset = frozenset()
	brand: str = ""
	value: float = 0.0
	days_since_delivery: int = 0
	has_serial_no: bool = False


@dataclass(frozen=True)
class Request:
	"""The request as a whole. `customer_groups`: the customer's group and its ancestors."""

	customer: str
	customer_groups: frozenset = frozenset()
	lines: tuple = ()

	@property
	def value(self) -> float:
		return sum(line.value for line in self.lines)


@dataclass(frozen=True)
class Rule:
	"""An RMA Approval Rule's conditions and outcome; falsy fields are conditions not set.
	`serial_required`: "" (any), "Yes" (items with serial numbers), "No" (items without)."""

	name: str
	outcome: str
	priority: int = 0
	message: str = ""
	customer: str = ""
	customer_group: str = ""
	min_request_value: float = 0.0
	max_request_value: float = 0.0
	return_reason: str = ""
	item_group: str = ""
	brand: str = ""
	min_line_value: float = 0.0
	min_days_since_delivery: int = 0
	max_days_since_delivery: int = 0
	serial_required: str = ""

	def __post_init__(self):
		if self.outcome not in OUTCOMES:
			raise ValueError(f"unknown outcome {self.outcome!r}")


@dataclass(frozen=True)
class Decision:
	outcome: str
	rule: str | None = None
	message: str = ""


def request_matches(rule: Rule, request: Request) -> bool:
	if rule.customer and rule.customer != request.customer:
		return False
	if rule.customer_group and rule.customer_group not in request.customer_groups:
		return False
	value = request.value
	if rule.min_request_value and value < rule.min_request_value:
		return False
	if rule.max_request_value and value > rule.max_request_value:
		return False
	return True


def line_matches(rule: Rule, line: Line) -> bool:
	checks = (
		not rule.return_reason or rule.return_reason == line.return_reason,
		not rule.item_group or rule.item_group in line.item_groups,
		not rule.brand or rule.brand == line.brand,
		not rule.min_line_value or line.value >= rule.min_line_value,
		not rule.min_days_since_delivery or line.days_since_delivery >= rule.min_days_since_delivery,
		not rule.max_days_since_delivery or line.days_since_delivery <= rule.max_days_since_delivery,
		not rule.serial_required or (rule.serial_required == "Yes") == line.has_serial_no,
	)
	return all(checks)


def matches(rule: Rule, request: Request) -> bool:
	"""The request's conditions hold and at least one line meets all the line conditions."""
	return request_matches(rule, request) and any(line_matches(rule, line) for line in request.lines)


def ordered(rules: Iterable[Rule]) -> list[Rule]:
	"""Lowest priority number first; ties by name, so the order never depends on the database."""
	return sorted(rules, key=lambda rule: (rule.priority, rule.name))


def decide(rules: Sequence[Rule], request: Request) -> Decision:
	"""The first matching rule's outcome; APPROVE with no rule when none matches."""
	for rule in ordered(rules):
		if matches(rule, request):
			return Decision(rule.outcome, rule.name, rule.message if rule.outcome == DECLINE else "")
	return Decision(APPROVE)


def facts_needed(rules: Iterable[Rule]) -> set[str]:
	"""Which facts the rules read beyond the request itself, so the caller loads only those."""
	needed = set()
	for rule in rules:
		if rule.item_group:
			needed.add("item_groups")
		if rule.brand:
			needed.add("brand")
		if rule.serial_required:
			needed.add("has_serial_no")
		if rule.customer_group:
			needed.add("customer_groups")
	return needed
