"""/portal/projects: the customer's projects with status and percent complete."""

from frappe import _

from rma_portal import access
from rma_portal.api import projects as api
from rma_portal.services.portal.projects import STATUSES
from rma_portal.www.portal import common_context, form_arg, paging

no_cache = 1


def get_context(context):
	access.customer_for("project.read")
	common_context(context, _("Projects"))
	search = form_arg("search")
	status = form_arg("status")
	status = status if status in STATUSES else ""
	result = api.list_projects(search=search, status=status or None, page=form_arg("page") or 1)
	context.update(
		{
			"rows": result["rows"],
			"search": search,
			"status": status,
			"statuses": [("", _("All statuses"))] + [(s, _(s)) for s in STATUSES],
		}
	)
	paging(context, "/portal/projects", result, api.PAGE_SIZE, search=search, status=status)
	return context
