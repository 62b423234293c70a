"""Restocking fee rules (RMA Fee Rule; the matching in domain/fee_rules.py): the fee of a return
request per line by its return reason and the age of its delivery, previewed for the dealer on
/rma/new, frozen on the RMA when sent (RMA Item fee_amount / fee_rule, RMA fee_amount / fee_rule)
and charged on the credit note as frozen (services/returns/credit_note.py asks `chargeable`).

Amounts are in the company's currency, as the flat fee always was: a line's value is its net rate
times the quantity, at its delivery's exchange rate. With no enabled rule for the company the Fee
per Return of RMA Settings applies (per company where its row sets one), so an upgrade changes
nothing.
"""

import frappe
from frappe.utils import cint, date_diff, flt, getdate, today

from rma_portal.domain import fee_rules as rules
from rma_portal.services.shared.settings import rma_settings


def rules_for(company: str | None) -> list[rules.FeeRule]:
	"""The enabled rules of the company (and those for every company), in their order."""
	rows = frappe.get_all(
		"RMA Fee Rule",
		filters={"enabled": 1},
		fields=[
			"name",
			"company",
			"basis",
			"percentage",
			"amount",
			"minimum",
			"maximum",
			"return_reason",
			"min_age_days",
			"max_age_days",
			"priority",
		],
		order_by="priority asc, name asc",
	)
	return [
		rules.FeeRule(
			name=row.name,
			basis=row.basis,
			percentage=flt(row.percentage),
			amount=flt(row.amount),
			minimum=flt(row.minimum),
			maximum=flt(row.maximum),
			return_reason=row.return_reason or None,
			min_age_days=cint(row.min_age_days) or None,
			max_age_days=cint(row.max_age_days) or None,
		)
		for row in rows
		if not row.company or row.company == company
	]


def fee_line(key: str, reason: str, delivery_date, qty: float, rate: float, exchange_rate: float, on=None):
	"""One requested line as the rules read it: its reason, days since delivery, value in the
	company's currency."""
	age = max(date_diff(on or today(), getdate(delivery_date)), 0) if delivery_date else 0
	return rules.FeeLine(key, reason or "", age, flt(qty) * flt(rate) * (flt(exchange_rate) or 1.0))


def exchange_rates(delivery_notes) -> dict[str, float]:
	"""delivery note -> its exchange rate to the company's currency (one query)."""
	names = sorted({name for name in delivery_notes if name})
	if not names:
		return {}
	rows = frappe.get_all(
		"Delivery Note", filters={"name": ["in", names]}, fields=["name", "conversion_rate"]
	)
	return {row.name: flt(row.conversion_rate) or 1.0 for row in rows}


def fees_for(company: str | None, lines: list[rules.FeeLine]) -> rules.Fees:
	return rules.fees(rules_for(company), lines, flt(rma_settings(company).fee_amount))


def freeze(rma) -> rules.Fees:
	"""Put the request's fee on the (new) RMA: per line and in total, with the rules that set it."""
	rates = exchange_rates(row.delivery_note for row in rma.items)
	lines = [
		fee_line(
			str(row.idx or index),
			row.return_reason,
			row.delivery_date,
			row.qty_requested,
			row.rate,
			rates.get(row.delivery_note, 1.0),
		)
		for index, row in enumerate(rma.items, start=1)
	]
	fees = fees_for(rma.company, lines)
	for line, row in zip(lines, rma.items, strict=True):
		rule, fee = fees.lines.get(line.key, (None, 0.0))
		row.fee_amount, row.fee_rule = fee, rule
	rma.fee_rule = fees.per_return[0]
	rma.fee_amount = fees.total
	return fees


def chargeable(rma, credited: set[str]) -> float:
	"""The fee a credit note charges: the frozen total less the fees of the lines (RMA Item names)
	that are not `credited`."""
	line_fees = {row.name: flt(row.get("fee_amount")) for row in rma.items}
	return rules.charged(flt(rma.fee_amount), line_fees, credited)
