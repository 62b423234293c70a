"""/portal/contracts: the customer's contracts with status, dates, terms and PDF."""

from frappe import _

from rma_portal import access
from rma_portal.api import contracts as api
from rma_portal.services.portal.contracts import STATUSES
from rma_portal.www.portal import list_page

no_cache = 1


def get_context(context):
	access.customer_for("contract.read")
	list_page(
		context,
		_("Contracts"),
		"/portal/contracts",
		api.list_contracts,
		_("Contract no. or a word of the terms"),
		statuses=[(s, _(s)) for s in STATUSES],
	)
	return context
