"""Whitelisted methods of the customer's projects: the list and one project with tasks and Gantt data."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import formatdate

from rma_portal import access
from rma_portal.api import page_arg, per_user_limit, text_arg
from rma_portal.services import projects

PAGE_SIZE = 20


def view_url(name: str) -> str:
	return "/portal/projects/view?name=" + quote(name, safe="")


def _dates(row, *fields):
	for field in fields:
		row[field + "_display"] = formatdate(row[field]) if row.get(field) else ""


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_projects(search: str | None = None, status: str | None = None, page: str | int = 1) -> dict:
	"""One page of the caller's projects, open ones first."""
	customer = access.customer_for("project.read")
	result = projects.list_projects(
		customer,
		search=text_arg(search, "search"),
		status=text_arg(status, "status") or None,
		page=page_arg(page),
		page_size=PAGE_SIZE,
	)
	for row in result["rows"]:
		row["url"] = view_url(row["name"])
		row["status_display"] = _(row["status"])
		_dates(row, "expected_start_date", "expected_end_date")
	return result


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def get_project(name: str) -> dict:
	"""One project of the caller's customer: status, progress, tasks and the Gantt chart's bars."""
	customer = access.customer_for("project.read")
	project = projects.project_detail(customer, text_arg(name, "name"))
	project.pop("customer", None)
	_dates(project, "expected_start_date", "expected_end_date", "actual_start_date", "actual_end_date")
	for task in project["tasks"]:
		task["status_display"] = _(task["status"])
		_dates(task, "exp_start_date", "exp_end_date")
	project["gantt"] = projects.gantt_tasks(project["tasks"])
	project["status_display"] = _(project["status"])
	return project
