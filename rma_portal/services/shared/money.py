"""Amounts as Frappe's fmt_money writes them (number format, precision, the currency's symbol and
side), with the site's settings read once per formatter instead of once per amount: the portal's
pages and the candidates JSON format a few dozen amounts each."""

import frappe
from frappe import _
from frappe.utils import cint, fmt_money

from rma_portal.compat import number_format_info


def money(amount, currency: str | None) -> str:
	"""fmt_money(amount, currency=currency), with the currency's symbol from the site's document cache:
	Frappe's asks the database for the symbol and its side once per currency and request."""
	return money_formatter()(amount, currency)


def money_formatter():
	"""money() with the site's number format, currency precision and symbol setting read once: a page
	of 20 invoices formats about 125 amounts, and each fmt_money read those three defaults again."""
	number_format = frappe.db.get_default("number_format") or "#,###.##"
	precision = cint(frappe.db.get_default("currency_precision")) or number_format_info(number_format)[2]
	hide_symbol = frappe.defaults.get_global_default("hide_currency_symbol") == "Yes"
	symbols = {}

	def formatted(amount, currency: str | None) -> str:
		if not currency or precision > 2:
			return fmt_money(amount, currency=currency)  # above 2 decimals it also reads the fraction units
		number = fmt_money(amount, precision=precision, format=number_format)
		if hide_symbol:
			return number
		if currency not in symbols:
			symbol, on_right = frappe.get_cached_value(
				"Currency", currency, ["symbol", "symbol_on_right"]
			) or (
				None,
				None,
			)
			symbols[currency] = (_(symbol or currency), on_right)
		symbol, on_right = symbols[currency]
		return f"{number} {symbol}" if on_right else f"{symbol} {number}"

	return formatted
