"""/portal/projects/view?name=<Project>: progress, tasks and a read-only Gantt chart (frappe-gantt)."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import projects as api
from rma_portal.services.company import members
from rma_portal.services.portal import projects
from rma_portal.www.portal import common_context, form_arg, js_messages
from rma_portal.www.rma import script_json

no_cache = 1

# frappe-gantt ships with Frappe (apps/frappe/node_modules, served under /assets/frappe/node_modules):
# the portal page loads its built files as they are, without rebuilding Frappe's bundles.
GANTT_JS = "/assets/frappe/node_modules/frappe-gantt/dist/frappe-gantt.min.js"
GANTT_CSS = "/assets/frappe/node_modules/frappe-gantt/dist/frappe-gantt.min.css"
VIEW_MODES = ("Day", "Week", "Month")
JS_MESSAGES = ("Day", "Week", "Month", "{0} to {1}", "{0}% done")


def get_context(context):
	access.customer_for("project.read")
	project = frappe._dict(api.get_project(form_arg("name")))  # 404 for another customer's project
	title = project.project_name or project.name
	common_context(context, title, ("/portal/projects", _("Projects")))
	context.project = project
	context.gantt_js = GANTT_JS
	context.gantt_css = GANTT_CSS
	context.view_modes = [(mode, _(mode)) for mode in VIEW_MODES]
	context.gantt_json = script_json(
		{"tasks": project.gantt, "language": (frappe.local.lang or "en")[:2], "view_mode": "Week"}
	)
	context.js_messages_json = js_messages(JS_MESSAGES)
	# who of the company follows the project; PRO adds and removes the company's members
	customer = access.portal_customer()
	context.can_manage_project_users = access.can("project.write", customer)
	context.project_users = projects.project_users(customer, project.name)
	if context.can_manage_project_users:
		following = {row["user"] for row in context.project_users}
		context.member_choices = [
			{"user": row.user, "label": row.full_name or row.user}
			for row in members.list_members(customer)
			if row.enabled and row.user not in following
		]
	return context
