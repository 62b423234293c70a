"""/portal/offers: the customer's quotations with status and validity; Accept (ERPNext's Sales Order, or
marked accepted for staff) and Reject (Lost, with a reason), each behind a confirmation step."""

from urllib.parse import quote

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import download_url
from rma_portal.api import quotations as api
from rma_portal.services.policy import credit_hold
from rma_portal.services.portal import portal_quotations
from rma_portal.www.portal_display import page_context, paging
from rma_portal.www.rma import script_json

no_cache = 1

# The texts public/js/portal_account.js shows through __(): translated here, handed to frappe._messages.
JS_MESSAGES = (
	"Sending...",
	"The server could not handle the request (error {0}). Please try again.",
	"You are not allowed to do this. Please log in again.",
	"Reason: please tell us why you decline this offer.",
)


def get_context(context):
	customer = access.customer_for("quotation.read")
	hold = credit_hold.page_hold(customer, credit_hold.rules.OFFER_ACCEPT)
	page_context(context, _("Offers"))
	show = "awaiting" if frappe.form_dict.get("show") == "awaiting" else ""
	result = api.list_quotations(show=show, page=frappe.form_dict.get("page") or 1)
	for row in result["rows"]:
		row.pdf_url = download_url("quotations.download_quotation", name=row.name)
	paging(context, "/portal/offers", result["total"], result["page"], api.PAGE_SIZE, show=show or None)
	context.update(
		{
			"rows": result["rows"],
			"show": show,
			"credit_hold": hold,
			"can_accept": access.can("quotation.accept", customer) and not hold,
			"can_reject": access.can("quotation.reject", customer),
			"makes_order": portal_quotations.acceptance_mode() == portal_quotations.MAKE_ORDER,
			"js_messages_json": script_json({message: _(message) for message in JS_MESSAGES}),
		}
	)
	return context
