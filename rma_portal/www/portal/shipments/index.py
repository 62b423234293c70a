"""/portal/shipments: the customer's deliveries with carrier, tracking number and tracking link."""

from frappe import _

from rma_portal import access
from rma_portal.api import shipments as api
from rma_portal.www.portal import list_page

no_cache = 1


def get_context(context):
	access.customer_for("shipment.read")
	list_page(
		context,
		_("Shipments"),
		"/portal/shipments",
		api.list_shipments,
		_("Delivery note, your PO no. or tracking no."),
	)
	return context
