"""Whitelisted methods of the customer's shipments (delivery notes with tracking)."""

from urllib.parse import quote

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import display_dates, download_url, list_args, per_user_limit, send_file, text_arg
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
	result = shipments.list_shipments(customer, **list_args(search, page, PAGE_SIZE))
	for row in result["rows"]:
		row["status"] = delivery_status(row)
		row["status_display"] = _(row["status"])
		display_dates(row, posting_date="date_display", shipped_on="shipped_display")
		row["pdf_url"] = download_url("shipments.download", name=row["name"])
	return result


@frappe.whitelist(methods=["GET"])
def download(name: str):
	"""The delivery note as PDF (ERPNext's print format), for its customer's users only."""
	customer = access.customer_for("shipment.read")
	name = text_arg(name, "name") or ""
	found = frappe.db.get_value("Delivery Note", name, ["customer", "docstatus", "is_return"], as_dict=True)
	if not found or found.customer != customer or found.docstatus != 1 or found.is_return:
		raise frappe.DoesNotExistError(_("This delivery note was not found among your shipments."))
	send_file(f"{name}.pdf", portal_print.pdf_of("Delivery Note", name), as_pdf=True)
