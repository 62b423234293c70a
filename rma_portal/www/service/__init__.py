"""Portal pages of service requests: /service (desk) and /service/new (request form).

service_view_context adds the service fields of an RMA to /rma/view (kind Service)."""

from frappe import _
from frappe.utils import formatdate


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
	context.service = detail
	context.title = _("Service request {0}").format(rma.name)
	context.parents = [
		{"route": "/me", "title": _("My Account")},
		{"route": "/service", "title": _("Service requests")},
	]
