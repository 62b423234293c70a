"""/portal/tickets: the customer's support tickets (ERPNext Issues) with their status."""

from frappe import _

from rma_portal import access
from rma_portal.api import tickets as api
from rma_portal.services.portal.tickets import STATUSES, status_label
from rma_portal.www.portal import list_page

no_cache = 1


def get_context(context):
	customer = access.customer_for("ticket.read")
	list_page(
		context,
		_("Support tickets"),
		"/portal/tickets",
		api.list_tickets,
		_("Ticket no. or subject"),
		statuses=[(s, _(status_label(s))) for s in STATUSES],
	)
	context.can_create = access.can("ticket.create", customer)
	return context
