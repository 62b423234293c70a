"""/portal/shipments: the customer's deliveries with carrier, tracking number and tracking link."""

from frappe import _

from rma_portal import access
from rma_portal.api import shipments as api
from rma_portal.www.portal import common_context, form_arg, paging

no_cache = 1


def get_context(context):
	access.customer_for("shipment.read")
	common_context(context, _("Shipments"))
	search = form_arg("search")
	result = api.list_shipments(search=search, page=form_arg("page") or 1)
	context.rows = result["rows"]
	context.search = search
	paging(context, "/portal/shipments", result, api.PAGE_SIZE, search=search)
	return context
