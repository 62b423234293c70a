# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Every credit note made for an RMA, one row each, with the invoice it credits and the totals per
currency: what the accountant reconciles against the returns.

Read from the RMA's own list of credit notes (RMA Credit Note, kept by the Sales Invoice hooks), so a
credit note made by hand with the RMA field set is listed too; cancelled ones drop out of that list.
"""

import frappe
from frappe import _
from frappe.utils import flt

from rma_portal.rma_portal.report import report_common
from rma_portal.rma_portal.report.report_common import column


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_rows(filters)
	totals = totals_per_currency(rows)
	return get_columns(), rows, None, None, get_summary(rows, totals)


def get_columns():
	return [
		column("rma", _("RMA"), "Link", 160, "RMA"),
		report_common.customer_column(180),
		column("credit_note", _("Credit Note"), "Link", 170, "Sales Invoice"),
		column("posting_date", _("Date"), "Date", 100),
		column("return_against", _("Against Invoice"), "Link", 170, "Sales Invoice"),
		column("fee_amount", _("Return Fee"), "Currency", 110, "currency"),
		column("credited", _("Credited"), "Currency", 130, "currency"),
		column("outstanding_against", _("Outstanding of Invoice"), "Currency", 170, "currency"),
		column("currency", _("Currency"), "Link", 90, "Currency"),
	]


def get_conditions(filters):
	from_date, to_date = report_common.period(filters)
	conditions = ["cn.posting_date between %(from_date)s and %(to_date)s"]
	values = {"from_date": from_date, "to_date": to_date}
	report_common.equal(filters, "rma", ("company", "customer"), conditions, values)
	if filters.get("rma"):
		conditions.append("rma.name = %(rma)s")
		values["rma"] = filters.rma
	return " and ".join(conditions), values


def get_rows(filters):
	conditions, values = get_conditions(filters)
	return frappe.db.sql(
		f"""
		select
			rma.name as rma, rma.customer, cn.sales_invoice as credit_note, cn.posting_date,
			cn.return_against, cn.fee_amount, -cn.grand_total as credited,
			against.outstanding_amount as outstanding_against,
			coalesce(cn.currency, rma.currency) as currency
		from `tabRMA Credit Note` cn
		inner join `tabRMA` rma
			on rma.name = cn.parent and cn.parenttype = 'RMA' and cn.parentfield = 'credit_notes'
		left join `tabSales Invoice` against on against.name = cn.return_against
		where {conditions}
		order by cn.posting_date desc, rma.name desc, cn.idx
		""",  # conditions are fixed texts, values are parameters; nosec B608
		values,
		as_dict=True,
	)


def totals_per_currency(rows):
	totals = {}
	for row in rows:
		total = totals.setdefault(row.currency, frappe._dict(credited=0.0, fees=0.0, count=0))
		total.credited += flt(row.credited)
		total.fees += flt(row.fee_amount)
		total.count += 1
	return totals


def get_summary(rows, totals):
	summary = [
		{"label": _("Credit Notes"), "value": len(rows), "datatype": "Int"},
		{"label": _("RMAs"), "value": len({row.rma for row in rows}), "datatype": "Int"},
	]
	for currency, total in sorted(totals.items()):
		summary.append(
			{
				"label": _("Credited ({0})").format(currency),
				"value": total.credited,
				"datatype": "Currency",
				"currency": currency,
				"indicator": "Green",
			}
		)
		summary.append(
			{
				"label": _("Return Fees ({0})").format(currency),
				"value": total.fees,
				"datatype": "Currency",
				"currency": currency,
			}
		)
	return summary
