"""The return fee on a credit note, as an accountant expects it.

- Charged as "Actual" rows appended to the credit note's taxes, after ERPNext has computed its own
  return: the fee's net amount booked to the fee item's own income account, and for each VAT row of
  the credited invoice ("On Net Total") the VAT on the fee at that rate (the fee item's own rate when
  its Item Tax Template names that account) to that row's account. ERPNext refuses a positive
  quantity or a negative rate on a return line, so the fee cannot be an item line; the VAT on the
  goods is left exactly as ERPNext's return reverses it.
- RMA Settings: the fee is net (VAT added) or gross (VAT included, split so the two add up exactly);
  "VAT on the Fee": as on the invoice (none when the invoice has none, as for reverse charge) or none.
- In the company's currency: converted at the credit note's exchange rate when the customer is
  invoiced in another currency (ERPNext then books it in the company currency at that rate, so the
  company amount may differ by a rounding cent).
- Never discounted: Actual rows are outside ERPNext's distributed discount; credit_note.py keeps a
  Grand Total discount percentage from being applied to them.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt

from rma_portal.domain.fees import converted, split_fee
from rma_portal.services.shared.settings import rma_settings

NO_VAT = "No VAT"


def fee_rows(credit, rma, fee: float, fee_item: str) -> list[dict]:
	"""The taxes rows that charge the fee (net, then its VAT per rate) on the credit note."""
	settings = rma_settings()
	precision = cint(credit.precision("grand_total")) if credit.meta.get_field("grand_total") else 2
	amount = fee
	if rma.get("fee_currency") and rma.fee_currency != credit.currency:
		amount = converted(fee, flt(credit.conversion_rate), precision)
	vat_rows = [] if settings.fee_vat == NO_VAT else _vat_rows(credit, fee_item)
	rates = [rate for _row, rate in vat_rows]
	# rounded as ERPNext rounds its own tax rows (the site's rounding method)
	net, vats = split_fee(amount, rates, settings.fee_includes_vat, precision, rounder=flt)
	cost_center = credit.cost_center or frappe.get_cached_value("Company", credit.company, "cost_center")
	rows = [
		{
			"charge_type": "Actual",
			"account_head": fee_income_account(fee_item, credit.company),
			"cost_center": cost_center,
			"description": _("Return fee {0} ({1})").format(rma.name, fee_item),
			"tax_amount": net,
		}
	]
	for (row, rate), vat in zip(vat_rows, vats, strict=True):
		if vat:
			rows.append(
				{
					"charge_type": "Actual",
					"account_head": row.account_head,
					"cost_center": row.cost_center or cost_center,
					"description": _("VAT {0}% on the return fee {1}").format(flt(rate), rma.name),
					"tax_amount": vat,
				}
			)
	return rows


def fee_income_account(fee_item: str, company: str) -> str:
	"""The fee item's own income account for the company (Item Defaults), else the company's."""
	return frappe.db.get_value(
		"Item Default", {"parent": fee_item, "company": company}, "income_account"
	) or frappe.get_cached_value("Company", company, "default_income_account")


def _vat_rows(credit, fee_item: str) -> list[tuple]:
	"""(VAT row, rate for the fee) for each percentage row of the credit note with a rate."""
	own = _item_rates(fee_item)
	out = []
	for row in credit.get("taxes") or []:
		if row.charge_type != "On Net Total" or not row.account_head:
			continue
		rate = own.get(row.account_head, flt(row.rate))
		if rate:
			out.append((row, rate))
	return out


def _item_rates(item_code: str) -> dict[str, float]:
	"""account -> rate of the fee item's Item Tax Templates (one per company; accounts are per company)."""
	templates = frappe.get_all(
		"Item Tax", filters={"parent": item_code, "parenttype": "Item"}, pluck="item_tax_template"
	)
	if not templates:
		return {}
	rows = frappe.get_all(
		"Item Tax Template Detail",
		filters={"parent": ["in", templates], "parenttype": "Item Tax Template"},
		fields=["tax_type", "tax_rate"],
	)
	return {row.tax_type: flt(row.tax_rate) for row in rows}
