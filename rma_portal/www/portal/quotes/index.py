"""/portal/quotes: the customer's quote requests, each with the quotation made from it."""

from frappe import _

from rma_portal import access
from rma_portal.api import quote_requests as api
from rma_portal.www.portal import common_context, form_arg, paging

no_cache = 1


def get_context(context):
	customer = access.customer_for("quote_request.read")
	common_context(context, _("Quote requests"))
	result = api.list_requests(page=form_arg("page") or 1)
	context.rows = result["rows"]
	context.sent = form_arg("sent")
	context.can_create = access.can("quote_request.create", customer)
	paging(context, "/portal/quotes", result, api.PAGE_SIZE)
	return context
