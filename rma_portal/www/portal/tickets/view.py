"""/portal/tickets/view?name=<Issue>: one ticket with its conversation, files and a reply form."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import tickets as api
from rma_portal.www.portal import common_context, form_arg
from rma_portal.www.portal.tickets.new import upload_context

no_cache = 1


def get_context(context):
	access.customer_for("ticket.read")
	ticket = api.get_ticket(form_arg("name"))  # 404 for another customer's ticket
	common_context(context, _("Ticket {0}").format(ticket["name"]), ("/portal/tickets", _("Support tickets")))
	context.ticket = frappe._dict(ticket)
	upload_context(context)
	return context
