# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Customer warranty claims with the days from submission to decision (handling date).

Granted and Refused claims count as decided; the others show how long they have been open.
"""

import statistics

import frappe
from frappe import _
from frappe.utils import add_days, add_months, cint, date_diff, flt, getdate, today

from rma_portal.rma_portal.report import report_common
from rma_portal.rma_portal.report.report_common import column

STATUSES = ("Received", "In processing", "Granted", "Refused")
DECIDED = ("Granted", "Refused")
# days-to-decision buckets of the chart: (label, upper bound inclusive)
BUCKETS = (("0-2", 2), ("3-7", 7), ("8-14", 14), ("15-30", 30), ("31-60", 60), ("> 60", None))


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_rows(filters)
	return get_columns(), rows, None, get_chart(rows), get_summary(rows)


# One column a line, the report's own (report_common.column says why); the shared ones from there.
def get_columns():
	return [
		column("name", _("Claim"), "Link", 150, "Customer Warranty Claim"),
		column("status", _("Status"), "Data", 130),
		report_common.submitted_on_column(),
		column("handling_date", _("Handling Date"), "Date", 120),
		column("days_to_decision", _("Days to Decision"), "Int", 140),
		column("days_open", _("Days Open"), "Int", 100),
		report_common.customer_column(),
		column("item_code", _("Item"), "Link", 170, "Item"),
		column("item_name", _("Item Name"), "Data", 200),
	]


def get_rows(filters):
	conditions, values = [], {}
	report_common.submitted_in_period(filters, "claim.submitted_on", conditions, values)
	status = filters.get("status")
	if status in ("Decided", "Open"):
		conditions.append("claim.status " + ("in" if status == "Decided" else "not in") + " %(decided)s")
		values["decided"] = DECIDED
	else:
		refused = _("Status: unknown value {0}.")
		report_common.choice(filters, "status", STATUSES, "claim.status", refused, conditions, values)
	report_common.equal(filters, "claim", ("company", "customer", "item_code"), conditions, values)
	rows = frappe.db.sql(
		f"""
		select claim.name, claim.submitted_on, claim.handling_date, claim.status, claim.customer,
			claim.customer_name, claim.item_code, claim.item_name
		from `tabCustomer Warranty Claim` claim
		where {" and ".join(conditions)}
		order by claim.submitted_on desc, claim.name desc
		""",  # fixed condition texts, values as parameters; nosec B608
		values,
		as_dict=True,
	)
	now = today()
	for row in rows:
		submitted = getdate(row.submitted_on)
		if row.status in DECIDED and row.handling_date:
			row.days_to_decision = max(date_diff(row.handling_date, submitted), 0)
		else:
			row.days_open = max(date_diff(now, submitted), 0)
	return rows


def bucket_of(days):
	for label, upper in BUCKETS:
		if upper is None or days <= upper:
			return label


def get_chart(rows):
	decided = [r for r in rows if r.days_to_decision is not None]
	if not decided:
		return None
	counts = {status: {label: 0 for label, _u in BUCKETS} for status in DECIDED}
	for row in decided:
		counts[row.status][bucket_of(row.days_to_decision)] += 1
	return {
		"data": {
			"labels": [_("{0} days").format(label) for label, _u in BUCKETS],
			"datasets": [{"name": _(status), "values": list(counts[status].values())} for status in DECIDED],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#29cd42", "#ff5858"],
		"title": _("Days to Decision"),
	}


def get_summary(rows):
	days = [r.days_to_decision for r in rows if r.days_to_decision is not None]
	granted = sum(1 for r in rows if r.status == "Granted")
	refused = sum(1 for r in rows if r.status == "Refused")
	open_claims = len(rows) - granted - refused
	return [
		{"value": len(rows), "label": _("Claims"), "datatype": "Int", "indicator": "Blue"},
		{"value": open_claims, "label": _("Open"), "datatype": "Int", "indicator": "Orange"},
		{"value": granted, "label": _("Granted"), "datatype": "Int", "indicator": "Green"},
		{"value": refused, "label": _("Refused"), "datatype": "Int", "indicator": "Red"},
		{
			"value": flt(granted * 100 / (granted + refused), 1) if granted + refused else 0,
			"label": _("Granted of Decided (%)"),
			"datatype": "Percent",
		},
		{
			"value": flt(statistics.mean(days), 1) if days else 0,
			"label": _("Average Days to Decision"),
			"datatype": "Data",  # Float would show the system precision (10.300)
		},
		{
			"value": flt(statistics.median(days), 1) if days else 0,
			"label": _("Median Days to Decision"),
			"datatype": "Data",
		},
		{"value": cint(max(days)) if days else 0, "label": _("Longest (Days)"), "datatype": "Int"},
	]
