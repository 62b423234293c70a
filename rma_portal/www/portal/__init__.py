"""The customer's other portal pages (SPEC §5), beside the RMA and warranty pages:
/portal/shipments, /portal/tickets (+ /new, /view), /portal/projects (+ /view), /portal/contracts,
/portal/files and /portal/quotes (+ /new). Each page's get_context asks the access point first and
reads through the same api/services functions as the JSON methods."""

import frappe
from frappe import _

from rma_portal.domain.formats import format_qty
from rma_portal.www.portal_display import badge_classes, base_context
from rma_portal.www.portal_display import paging as display_paging
from rma_portal.www.rma import script_json

STATUS_BADGES = {
	# tickets (Issue)
	"Open": "warning",
	"Replied": "info",
	"On Hold": "secondary",
	"Resolved": "success",
	"Closed": "dark",
	# projects, tasks
	"Working": "info",
	"Pending Review": "warning",
	"Overdue": "danger",
	"Template": "secondary",
	"Completed": "success",
	"Cancelled": "dark",
	# contracts
	"Unsigned": "warning",
	"Active": "success",
	"Inactive": "secondary",
	# shipments
	"Dispatched": "info",
	"In Progress": "info",
	"Delivered": "success",
	"Returned": "warning",
	"Lost": "danger",
	# quote requests
	"Requested": "warning",
	"Quoted": "info",
	"Ordered": "success",
	"Lost Quotation": "dark",
}


status_badge_class = badge_classes(STATUS_BADGES)


def common_context(context, title: str, parent: tuple[str, str] | None = None):
	base_context(context, title, parent)
	context.status_badge_class = status_badge_class
	context.fmt_qty = format_qty


def paging(context, route: str, result: dict, page_size: int, **query):
	"""pages, prev_url and next_url of a list page from a paged result; `query` holds the page's other
	filters (portal_display.paging, which the invoices, offers and orders pages call with the numbers)."""
	display_paging(context, route, result.get("total"), int(result.get("page") or 1), page_size, **query)


def list_page(
	context,
	title: str,
	route: str,
	fetch,
	search_placeholder: str,
	statuses: list[tuple[str, str]] | None = None,
) -> dict:
	"""The context of a list page framed by templates/includes/portal/list_page.html: the search typed
	in the address (and the status, with `statuses` as (value, label) pairs: an unknown status shows
	all), one page of rows from `fetch` (the api's list method, so the page and the JSON method read
	alike) and the pager. Returns fetch's result."""
	common_context(context, title)
	context.page_class = "cp-page cp-" + route.rsplit("/", 1)[-1]
	search = form_arg("search")
	args = {"search": search}
	if statuses is not None:
		status = form_arg("status")
		status = status if status in dict(statuses) else ""
		args["status"] = status or None
		context.status = status
		context.statuses = [("", _("All statuses")), *statuses]
	result = fetch(**args, page=form_arg("page") or 1)
	context.update(
		{
			"rows": result["rows"],
			"search": search,
			"search_route": route,
			"search_placeholder": search_placeholder,
		}
	)
	paging(context, route, result, result["page_size"], **args)
	return result


def js_messages(messages) -> str:
	"""The texts a page script shows through __(), translated, for frappe._messages."""
	return script_json({message: _(message) for message in messages})


def form_arg(name: str) -> str:
	return (frappe.form_dict.get(name) or "").strip() if isinstance(frappe.form_dict.get(name), str) else ""
