"""What the app's script reports share: their columns, and their filters' handling (RMA Analysis, RMA
SLA, Warranty Claim Decision Times, RMA Credit Notes, Overdue Account Requests; the scripts of the first
four build the same filters from public/js/report_filters.js).

Each filter helper adds SQL conditions on a column the report names and puts the filter's value in
`values` as a query parameter: a filter's text never becomes SQL."""

import frappe
from frappe import _
from frappe.utils import add_days, add_months, getdate, today


def column(fieldname: str, label: str, fieldtype: str, width: int, options: str | None = None) -> dict:
	"""One column of a report's result (`label` translated by the caller). Each report lists its own
	columns with it, one a line: the lists look alike (a document, a customer, dates, quantities) but
	are each report's own data, so they stay written out in each report on purpose."""
	out = {"fieldname": fieldname, "label": label, "fieldtype": fieldtype, "width": width}
	if options:
		out["options"] = options
	return out


def customer_column(width: int = 200) -> dict:
	"""The Customer the row is about: the same column in every report that has one."""
	return column("customer", _("Customer"), "Link", width, "Customer")


def submitted_on_column(width: int = 175) -> dict:
	"""When the dealer submitted the document: the same column in every report that has one."""
	return column("submitted_on", _("Submitted On"), "Datetime", width)


def period(filters, months: int = 12) -> tuple:
	"""(From Date, To Date), the last `months` months when not given; From after To is refused."""
	from_date = getdate(filters.get("from_date") or add_months(today(), -months))
	to_date = getdate(filters.get("to_date") or today())
	if from_date > to_date:
		frappe.throw(_("From Date must be before To Date."), title=_("Invalid filter"))
	return from_date, to_date


def submitted_in_period(filters, column: str, conditions: list, values: dict):
	"""`column` (a datetime) within the period's days, To Date included."""
	from_date, to_date = period(filters)
	conditions += [f"{column} >= %(from_date)s", f"{column} < %(to_date)s"]
	values.update({"from_date": from_date, "to_date": add_days(to_date, 1)})


def choice(filters, field: str, allowed, column: str, refusal: str, conditions: list, values: dict):
	"""`column` equal to the filter `field` when set; a value not in `allowed` is refused with `refusal`
	(a translated message naming the filter, {0} the value)."""
	value = filters.get(field)
	if not value:
		return
	if value not in allowed:
		frappe.throw(refusal.format(value), title=_("Invalid filter"))
	conditions.append(f"{column} = %({field})s")
	values[field] = value


def equal(filters, alias: str, fields, conditions: list, values: dict):
	"""`alias`.field equal to each of the link filters `fields` that is set (company, customer...)."""
	for field in fields:
		if filters.get(field):
			conditions.append(f"{alias}.{field} = %({field})s")
			values[field] = filters.get(field)
