# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Open RMAs against their service level: Expected for more than N days since they were submitted
(goods overdue for receipt), Received for more than N days since receipt (overdue for the credit
note), and every request awaiting approval (Requested) with the time it has to be decided by (the
review queue's review time of RMA Settings, in hours or business days on the company's Holiday
List), marked overdue once past it."""

import frappe
from frappe import _
from frappe.utils import add_days, cint, date_diff, get_datetime, getdate, now_datetime, today

from rma_portal.rma_portal.report import report_common
from rma_portal.rma_portal.report.report_common import column
from rma_portal.services.policy import approval

DEFAULT_DAYS = 14
KINDS = ("Return", "Service")
REQUESTED = approval.REQUESTED
CHART_NAMES = {REQUESTED: "Approval late", "Expected": "Receipt late", "Received": "Credit note late"}
BREACHES = {
	REQUESTED: "Overdue for approval",
	"Expected": "Overdue for receipt",
	"Received": "Overdue for credit note",
}
IN_REVIEW = "Awaiting approval"  # a request still within its review time: listed, not a breach


def execute(filters=None):
	filters = frappe._dict(filters or {})
	days = cint(filters.get("days")) if filters.get("days") not in (None, "") else DEFAULT_DAYS
	if days < 0:
		frappe.throw(_("Older Than (Days): must be 0 or more."), title=_("Invalid filter"))
	rows = get_rows(filters, days)
	return get_columns(), rows, None, get_chart(rows), get_summary(rows, days)


# One column a line, the report's own (report_common.column says why); the shared ones from there.
def get_columns():
	return [
		column("name", _("RMA"), "Link", 180, "RMA"),
		column("breach", _("Breach"), "Data", 180),
		column("status", _("Status"), "Data", 100),
		column("age_days", _("Days Waiting"), "Int", 115),
		column("overdue_days", _("Days Overdue"), "Int", 115),
		column("approval_due_on", _("Review Due On"), "Datetime", 175),
		report_common.customer_column(),
		report_common.submitted_on_column(),
		column("received_on", _("Received On"), "Date", 115),
		column("kind", _("Kind"), "Data", 80),
		column("total_qty_requested", _("Qty Requested"), "Float", 125),
		column("total_qty_received", _("Qty Received"), "Float", 125),
	]


def get_rows(filters, days):
	"""Expected: submitted before the start of (today - days); Received: received on or before
	(today - days - 1). Both mean: waiting more than `days` whole days. Requested: every request,
	measured against its own review time rather than `days`."""
	cutoff = add_days(getdate(today()), -days)
	conditions = [
		"""(rma.status = 'Requested'
		or (rma.status = 'Expected' and rma.submitted_on < %(cutoff)s)
		or (rma.status = 'Received' and rma.received_on < %(cutoff)s))"""
	]
	values = {"cutoff": cutoff}
	report_common.choice(
		filters, "kind", KINDS, "rma.kind", _("Kind: unknown value {0}."), conditions, values
	)
	if filters.get("breach"):
		conditions.append("rma.status = %(status)s")
		values["status"] = status_of_breach(filters.breach)
	report_common.equal(filters, "rma", ("company", "customer"), conditions, values)
	rows = frappe.db.sql(
		f"""
		select rma.name, rma.status, rma.kind, rma.customer, rma.customer_name, rma.submitted_on,
			rma.received_on, rma.total_qty_requested, rma.total_qty_received, rma.company,
			rma.approval_due_on
		from `tabRMA` rma
		where {" and ".join(conditions)}
		""",  # fixed condition texts, values as parameters; nosec B608
		values,
		as_dict=True,
	)
	kept = []
	for row in rows:
		breach = measure_request(row) if row.status == REQUESTED else measure(row, days)
		row.breach = _(breach)
		if not filters.get("breach") or breach == filters.breach:
			kept.append(row)
	kept.sort(key=lambda r: (-(r.overdue_days or 0), r.name))
	return kept


def status_of_breach(breach: str) -> str:
	status = {v: k for k, v in BREACHES.items()}.get(breach) or (REQUESTED if breach == IN_REVIEW else None)
	if not status:
		frappe.throw(_("Breach: unknown value {0}.").format(breach), title=_("Invalid filter"))
	return status


def measure(row, days) -> str:
	"""An Expected or Received row's whole days waiting and past `days`; its breach (untranslated)."""
	since = row.submitted_on if row.status == "Expected" else row.received_on
	row.age_days = date_diff(today(), getdate(since))
	row.overdue_days = row.age_days - days
	return BREACHES[row.status]


def measure_request(row) -> str:
	"""A request's days waiting and, past its review time, the days past its due day (1 on that day
	itself); its breach (untranslated): overdue for approval, or awaiting approval within the time."""
	row.age_days = date_diff(today(), getdate(row.submitted_on))
	# The time given when it was sent, which the review queue marks overdue by; a request sent while
	# RMA Settings had no review time is measured by today's setting (None: none to keep).
	due = row.approval_due_on or approval.review_due_on(row.submitted_on, row.company)
	row.approval_due_on = due
	if not due or get_datetime(due) >= now_datetime():
		row.overdue_days = None
		return IN_REVIEW
	row.overdue_days = max(date_diff(today(), getdate(due)), 1)
	return BREACHES[REQUESTED]


def get_chart(rows):
	if not rows:
		return None
	buckets = (("1-7", 7), ("8-14", 14), ("15-30", 30), ("31-60", 60), ("> 60", None))
	counts = {breach: [0] * len(buckets) for breach in BREACHES.values()}
	for row in rows:
		if row.overdue_days is None:
			continue  # a request within its review time is no breach
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
		"colors": ["#7c5ad9", "#ffa00a", "#ff5858"],
		"title": _("Overdue RMAs"),
	}


def get_summary(rows, days):
	approval_late = sum(1 for r in rows if r.status == REQUESTED and r.overdue_days)
	receipt = sum(1 for r in rows if r.status == "Expected")
	credit = sum(1 for r in rows if r.status == "Received")
	return [
		{"value": days, "label": _("SLA (Days)"), "datatype": "Int"},
		{
			"value": approval_late,
			"label": _("Overdue for Approval"),
			"datatype": "Int",
			"indicator": "Red",
		},
		{"value": receipt, "label": _("Overdue for Receipt"), "datatype": "Int", "indicator": "Orange"},
		{"value": credit, "label": _("Overdue for Credit Note"), "datatype": "Int", "indicator": "Red"},
		{
			"value": max((r.age_days for r in rows), default=0),
			"label": _("Oldest (Days Waiting)"),
			"datatype": "Int",
		},
	]
