"""The customer's projects (ERPNext Project.customer) with progress, and one project's tasks.

What a customer sees of a task: its subject, status, planned dates, progress and which tasks it
waits for (for the Gantt chart's arrows); never its description, costs or who works on it.
"""

import html

import frappe
from frappe import _
from frappe.utils import cint, formatdate, getdate

from rma_portal.services.shared.query import paged_list, search_condition, status_condition

STATUSES = ("Open", "Completed", "Cancelled")
TASK_STATUSES = ("Open", "Working", "Pending Review", "Overdue", "Template", "Completed", "Cancelled")

_LIST_SQL = """
select {select}
from `tabProject` p
where p.customer = %(customer)s {condition}
"""
_SELECT = """p.name, p.project_name, p.status, p.percent_complete, p.expected_start_date, p.expected_end_date,
	(select count(*) from `tabTask` t where t.project = p.name and t.is_template = 0) as tasks"""
_ORDER = "field(p.status, 'Open') desc, p.expected_end_date is null, p.expected_end_date desc, p.name desc"
_OPEN = " and p.status = 'Open'"
# a member without PRO sees only the projects they are a Project User of (ERPNext's Project.users)
_OF_PROJECT_USER = """ and exists (select 1 from `tabProject User` pu
	where pu.parenttype = 'Project' and pu.parent = p.name and pu.user = %(project_user)s)"""

_PROJECT_FIELDS = (
	"name",
	"project_name",
	"status",
	"percent_complete",
	"expected_start_date",
	"expected_end_date",
	"actual_start_date",
	"actual_end_date",
	"customer",
)
_TASK_FIELDS = (
	"name",
	"subject",
	"status",
	"exp_start_date",
	"exp_end_date",
	"progress",
	"is_group",
	"parent_task",
)


def list_projects(
	customer: str,
	search: str | None = None,
	status: str | None = None,
	page: int = 1,
	page_size: int = 20,
	project_user: str | None = None,
) -> dict:
	"""One page of the customer's projects; with `project_user` only those they are a Project User of."""
	values = {"customer": customer, "project_user": project_user}
	condition = (
		(_OF_PROJECT_USER if project_user else "")
		+ status_condition(status, values, "p.status", STATUSES, _("Status: {0} is not a project status."))
		+ search_condition(search, values, ("p.name", "p.project_name"))
	)
	return paged_list(_LIST_SQL, _SELECT, condition, _ORDER, values, page, page_size)


def open_projects(customer: str, limit: int = 5, project_user: str | None = None) -> list[frappe._dict]:
	"""The first `limit` open projects as list_projects(status="Open") lists them, without their count
	(the overview counts them with its other badges: open_count_sql)."""
	condition = _OPEN + (_OF_PROJECT_USER if project_user else "")
	return frappe.db.sql(
		_LIST_SQL.format(select=_SELECT, condition=condition) + f" order by {_ORDER} limit %(limit)s",
		{"customer": customer, "limit": limit, "project_user": project_user},
		as_dict=True,
	)


def open_count_sql(select: str, of_project_user: bool = False) -> str:
	"""A statement of `select` (e.g. "count(*)") over the open projects of %(customer)s (with
	`of_project_user`, only those %(project_user)s is a Project User of)."""
	return _LIST_SQL.format(select=select, condition=_OPEN + (_OF_PROJECT_USER if of_project_user else ""))


def project_detail(customer: str, name: str | None, project_user: str | None = None) -> frappe._dict:
	"""The customer's project with its tasks; the same 404 for another customer's, none, and (with
	`project_user`) one they are not a Project User of."""
	project = frappe.db.get_value("Project", name, _PROJECT_FIELDS, as_dict=True) if name else None
	if not project or project.customer != customer or (project_user and project_user not in users_of(name)):
		raise frappe.DoesNotExistError(_("This project was not found among your projects."))
	tasks = frappe.get_all(
		"Task",
		filters={"project": project.name, "is_template": 0},
		fields=list(_TASK_FIELDS),
		order_by="exp_start_date is null, exp_start_date asc, lft asc, name asc",
	)
	depends = {}
	if tasks:
		for row in frappe.get_all(
			"Task Depends On",
			filters={"parenttype": "Task", "parent": ("in", [t.name for t in tasks])},
			fields=["parent", "task"],
		):
			depends.setdefault(row.parent, []).append(row.task)
	names = {t.name for t in tasks}
	for task in tasks:
		task["depends_on"] = [d for d in depends.get(task.name, []) if d in names]
	project["tasks"] = tasks
	return project


def gantt_tasks(tasks: list[dict]) -> list[dict]:
	"""frappe-gantt's task list: the dated tasks, each bar coloured by its status."""
	out = []
	for task in tasks:
		start, end = task.get("exp_start_date"), task.get("exp_end_date")
		if not start and not end:
			continue
		start, end = getdate(start or end), getdate(end or start)
		if end < start:
			start, end = end, start
		out.append(
			{
				"id": task["name"],
				# frappe-gantt writes a bar's label with innerHTML: the subject goes in escaped
				"name": html.escape(task.get("subject") or ""),
				"title": task.get("subject") or "",
				"start_display": formatdate(start),
				"end_display": formatdate(end),
				"start": str(start),
				"end": str(end),
				"progress": 100 if task.get("status") == "Completed" else cint(task.get("progress")),
				"dependencies": ", ".join(task.get("depends_on") or []),
				"custom_class": "cp-task-" + (task.get("status") or "open").lower().replace(" ", "-"),
			}
		)
	return out


# -- Project Users: who of the company follows a project (SPEC §4, PRO) ------------------------------


def users_of(project: str) -> list[str]:
	"""The project's Project Users (ERPNext's Project.users: they see it and get its e-mails)."""
	return frappe.get_all(
		"Project User", filters={"parenttype": "Project", "parent": project}, pluck="user", order_by="idx"
	)


def project_users(customer: str, project: str) -> list[dict]:
	"""The project's Project Users who are the company's portal users, with their names."""
	users = users_of(project)
	names = dict(
		frappe.get_all(
			"User", filters={"name": ["in", users or [""]]}, fields=["name", "full_name"], as_list=True
		)
	)
	return [{"user": user, "full_name": names.get(user) or user} for user in users]


def _project_of(customer: str, name: str | None):
	if not name or frappe.db.get_value("Project", name, "customer") != customer:
		raise frappe.DoesNotExistError(_("This project was not found among your projects."))
	return frappe.get_doc("Project", name)


def add_project_user(customer: str, name: str, user: str) -> None:
	"""Make a member of the company a Project User of one of its projects (the PRO right, checked by
	the caller): ERPNext then mails them the project's updates and lists it on their /projects."""
	from rma_portal import access

	project = _project_of(customer, name)
	if not user or customer not in access.customers_of(user):
		raise frappe.DoesNotExistError(_("This user is not a member of your company."))
	if user in users_of(name):
		return
	project.append("users", {"user": user})
	project.flags.ignore_permissions = True
	project.save()


def remove_project_user(customer: str, name: str, user: str) -> None:
	project = _project_of(customer, name)
	kept = [row for row in project.users if row.user != user]
	if len(kept) == len(project.users):
		raise frappe.DoesNotExistError(_("{0} is not a user of this project.").format(user))
	project.users = kept
	project.flags.ignore_permissions = True
	project.save()


def pro_members(customer: str) -> list[str]:
	"""The company's enabled members with PRO: they follow all of its projects."""
	return frappe.get_all(
		"Company Member", filters={"customer": customer, "enabled": 1, "flag_pro": 1}, pluck="user"
	)


def on_project_insert(doc, method=None) -> None:
	"""Project before_insert: the customer's PRO members follow a new project from the start (ERPNext
	welcomes them to it in its validate); a member given PRO later follows the open ones
	(services/company/members.follow_projects)."""
	if not doc.get("customer"):
		return
	known = {row.user for row in doc.users}
	for user in pro_members(doc.customer):
		if user not in known:
			doc.append("users", {"user": user})
