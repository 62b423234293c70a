"""/portal/orders: every line of the customer's submitted sales orders not fully delivered, with the
expected delivery date; a search box per column, paged and sorted on the server, CSV export.

The search boxes are a GET form (f_<column>=text), so a search is a link the customer can keep."""

import json
from urllib.parse import urlencode

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import orders as api
from rma_portal.services.portal import portal_orders
from rma_portal.www.portal_display import page_context, paging

# left for wider screens (rma_portal.css, .rma-wide-only): a phone keeps the expected date, the order,
# the item name and the quantity to deliver
WIDE_ONLY_COLUMNS = ("transaction_date", "sales_person", "po_no", "qty", "delivered_qty", "item_code")

no_cache = 1


def get_context(context):
	access.customer_for("order.read")
	page_context(context, _("Pending order lines"))
	context.show_sidebar = False  # ten columns with a search box each need the page's whole width
	context.parents.append({"route": "/portal", "title": _("Overview")})

	form = frappe.form_dict
	filters = {
		key: str(form.get(f"f_{key}") or "").strip()[:140] for key, _label in portal_orders.ORDER_COLUMNS
	}
	filters = {key: value for key, value in filters.items() if value}
	sort = str(form.get("sort") or "").strip()
	sort = sort if sort in portal_orders.SORTS else portal_orders.DEFAULT_SORT  # an unknown sort: the default
	result = api.get_pending_lines(filters=filters, page=form.get("page") or 1, sort=sort)

	query = {f"f_{key}": value for key, value in filters.items()}
	if sort != portal_orders.DEFAULT_SORT:
		query["sort"] = sort
	paging(context, "/portal/orders", result["total"], result["page"], api.PAGE_SIZE, **query)
	context.more = result.get("more")  # a search with more matches than counted: the pager goes on
	if context.more and not context.next_url:
		context.next_url = context.page_url(result["page"] + 1)
	other_sort = "expected_desc" if sort == "expected" else "expected"
	context.update(
		{
			"columns": [
				{
					"key": key,
					"label": _(label),
					"number": key in portal_orders.NUMBER_COLUMNS,
					"wide_only": key in WIDE_ONLY_COLUMNS,
				}
				for key, label in portal_orders.ORDER_COLUMNS
			],
			"rows": result["rows"],
			"filters": filters,
			"sort": sort,
			"sort_url": "/portal/orders?"
			+ urlencode({**{k: v for k, v in query.items() if k != "sort"}, "sort": other_sort}),
			"export_url": "/api/method/rma_portal.api.orders.export_pending_lines?"
			+ urlencode({"filters": json.dumps(filters), "sort": sort}),
		}
	)
	return context
