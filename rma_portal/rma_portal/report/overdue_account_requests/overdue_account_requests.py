# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Open dealer account requests past their due date (two business days after filing, on the company's
Holiday List), oldest due first, with how many business days they are late."""

import frappe
from frappe import _
from frappe.utils import getdate, today

from rma_portal.domain import business_days
from rma_portal.rma_portal.report import report_common
from rma_portal.rma_portal.report.report_common import column
from rma_portal.services.accounts import account_requests as service

FIELDS = (
	"name",
	"request_type",
	"due_date",
	"submitted_on",
	"requested_by",
	"customer",
	"new_account_name",
	"account_name",
	"user_email",
)


def execute(filters=None):
	if hasattr(frappe.local, "rma_overdue_calendar"):
		del frappe.local.rma_overdue_calendar  # read again for each run of the report
	rows = get_rows()
	return get_columns(), rows, None, None, get_summary(rows)


# One column a line, the report's own (report_common.column says why); the shared ones from there.
def get_columns():
	return [
		column("name", _("Account Request"), "Link", 140, "Dealer Account Request"),
		column("request_type", _("Request Type"), "Data", 250),
		column("due_date", _("Due Date"), "Date", 110),
		column("days_late", _("Business Days Late"), "Int", 150),
		report_common.submitted_on_column(170),
		column("about", _("Account"), "Data", 200),
		column("user_email", _("Current E-mail"), "Data", 200),
		column("requested_by", _("Requested By"), "Link", 200, "User"),
	]


def overdue_filters() -> dict:
	return {"status": "Open", "due_date": ["<", today()]}


def count() -> int:
	"""For the workspace's number card and tests: open requests past their due date."""
	return frappe.db.count(service.DOCTYPE, overdue_filters())


def get_rows() -> list[dict]:
	rows = frappe.get_all(
		service.DOCTYPE, filters=overdue_filters(), fields=list(FIELDS), order_by="due_date asc, name asc"
	)
	now = getdate(today())
	for row in rows:
		row["request_type"] = _(row["request_type"])
		row["about"] = row.get("new_account_name") or row.get("account_name") or row.get("customer")
		# business days from the due date to today: the due day itself is not late
		row["days_late"] = business_days_between(getdate(row["due_date"]), now)
	return rows


def business_days_between(start, end) -> int:
	"""Business days after `start` up to and including `end`, on the company's Holiday List (read once
	per report, not per row)."""
	if end <= start:
		return 0
	holidays, span = _holidays()
	# a list that covers the period holds its weekly days off among its holidays (as in due_date)
	weekend = () if span and span[0] <= start and end <= span[1] else business_days.WEEKEND
	days, day = 0, start
	while day < end:
		day = business_days.add_business_days(day, 1, holidays, weekend)
		if day <= end:
			days += 1
	return days


def _holidays():
	"""The holidays of the company's default Holiday List and the period it covers, read once per report."""
	if not hasattr(frappe.local, "rma_overdue_calendar"):
		holiday_list = frappe.get_cached_value("Company", service.settings().company, "default_holiday_list")
		holidays, span = set(), None
		if holiday_list:
			holidays = set(frappe.get_all("Holiday", filters={"parent": holiday_list}, pluck="holiday_date"))
			dates = frappe.db.get_value("Holiday List", holiday_list, ["from_date", "to_date"])
			span = (getdate(dates[0]), getdate(dates[1])) if dates and all(dates) else None
		frappe.local.rma_overdue_calendar = (holidays, span)
	return frappe.local.rma_overdue_calendar


def get_summary(rows):
	return [
		{
			"value": len(rows),
			"label": _("Overdue account requests"),
			"datatype": "Int",
			"indicator": "Red" if rows else "Green",
		}
	]
