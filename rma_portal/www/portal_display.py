"""What the overview, pending lines, invoices and offers pages share for display: badges, money, paging."""

import math
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import cint, fmt_money, formatdate

from rma_portal.compat import number_format_info
from rma_portal.domain.formats import format_qty
from rma_portal.services.shared.money import money, money_formatter

BADGES = {
	# quotations
	"Open": "warning",
	"Replied": "warning",
	"Accepted": "success",
	"Ordered": "success",
	"Partially Ordered": "info",
	"Lost": "dark",
	"Expired": "secondary",
	# invoices
	"Paid": "success",
	"Unpaid": "warning",
	"Partly Paid": "info",
	"Overdue": "danger",
	"Credit note": "secondary",
	"Credit not yet allocated": "primary",
	# RMAs and claims
	"Expected": "warning",
	"Received": "info",
	"In processing": "warning",
}


# The states these pages show through _(state): invoices (www/portal/invoices) and quotations
# (services/portal_quotations.display_state, ERPNext's own statuses); the kinds of open ledger items
# (services/portal_invoices.item_kind: the invoices page and the statement).
PORTAL_STATES = (
	"Paid",
	"Unpaid",
	"Partly Paid",
	"Overdue",
	"Credit note",
	"Credit not yet allocated",
	"Accepted",
	"Expired",
	"Invoice",
	"Payment",
	"Refund",
	"Journal entry",
)


def badge_classes(badges: dict[str, str]):
	"""A page's badge class of a status by its own colours (`badges`): "badge-secondary" for a status
	it does not name. The portal's pages each colour their own statuses."""

	def badge_class(status: str | None) -> str:
		return "badge-" + badges.get(status or "", "secondary")

	return badge_class


badge_class = badge_classes(BADGES)


def base_context(context, title: str, parent: tuple[str, str] | None = None):
	"""What every portal page's context starts from: not cached, its title, the portal menu beside it
	and the way back to My Account (and to `parent`, (route, title), when given)."""
	context.no_cache = 1
	context.title = title
	context.show_sidebar = True
	context.parents = [{"route": "/me", "title": _("My Account")}]
	if parent:
		context.parents.append({"route": parent[0], "title": parent[1]})


def page_context(context, title: str):
	"""The context the overview, pending lines, invoices and offers pages start from."""
	base_context(context, title)
	context.badge_class = badge_class
	context.fmt_qty = format_qty
	context.fmt_money = money_formatter()
	context.fmt_date = lambda value: formatdate(value) if value else ""


def paging(context, route: str, total: int, page: int, page_size: int, **query):
	"""pages, prev_url and next_url of a list; `query` holds the page's other arguments."""
	pages = max(1, math.ceil(int(total or 0) / page_size))

	def page_url(n):
		args = {k: v for k, v in {**query, "page": n if n > 1 else None}.items() if v}
		return route + ("?" + urlencode(args) if args else "")

	context.update(
		{
			"total": int(total or 0),
			"page": page,
			"pages": pages,
			"prev_url": page_url(page - 1) if page > 1 else None,
			"next_url": page_url(page + 1) if page < pages else None,
			"page_url": page_url,
		}
	)
