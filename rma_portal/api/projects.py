"""Whitelisted methods of the customer's projects: the list and one project with tasks and Gantt data."""

from urllib.parse import quote

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import display_dates, list_args, per_user_limit, text_arg
from rma_portal.services.portal import projects

PAGE_SIZE = 20


def only_own_projects(customer: str) -> str | None:
	"""None for who sees all of the company's projects (PRO, the administrator, staff); otherwise the
	caller, who sees the projects they are a Project User of."""
	return access.project_user_filter(customer)


def view_url(name: str) -> str:
	return "/portal/projects/view?name=" + quote(name, safe="")


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_projects(search: str | None = None, status: str | None = None, page: str | int = 1) -> dict:
	"""One page of the caller's projects, open ones first."""
	customer = access.customer_for("project.read")
	result = projects.list_projects(
		customer,
		**list_args(search, page, PAGE_SIZE, status=status),
		project_user=only_own_projects(customer),
	)
	for row in result["rows"]:
		row["url"] = view_url(row["name"])
		row["status_display"] = _(row["status"])
		display_dates(row, "expected_start_date", "expected_end_date")
	return result


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def get_project(name: str) -> dict:
	"""One project of the caller's customer: status, progress, tasks and the Gantt chart's bars."""
	customer = access.customer_for("project.read")
	project = projects.project_detail(
		customer, text_arg(name, "name"), project_user=only_own_projects(customer)
	)
	project.pop("customer", None)
	display_dates(project, "expected_start_date", "expected_end_date", "actual_start_date", "actual_end_date")
	for task in project["tasks"]:
		task["status_display"] = _(task["status"])
		display_dates(task, "exp_start_date", "exp_end_date")
	project["gantt"] = projects.gantt_tasks(project["tasks"])
	project["status_display"] = _(project["status"])
	return project


@frappe.whitelist(methods=["POST"])
def add_project_user(name: str, user: str) -> dict:
	"""Make a member of the caller's company a Project User of one of its projects (PRO)."""
	customer = access.customer_for("project.write")
	projects.add_project_user(customer, text_arg(name, "name"), text_arg(user, "user"))
	return {"name": name, "user": user}


@frappe.whitelist(methods=["POST"])
def remove_project_user(name: str, user: str) -> dict:
	"""Take a Project User off one of the caller's company's projects (PRO)."""
	customer = access.customer_for("project.write")
	projects.remove_project_user(customer, text_arg(name, "name"), text_arg(user, "user"))
	return {"name": name, "user": user}
