"""/portal/projects: the customer's projects with status and percent complete."""

from frappe import _

from rma_portal import access
from rma_portal.api import projects as api
from rma_portal.services.portal.projects import STATUSES
from rma_portal.www.portal import list_page

no_cache = 1


def get_context(context):
	access.customer_for("project.read")
	list_page(
		context,
		_("Projects"),
		"/portal/projects",
		api.list_projects,
		_("Project no. or name"),
		statuses=[(s, _(s)) for s in STATUSES],
	)
	return context
