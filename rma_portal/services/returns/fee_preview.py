"""The return fee a request would be charged, shown on /rma/new before sending (api/returns.preview_fee):
the same lines, quantities and rules as create_return_rma freezes on the RMA (services/policy/fee_rules.py),
so the dealer sees what the credit note will charge. Reads only; callers check access first.
"""

import frappe

from rma_portal.services.policy import fee_rules
from rma_portal.services.returns.return_request import _lines_by_name, _read_lines
from rma_portal.services.shared.settings import rma_settings


def fee_preview(customer: str, lines: list[dict], return_reason: str | None = None) -> dict:
	"""The return fee the request would be charged, as create_return_rma freezes it (services/policy/
	fee_rules.py): {total, currency, lines: {delivery note item: fee}}; lines not the customer's are
	left out (sending reports them)."""
	wanted = _read_lines(lines, return_reason, [])
	candidates = _lines_by_name(customer, list(wanted))
	known = sorted((n for n in wanted if n in candidates), key=lambda n: wanted[n]["line_no"])
	company = candidates[known[0]].company if known else frappe.defaults.get_global_default("company")
	rates = fee_rules.exchange_rates(candidates[n].delivery_note for n in known)
	fee_lines = [
		fee_rules.fee_line(
			name,
			wanted[name]["reason"],
			candidates[name].delivery_date,
			wanted[name]["qty"] or 0,
			candidates[name].rate,
			rates.get(candidates[name].delivery_note, 1.0),
		)
		for name in known
	]
	fees = fee_rules.fees_for(company, fee_lines)
	settings = rma_settings(company)
	return {
		"total": fees.total,
		"currency": frappe.get_cached_value("Company", company, "default_currency") if company else None,
		"lines": {name: fee for name, (_rule, fee) in fees.lines.items()},
		"includes_vat": settings.fee_includes_vat or settings.fee_vat == "No VAT",
	}
