"""The customer's other portal pages (SPEC §5), beside the RMA and warranty pages:
/portal/shipments, /portal/tickets (+ /new, /view), /portal/projects (+ /view), /portal/contracts,
/portal/files and /portal/quotes (+ /new). Each page's get_context asks the access point first and
reads through the same api/services functions as the JSON methods."""

import math
from urllib.parse import urlencode

import frappe
from frappe import _

from rma_portal.domain.formats import format_qty
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


def status_badge_class(status: str | None) -> str:
	return "badge-" + STATUS_BADGES.get(status or "", "secondary")


def common_context(context, title: str, parent: tuple[str, str] | None = None):
	context.no_cache = 1
	context.title = title
	context.show_sidebar = True
	context.status_badge_class = status_badge_class
	context.fmt_qty = format_qty
	context.parents = [{"route": "/me", "title": _("My Account")}]
	if parent:
		context.parents.append({"route": parent[0], "title": parent[1]})


def paging(context, route: str, result: dict, page_size: int, **query):
	"""pages, prev_url and next_url of a list page; `query` holds the page's other filters."""
	total = int(result.get("total") or 0)
	page = int(result.get("page") or 1)
	pages = max(1, math.ceil(total / page_size))

	def page_url(n):
		args = {k: v for k, v in {**query, "page": n if n > 1 else None}.items() if v}
		return route + ("?" + urlencode(args) if args else "")

	context.update(
		{
			"total": total,
			"page": page,
			"pages": pages,
			"prev_url": page_url(page - 1) if page > 1 else None,
			"next_url": page_url(page + 1) if page < pages else None,
		}
	)


def js_messages(messages) -> str:
	"""The texts a page script shows through __(), translated, for frappe._messages."""
	return script_json({message: _(message) for message in messages})


def form_arg(name: str) -> str:
	return (frappe.form_dict.get(name) or "").strip() if isinstance(frappe.form_dict.get(name), str) else ""
