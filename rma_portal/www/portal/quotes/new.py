"""/portal/quotes/new: ask for a quotation: items (by code, name or EAN), quantities, delivery option,
delivery address and remarks."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api.quote_requests import delivery_options
from rma_portal.services.policy import credit_hold
from rma_portal.services.portal import quote_requests as requests
from rma_portal.www.portal import common_context, js_messages

no_cache = 1

JS_MESSAGES = (
	"Remove",
	"Remove {0}",
	"Sending...",
	"No item found.",
	"EAN {0}",
	"Items: please add at least one item.",
	"Line {0}: the quantity must be a number above 0.",
	"Delivery address: please choose one of your addresses.",
	"It could not be sent. Please try again.",
	"It could not be sent. Please check your connection and try again.",
)


def get_context(context):
	customer = access.customer_for("quote_request.create")
	context.credit_hold = credit_hold.page_hold(customer, credit_hold.rules.QUOTE_REQUEST)
	common_context(context, _("Request a quote"), ("/portal/quotes", _("Quote requests")))
	labels = {"Delivery": _("Delivery to one of our addresses"), "Pickup": _("Pickup at your warehouse")}
	context.update(
		{
			"addresses": requests.addresses(customer),
			"delivery_options": [
				(option, labels[option]) for option in delivery_options(customer) if option in labels
			],
			# pickup at our branch is the BR right's: say so instead of leaving it out unexplained
			"pickup_needs_br": "Pickup" not in delivery_options(customer),
			# made when the form opens: the same request sent twice makes one record
			"request_key": frappe.generate_hash(length=24),
			"max_lines": requests.MAX_LINES,
			"max_remarks": requests.MAX_REMARKS,
			"js_messages_json": js_messages(JS_MESSAGES),
		}
	)
	return context
