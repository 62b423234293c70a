"""The customer's projects (ERPNext Project.customer) with progress, and one project's tasks.

What a customer sees of a task: its subject, status, planned dates, progress and which tasks it
waits for (for the Gantt chart's arrows); never its description, costs or who works on it.
"""

import html

import frappe
from frappe import _
from frappe.utils import cint, formatdate, getdate

from rma_portal.services.query import like_pattern, paged_list

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
	customer: str, search: str | None = None, status: str | None = None, page: int = 1, page_size: int = 20
) -> dict:
	values = {"customer": customer}
	condition = ""
	if status:
		if status not in STATUSES:
			frappe.throw(_("Status: {0} is not a project status.").format(status), frappe.ValidationError)
		values["status"] = status
		condition += " and p.status = %(status)s"
	search = (search or "").strip()
	if search:
		values["search"] = like_pattern(search)
		condition += " and (p.name like %(search)s or p.project_name like %(search)s)"
	return paged_list(_LIST_SQL, _SELECT, condition, _ORDER, values, page, page_size)


def open_projects(customer: str, limit: int = 5) -> list[frappe._dict]:
	"""The first `limit` open projects as list_projects(status="Open") lists them, without their count
	(the overview counts them with its other badges: open_count_sql)."""
	return frappe.db.sql(
		_LIST_SQL.format(select=_SELECT, condition=_OPEN) + f" order by {_ORDER} limit %(limit)s",
		{"customer": customer, "limit": limit},
		as_dict=True,
	)


def open_count_sql(select: str) -> str:
	"""A statement of `select` (e.g. "count(*)") over the open projects of %(customer)s."""
	return _LIST_SQL.format(select=select, condition=_OPEN)


def project_detail(customer: str, name: str | None) -> frappe._dict:
	"""The customer's project with its tasks; the same 404 for another customer's and none."""
	project = frappe.db.get_value("Project", name, _PROJECT_FIELDS, as_dict=True) if name else None
	if not project or project.customer != customer:
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
