"""Portal pages of service requests: /service (desk) and /service/new (request form).

service_view_context adds the service fields of an RMA to /rma/view (kind Service)."""

import frappe
from frappe import _
from frappe.utils import flt, formatdate

from rma_portal import access
from rma_portal.services.portal.shipments import is_web_link
from rma_portal.www.portal_display import money


def repair_quote_view(detail, rma) -> frappe._dict | None:
	"""The repair quote of the request, as the dealer reads it: total, what it covers, validity."""
	if not detail.get("repair_quotation"):
		return None
	quotation = frappe.db.get_value(
		"Quotation", detail.repair_quotation, ["grand_total", "currency", "valid_till"], as_dict=True
	)
	if not quotation:
		return None
	from rma_portal.services.shared.settings import rma_settings

	charge = rma_settings().handling_charge
	descriptions = frappe.get_all(
		"Quotation Item",
		filters={"parent": detail.repair_quotation, "parenttype": "Quotation"},
		pluck="description",
		order_by="idx",
	)
	return frappe._dict(
		total_display=money(quotation.grand_total, quotation.currency),
		valid_till_display=formatdate(quotation.valid_till) if quotation.valid_till else "",
		descriptions=[frappe.utils.strip_html_tags(d or "") for d in descriptions],
		decline_text=_(
			"If you decline, we send the product back as it is and charge {0} for handling."
		).format(money(flt(charge), quotation.currency))
		if charge
		else _("If you decline, we send the product back as it is."),
	)


def service_view_context(context, customer: str, rma) -> None:
	"""Service header fields, service lines and attachments (with download links) for /rma/view, from
	the RMA as services.returns.rma_detail read it (its "service")."""
	from rma_portal.api.service import attachment_url

	detail = rma.service
	items = {row.name: row for row in rma["items"]}
	for line in detail.lines:
		item = items.get(line.name) or {}
		line.item_code = item.get("item_code")
		line.item_name = item.get("item_name")
		line.qty_requested = item.get("qty_requested")
		line.qty_received = item.get("qty_received")
		line.handling = item.get("handling")
		line.purchase_date_display = formatdate(line.purchase_date) if line.purchase_date else ""
		line.warranty_end_display = formatdate(line.warranty_end) if line.warranty_end else ""
	for attachment in detail.attachments:
		attachment.url = attachment_url(rma.name, attachment.name)
	detail.quote = repair_quote_view(detail, rma)
	detail.can_answer = bool(detail.quote) and access.can("rma.create", customer)
	detail.parcel = [
		line.outcome_delivery_note
		for line in rma["items"]
		if line.get("outcome_delivery_note") and line.get("handling") in ("Replace", "Repair", "Reject")
	]
	detail.parcel = list(dict.fromkeys(detail.parcel))
	detail.tracking_link = detail.outbound_tracking_url if is_web_link(detail.outbound_tracking_url) else None
	context.service = detail
	from rma_portal.api.conversation import view_messages

	context.messages = view_messages("RMA", rma.name)
	context.conversation_doctype, context.conversation_name = "RMA", rma.name
	context.can_post = access.can("rma.create", customer)
	context.title = _("Service request {0}").format(rma.name)
	context.parents = [
		{"route": "/me", "title": _("My Account")},
		{"route": "/service", "title": _("Service requests")},
	]
