# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""RMA lines grouped by return reason, item, customer or handling.

One aggregated query. The grouped column comes from GROUPS (a fixed whitelist), never from the
filter value itself; every filter value is passed as a query parameter.
"""

import frappe
from frappe import _
from frappe.utils import flt

from rma_portal.rma_portal.report import report_common
from rma_portal.rma_portal.report.report_common import column

# group_by filter value -> (SQL expression, column label, fieldtype, options, name expression)
GROUPS = {
	"Return Reason": ("item.return_reason", "Return Reason", "Link", "RMA Return Reason", None),
	"Item": ("item.item_code", "Item", "Link", "Item", "max(item.item_name)"),
	"Customer": ("rma.customer", "Customer", "Link", "Customer", "max(rma.customer_name)"),
	"Handling": ("item.handling", "Handling", "Data", None, None),
}
STATUSES = ("Draft", "Expected", "Received", "Invoiced", "Completed", "Rejected", "Cancelled")
KINDS = ("Return", "Service")
CHART_GROUPS = 12  # the chart shows the largest groups only


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = filters.get("group_by") or "Return Reason"
	if group_by not in GROUPS:
		frappe.throw(
			_("Group By: choose one of {0}.").format(", ".join(_(g) for g in GROUPS)),
			title=_("Invalid filter"),
		)
	rows, totals = get_rows(filters, group_by)
	columns = get_columns(group_by)
	return columns, rows, None, get_chart(rows, group_by), get_summary(totals)


def get_columns(group_by):
	_expr, label, fieldtype, options, name_expr = GROUPS[group_by]
	columns = [column("group_value", _(label), fieldtype, 220, options)]
	if name_expr:
		columns.append(column("group_name", _("Name"), "Data", 220))
	columns += [
		column("rmas", _("RMAs"), "Int", 80),
		column("lines", _("Lines"), "Int", 80),
		column("qty_requested", _("Qty Requested"), "Float", 130),
		column("qty_received", _("Qty Received"), "Float", 130),
		column("value_requested", _("Value Requested"), "Currency", 140, "currency"),
		column("share", _("Share of Value (%)"), "Percent", 150),
		column("currency", _("Currency"), "Link", 100, "Currency"),
	]
	return columns


def get_conditions(filters):
	conditions, values = [], {}
	report_common.submitted_in_period(filters, "rma.submitted_on", conditions, values)
	report_common.equal(filters, "rma", ("company", "customer"), conditions, values)
	status_refused, kind_refused = _("Status: unknown value {0}."), _("Kind: unknown value {0}.")
	report_common.choice(filters, "status", STATUSES, "rma.status", status_refused, conditions, values)
	report_common.choice(filters, "kind", KINDS, "rma.kind", kind_refused, conditions, values)
	return " and ".join(conditions), values


def get_rows(filters, group_by):
	"""Aggregate per (currency, group) WITH ROLLUP: the rollup rows give per-currency and grand
	totals with RMAs counted once (an RMA whose lines fall in several groups counts in each group).
	Real NULLs are coalesced to '' so that only rollup rows carry NULL."""
	expr, _label, _fieldtype, _options, name_expr = GROUPS[group_by]
	conditions, values = get_conditions(filters)
	data = frappe.db.sql(
		f"""
		select
			coalesce(rma.currency, '') as currency,
			coalesce({expr}, '') as group_value,
			{name_expr or "''"} as group_name,
			count(distinct rma.name) as rmas,
			count(item.name) as `lines`,
			sum(item.qty_requested) as qty_requested,
			sum(item.qty_received) as qty_received,
			sum(item.qty_requested * item.rate) as value_requested
		from `tabRMA Item` item
		inner join `tabRMA` rma
			on rma.name = item.parent and item.parenttype = 'RMA' and item.parentfield = 'items'
		where {conditions}
		group by coalesce(rma.currency, ''), coalesce({expr}, '') with rollup
		""",  # columns from the fixed GROUPS table, values as parameters; nosec B608
		values,
		as_dict=True,
	)
	currency_totals, rows = {}, []
	grand_total = frappe._dict(rmas=0, lines=0, qty_requested=0, qty_received=0, currencies=[])
	for row in data:
		if row.currency is None:  # grand total
			grand_total.update(row)
		elif row.group_value is None:  # total of one currency
			currency_totals[row.currency] = row
		else:
			rows.append(row)
	grand_total.currencies = sorted(currency_totals)
	grand_total.value_requested = (
		currency_totals[grand_total.currencies[0]].value_requested
		if len(grand_total.currencies) == 1
		else None
	)
	for row in rows:
		total = flt(currency_totals[row.currency].value_requested)
		row.share = flt(flt(row.value_requested) * 100 / total, 2) if total else 0
		row.currency = row.currency or None
		if row.group_value == "":
			row.group_value = None
			row.group_name = _("Not set")
		elif not name_expr:
			row.group_name = None
		if group_by == "Handling" and row.group_value:
			row.group_value = _(row.group_value)
	rows.sort(key=lambda r: (-flt(r.value_requested), -flt(r.qty_requested), r.group_value or ""))
	return rows, grand_total


def get_chart(rows, group_by):
	if not rows:
		return None
	by_group = {}
	for row in rows:  # several currencies may give one group more than one row
		key = row.group_value or _("Not set")
		entry = by_group.setdefault(key, [0, 0])
		entry[0] += flt(row.qty_requested)
		entry[1] += flt(row.qty_received)
	top = sorted(by_group.items(), key=lambda kv: -kv[1][0])[:CHART_GROUPS]
	return {
		"data": {
			"labels": [label for label, _q in top],
			"datasets": [
				{"name": _("Qty Requested"), "values": [q[0] for _l, q in top]},
				{"name": _("Qty Received"), "values": [q[1] for _l, q in top]},
			],
		},
		"type": "bar",
		"colors": ["#5e64ff", "#29cd42"],
		"title": _("Quantities by {0}").format(_(group_by)),
	}


def get_summary(totals):
	summary = [
		{"value": totals.rmas or 0, "label": _("RMAs"), "datatype": "Int", "indicator": "Blue"},
		{"value": totals.lines or 0, "label": _("Lines"), "datatype": "Int", "indicator": "Blue"},
		{"value": flt(totals.qty_requested), "label": _("Qty Requested"), "datatype": "Float"},
		{
			"value": flt(totals.qty_received),
			"label": _("Qty Received"),
			"datatype": "Float",
			"indicator": "Green",
		},
	]
	if len(totals.currencies) == 1:
		summary.append(
			{
				"value": flt(totals.value_requested),
				"label": _("Value Requested"),
				"datatype": "Currency",
				"currency": totals.currencies[0] or None,
			}
		)
	return summary
