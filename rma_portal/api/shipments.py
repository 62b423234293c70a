"""Whitelisted methods of the customer's shipments (delivery notes with tracking)."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import formatdate

from rma_portal import access
from rma_portal.api import page_arg, per_user_limit, text_arg
from rma_portal.services.portal import portal_print, shipments

PAGE_SIZE = 20
# What a customer reads as a delivery's status: Dispatched, or the carrier's status of its Shipment.
STATUSES = ("Dispatched", "In Progress", "Delivered", "Returned", "Lost")


def delivery_status(row) -> str:
	"""What the customer reads: the carrier's status when a shipment was booked, else Dispatched (a
	submitted delivery note means the goods left the warehouse)."""
	return row.get("tracking_status") or "Dispatched"


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_shipments(search: str | None = None, page: str | int = 1) -> dict:
	"""One page of the caller's delivery notes, newest first, with carrier and tracking."""
	customer = access.customer_for("shipment.read")
	result = shipments.list_shipments(
		customer, search=text_arg(search, "search"), page=page_arg(page), page_size=PAGE_SIZE
	)
	for row in result["rows"]:
		row["status"] = delivery_status(row)
		row["status_display"] = _(row["status"])
		row["date_display"] = formatdate(row.posting_date) if row.get("posting_date") else ""
		row["shipped_display"] = formatdate(row.shipped_on) if row.get("shipped_on") else ""
		row["pdf_url"] = "/api/method/rma_portal.api.shipments.download?name=" + quote(row["name"], safe="")
	return result


@frappe.whitelist(methods=["GET"])
def download(name: str):
	"""The delivery note as PDF (ERPNext's print format), for its customer's users only."""
	customer = access.customer_for("shipment.read")
	name = text_arg(name, "name") or ""
	found = frappe.db.get_value("Delivery Note", name, ["customer", "docstatus", "is_return"], as_dict=True)
	if not found or found.customer != customer or found.docstatus != 1 or found.is_return:
		raise frappe.DoesNotExistError(_("This delivery note was not found among your shipments."))
	portal_print.send_pdf(f"{name}.pdf", portal_print.pdf_of("Delivery Note", name))
