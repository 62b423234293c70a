"""/rma: the customer's RMAs with their status, documents and credit notes."""

import math
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import cint, formatdate

from rma_portal import access
from rma_portal.api import returns as api
from rma_portal.www.rma import barcode_data_uri, common_context

no_cache = 1
KINDS = ("Return", "Service")


def get_context(context):
	customer = access.customer_for("rma.read")
	common_context(context, _("Returns (RMA)"))
	context.show_sidebar = True
	context.can_create = access.can("rma.create", customer)

	search = (frappe.form_dict.get("search") or "").strip()
	page = max(1, cint(frappe.form_dict.get("page")) or 1)
	kind = (frappe.form_dict.get("kind") or "").strip()
	kind = kind if kind in KINDS else ""  # an unknown type in the address shows everything
	result = api.list_rmas(search=search, page=page, kind=kind or None)
	rows = result.get("rows") or []
	total = cint(result.get("total"))
	pages = max(1, math.ceil(total / api.PAGE_SIZE))
	for row in rows:
		row["date_display"] = formatdate(row.get("submitted_on")) if row.get("submitted_on") else ""
		row["received_display"] = formatdate(row.get("received_on")) if row.get("received_on") else ""
		row["barcode"] = barcode_data_uri(row["name"])
		row["item_count"] = row.get("item_count", row.get("items"))
		row["credit_note_url"] = "/invoices/" + row["credit_note"] if row.get("credit_note") else None
		row["kind_display"] = _("Service request") if row.get("kind") == "Service" else _("Return")

	def page_url(n):
		query = {k: v for k, v in {"search": search, "kind": kind, "page": n if n > 1 else None}.items() if v}
		return "/rma" + ("?" + urlencode(query) if query else "")

	context.update(
		{
			"customer": customer,
			"rows": rows,
			"total": total,
			"search": search,
			"kind": kind,
			"kinds": [("", _("All types")), ("Return", _("Returns")), ("Service", _("Service requests"))],
			"page": page,
			"pages": pages,
			"prev_url": page_url(page - 1) if page > 1 else None,
			"next_url": page_url(page + 1) if page < pages else None,
		}
	)
	return context
