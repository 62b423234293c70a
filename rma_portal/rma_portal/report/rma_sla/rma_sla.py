# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Open RMAs past the service level: Expected for more than N days since they were submitted
(goods overdue for receipt) or Received for more than N days since receipt (overdue for the
credit note)."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, date_diff, getdate, today

from rma_portal.rma_portal.report import report_common
from rma_portal.rma_portal.report.report_common import column

DEFAULT_DAYS = 14
KINDS = ("Return", "Service")
CHART_NAMES = {"Expected": "Receipt late", "Received": "Credit note late"}
BREACHES = {
	"Expected": "Overdue for receipt",
	"Received": "Overdue for credit note",
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	days = cint(filters.get("days")) if filters.get("days") not in (None, "") else DEFAULT_DAYS
	if days < 0:
		frappe.throw(_("Older Than (Days): must be 0 or more."), title=_("Invalid filter"))
	rows = get_rows(filters, days)
	return get_columns(), rows, None, get_chart(rows), get_summary(rows, days)


def get_columns():
	# The reports' column lists share their shape on purpose: each label is a literal _() for the
	# translation check, and column() already holds what they have in common.
	return [
		column("name", _("RMA"), "Link", 180, "RMA"),
		column("breach", _("Breach"), "Data", 180),
		column("status", _("Status"), "Data", 100),
		column("age_days", _("Days Waiting"), "Int", 115),
		column("overdue_days", _("Days Overdue"), "Int", 115),
		column("customer", _("Customer"), "Link", 200, "Customer"),
		column("submitted_on", _("Submitted On"), "Datetime", 175),
		column("received_on", _("Received On"), "Date", 115),
		column("kind", _("Kind"), "Data", 80),
		column("total_qty_requested", _("Qty Requested"), "Float", 125),
		column("total_qty_received", _("Qty Received"), "Float", 125),
	]


def get_rows(filters, days):
	"""Expected: submitted before the start of (today - days); Received: received on or before
	(today - days - 1). Both mean: waiting more than `days` whole days."""
	cutoff = add_days(getdate(today()), -days)
	conditions = [
		"""((rma.status = 'Expected' and rma.submitted_on < %(cutoff)s)
		or (rma.status = 'Received' and rma.received_on < %(cutoff)s))"""
	]
	values = {"cutoff": cutoff}
	report_common.choice(
		filters, "kind", KINDS, "rma.kind", _("Kind: unknown value {0}."), conditions, values
	)
	if filters.get("breach"):
		status = {v: k for k, v in BREACHES.items()}.get(filters.breach)
		if not status:
			frappe.throw(_("Breach: unknown value {0}.").format(filters.breach), title=_("Invalid filter"))
		conditions.append("rma.status = %(status)s")
		values["status"] = status
	report_common.equal(filters, "rma", ("company", "customer"), conditions, values)
	rows = frappe.db.sql(
		f"""
		select rma.name, rma.status, rma.kind, rma.customer, rma.customer_name, rma.submitted_on,
			rma.received_on, rma.total_qty_requested, rma.total_qty_received
		from `tabRMA` rma
		where {" and ".join(conditions)}
		""",  # fixed condition texts, values as parameters; nosec B608
		values,
		as_dict=True,
	)
	now = today()
	for row in rows:
		since = row.submitted_on if row.status == "Expected" else row.received_on
		row.age_days = date_diff(now, getdate(since))
		row.overdue_days = row.age_days - days
		row.breach = _(BREACHES[row.status])
	rows.sort(key=lambda r: (-r.overdue_days, r.name))
	return rows


def get_chart(rows):
	if not rows:
		return None
	buckets = (("1-7", 7), ("8-14", 14), ("15-30", 30), ("31-60", 60), ("> 60", None))
	counts = {breach: [0] * len(buckets) for breach in BREACHES.values()}
	for row in rows:
		for i, (_label, upper) in enumerate(buckets):
			if upper is None or row.overdue_days <= upper:
				counts[BREACHES[row.status]][i] += 1
				break
	return {
		"data": {
			"labels": [_("{0} days overdue").format(label) for label, _u in buckets],
			# short legend names: the chart legend cuts long ones
			"datasets": [
				{"name": _(CHART_NAMES[status]), "values": counts[BREACHES[status]]} for status in BREACHES
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#ffa00a", "#ff5858"],
		"title": _("Overdue RMAs"),
	}


def get_summary(rows, days):
	receipt = sum(1 for r in rows if r.status == "Expected")
	credit = len(rows) - receipt
	return [
		{"value": days, "label": _("SLA (Days)"), "datatype": "Int"},
		{"value": receipt, "label": _("Overdue for Receipt"), "datatype": "Int", "indicator": "Orange"},
		{"value": credit, "label": _("Overdue for Credit Note"), "datatype": "Int", "indicator": "Red"},
		{
			"value": max((r.age_days for r in rows), default=0),
			"label": _("Oldest (Days Waiting)"),
			"datatype": "Int",
		},
	]
