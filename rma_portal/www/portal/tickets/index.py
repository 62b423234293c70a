"""/portal/tickets: the customer's support tickets (ERPNext Issues) with their status."""

from frappe import _

from rma_portal import access
from rma_portal.api import tickets as api
from rma_portal.services.portal.tickets import STATUSES, status_label
from rma_portal.www.portal import common_context, form_arg, paging

no_cache = 1


def get_context(context):
	customer = access.customer_for("ticket.read")
	common_context(context, _("Support tickets"))
	search = form_arg("search")
	status = form_arg("status")
	status = status if status in STATUSES else ""  # an unknown status in the address shows all
	result = api.list_tickets(search=search, status=status or None, page=form_arg("page") or 1)
	context.update(
		{
			"rows": result["rows"],
			"search": search,
			"status": status,
			"statuses": [("", _("All statuses"))] + [(s, _(status_label(s))) for s in STATUSES],
			"can_create": access.can("ticket.create", customer),
		}
	)
	paging(context, "/portal/tickets", result, api.PAGE_SIZE, search=search, status=status)
	return context
