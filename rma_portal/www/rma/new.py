"""/rma/new: pick delivered lines, then confirm quantities, reasons and terms, and send the request."""

import frappe
from frappe import _
from frappe.utils.html_utils import sanitize_html

from rma_portal import access
from rma_portal.api.returns import PAGE_SIZE, customer_currency, fee_sentence
from rma_portal.services.policy import credit_hold, fee_rules
from rma_portal.services.returns.returns import CANDIDATE_COLUMNS
from rma_portal.services.shared.settings import rma_settings, translated_terms
from rma_portal.www.portal_display import money
from rma_portal.www.rma import common_context, script_json

no_cache = 1

# The texts public/js/rma_portal.js shows through __(): translated here, handed to frappe._messages.
JS_MESSAGES = (
	"1 line selected",
	"{0} lines selected",
	"{0} lines",
	"More than {0} lines: narrow the search",
	"Page {0} of {1}",
	"Copy e-mail: {0} is not a valid e-mail address.",
	"Line {0} ({1}): choose a return reason.",
	"Line {0} ({1}): the quantity must be between 1 and {2}.",
	"No delivered line matches your search.",
	"No delivered lines in your order history can be returned.",
	"Nothing left to return on this line",
	"Please accept the return terms.",
	"Quantity to return of {0}",
	"Remove this line",
	"Remove {0}",
	"Select {0}",
	"Select...",
	"Send",
	"Sending...",
	"The server could not handle the request (error {0}). Please try again.",
	"You are not allowed to do this. Please log in again.",
	"Qty to return",
	"Item Code",
	"Item Name",
	"Sales Order",
	"Your PO No.",
	"Delivery Date",
	"Returnable",
	"Return reason",
	"Return fee",
	"Serial No {0}",
	"Tick the serial number of each unit you return:",
	"Batch No",
	"Batch {0} ({1})",
	"Line {0} ({1}): tick the serial number of each unit you return.",
	"Type a serial number",
	"{0} is not among the serial numbers delivered to you on this line that can still be returned.",
)

NUMBER_COLUMNS = ("rate", "qty_ordered", "qty_delivered", "qty_returned", "qty_requested", "qty_returnable")
# left for wider screens (rma_portal.css, .rma-wide-only): a phone keeps the item and the returnable quantity
WIDE_ONLY_COLUMNS = (
	"sales_order",
	"po_no",
	"customer_item_code",
	"rate",
	"qty_ordered",
	"qty_delivered",
	"qty_returned",
	"qty_requested",
	"delivery_date",
)


def get_context(context):
	customer = access.customer_for("rma.create")
	common_context(context, _("New return"))
	context.parents.append({"route": "/rma", "title": _("Returns (RMA)")})
	context.credit_hold = credit_hold.page_hold(customer, credit_hold.rules.RETURN)

	settings = rma_settings()
	currency = customer_currency(customer)
	reasons = frappe.get_all(
		"RMA Return Reason", filters={"enabled": 1}, fields=["name", "reason"], order_by="reason asc"
	)
	company = frappe.defaults.get_global_default("company")
	# with fee rules the fee depends on the lines: the confirmation step shows their preview
	fee = 0 if fee_rules.rules_for(company) else settings.fee_amount
	fee_currency = (company and frappe.get_cached_value("Company", company, "default_currency")) or currency
	context.update(
		{
			"customer": customer,
			"columns": [
				{
					"key": key,
					"label": _(label),
					"number": key in NUMBER_COLUMNS,
					"wide_only": key in WIDE_ONLY_COLUMNS,
				}
				for key, label in CANDIDATE_COLUMNS
			],
			"reasons": reasons,
			"fee_text": fee_text(settings, money(fee, fee_currency)) if fee else "",
			"terms": sanitize_html(translated_terms(settings.terms)),
			"return_address": settings.return_address,
			"user_email": frappe.session.user,
		}
	)
	context.js_messages_json = script_json({message: _(message) for message in JS_MESSAGES})
	context.config_json = script_json(
		{
			"page_size": PAGE_SIZE,
			"columns": context.columns,
			"reasons": [{"value": r.name, "label": _(r.reason)} for r in reasons],
		}
	)
	return context


def fee_text(settings, amount: str) -> str:
	"""The fee as the credit note will charge it: plus VAT when the amount is net and VAT applies."""
	return fee_sentence(settings.fee_includes_vat or settings.fee_vat == "No VAT", amount)
