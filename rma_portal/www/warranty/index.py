"""/warranty: the customer's warranty claims with status, handling date, remark and documents."""

import math
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import cint

from rma_portal import access
from rma_portal.api import warranty as api
from rma_portal.services.warranty import warranty_claims as claims
from rma_portal.services.warranty.warranty_claims import display_text
from rma_portal.www.warranty import STATUS_BADGES, common_context

no_cache = 1


def get_context(context):
	customer = access.customer_for("warranty.read")
	common_context(context, _("Warranty claims"))
	status = frappe.form_dict.get("status") or ""
	if status not in STATUS_BADGES:
		status = ""
	page = max(1, cint(frappe.form_dict.get("page")) or 1)
	form = frappe.form_dict
	shown = {key: str(form.get(key) or "").strip() for key in ("from_date", "to_date", "brand")}
	shown = {key: value for key, value in shown.items() if value}
	try:
		result = api.list_claims(page=page, status=status or None, **shown)
		problem = None
	except frappe.ValidationError as e:  # a wrong filter typed in the address: said, and all shown
		frappe.clear_messages()
		problem, shown = str(e), {}
		result = api.list_claims(page=page, status=status or None)
	rows = result["rows"]
	for row in rows:
		row["remark_text"] = display_text(row.get("remark"))
		row["claim_pdf"] = next(d for d in row["documents"] if d["kind"] == "claim")
		row["other_documents"] = [d for d in row["documents"] if d["kind"] != "claim"]
	total = cint(result["total"])
	pages = max(1, math.ceil(total / api.PAGE_SIZE))

	def url(page_no: int) -> str:
		query = {k: v for k, v in (("status", status), ("page", page_no if page_no > 1 else None)) if v}
		query.update(shown)
		return "/warranty" + ("?" + urlencode(query) if query else "")

	context.update(
		{
			"customer": customer,
			"rows": rows,
			"total": total,
			"page": page,
			"pages": pages,
			"status": status,
			"statuses": [
				{"value": s, "label": _(s), "url": "/warranty?" + urlencode({"status": s, **shown})}
				for s in STATUS_BADGES
			],
			"prev_url": url(page - 1) if page > 1 else None,
			"next_url": url(page + 1) if page < pages else None,
			"can_create": access.can("warranty.create", customer),
			"filter_values": shown,
			"filter_problem": problem,
			"brands": claims.claim_brands(customer),
			"export_url": "/api/method/rma_portal.api.warranty.export_claims?"
			+ urlencode({**({"status": status} if status else {}), **shown}),
		}
	)
	return context
