"""/portal/contracts: the customer's contracts with status, dates, terms and PDF."""

from frappe import _

from rma_portal import access
from rma_portal.api import contracts as api
from rma_portal.services.portal.contracts import STATUSES
from rma_portal.www.portal import common_context, form_arg, paging

no_cache = 1


def get_context(context):
	access.customer_for("contract.read")
	common_context(context, _("Contracts"))
	search = form_arg("search")
	status = form_arg("status")
	status = status if status in STATUSES else ""
	result = api.list_contracts(search=search, status=status or None, page=form_arg("page") or 1)
	context.update(
		{
			"rows": result["rows"],
			"search": search,
			"status": status,
			"statuses": [("", _("All statuses"))] + [(s, _(s)) for s in STATUSES],
		}
	)
	paging(context, "/portal/contracts", result, api.PAGE_SIZE, search=search, status=status)
	return context
