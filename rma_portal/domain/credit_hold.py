"""Credit hold (plain Python, no Frappe): whether a customer's overdue invoices, frozen account or
credit limit hold back a portal action, and which invoices to name.

The settings say which actions a hold blocks and what holds: an invoice overdue by more than N days,
an overdue total above an amount (per currency: the ledger keeps each account's currency apart), the
account frozen, the credit limit exceeded. Staff may lift the hold for one customer until a date
(inclusive).
"""

from dataclasses import dataclass, field
from datetime import date

RETURN = "return"
SERVICE = "service"
QUOTE_REQUEST = "quote_request"
OFFER_ACCEPT = "offer_accept"
ACTIONS = (RETURN, SERVICE, QUOTE_REQUEST, OFFER_ACCEPT)

OVERDUE_DAYS = "overdue_days"
OVERDUE_AMOUNT = "overdue_amount"
FROZEN = "frozen"
CREDIT_LIMIT = "credit_limit"


@dataclass(frozen=True)
class HoldSettings:
	actions: frozenset = frozenset()
	overdue_days: int | None = None  # None: not a reason
	overdue_amount: float | None = None  # None: not a reason
	frozen: bool = False
	credit_limit: bool = False

	def blocks(self, action: str) -> bool:
		return action in self.actions and self.any_reason

	@property
	def any_reason(self) -> bool:
		return (
			self.overdue_days is not None
			or self.overdue_amount is not None
			or self.frozen
			or self.credit_limit
		)


@dataclass(frozen=True)
class OverdueInvoice:
	name: str
	due_date: date
	outstanding: float
	currency: str


@dataclass
class Hold:
	reasons: list[str] = field(default_factory=list)
	invoices: list[OverdueInvoice] = field(default_factory=list)  # the overdue invoices to name
	overdue_totals: dict[str, float] = field(default_factory=dict)

	def __bool__(self) -> bool:
		return bool(self.reasons)


def days_overdue(invoice: OverdueInvoice, on: date) -> int:
	return (on - invoice.due_date).days


def is_lifted(lifted_until: date | None, on: date) -> bool:
	return bool(lifted_until) and lifted_until >= on


def hold(
	settings: HoldSettings,
	overdue: list[OverdueInvoice],
	on: date,
	frozen: bool = False,
	over_credit_limit: bool = False,
	lifted_until: date | None = None,
) -> Hold:
	"""The hold on the customer today (empty when none or lifted). `overdue`: invoices past due with
	a balance."""
	out = Hold()
	if is_lifted(lifted_until, on):
		return out
	late = [inv for inv in overdue if inv.outstanding > 0 and days_overdue(inv, on) > 0]
	totals: dict[str, float] = {}
	for inv in late:
		totals[inv.currency] = round(totals.get(inv.currency, 0.0) + inv.outstanding, 2)
	if settings.overdue_days is not None and any(
		days_overdue(inv, on) > settings.overdue_days for inv in late
	):
		out.reasons.append(OVERDUE_DAYS)
	if settings.overdue_amount is not None and any(
		total > settings.overdue_amount for total in totals.values()
	):
		out.reasons.append(OVERDUE_AMOUNT)
	if settings.frozen and frozen:
		out.reasons.append(FROZEN)
	if settings.credit_limit and over_credit_limit:
		out.reasons.append(CREDIT_LIMIT)
	if out.reasons:
		out.invoices = sorted(late, key=lambda inv: (inv.due_date, inv.name))
		out.overdue_totals = totals
	return out
