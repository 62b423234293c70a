"""Whitelisted methods of the offers page (/portal/offers): the list as JSON, a quotation's PDF, and
the customer's answer (accept / reject, POST). Each asks the access point first, then calls
services.portal_quotations, which locks, checks and records the answer."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import page_arg, per_user_limit, send_file, text_arg
from rma_portal.services.portal import portal_print, portal_quotations

PAGE_SIZE = 20


@frappe.whitelist(methods=["GET"])
@per_user_limit()
def list_quotations(show: str | None = None, page: str | int = 1) -> dict:
	"""One page of the caller's quotations, newest first; show="awaiting": only those to answer."""
	customer = access.customer_for("quotation.read")
	return portal_quotations.quotation_list(
		customer, show=(text_arg(show, "show") or "").strip(), page=page_arg(page), page_size=PAGE_SIZE
	)


@frappe.whitelist(methods=["GET"])
@per_user_limit(limit=30)
def download_quotation(name: str):
	"""One of the caller's quotations as PDF, in ERPNext's print format."""
	customer = access.customer_for("quotation.read")
	name = text_arg(name, "name")
	party = (
		frappe.db.get_value("Quotation", name, ["quotation_to", "party_name", "docstatus"]) if name else None
	)
	if not party or tuple(party) != ("Customer", customer, 1):
		frappe.throw(_("This quotation was not found among your offers."), frappe.PermissionError)
	send_file(f"{name}.pdf", portal_print.pdf_of("Quotation", name), as_pdf=True)


@frappe.whitelist(methods=["POST"])
@per_user_limit(limit=30)
def accept_quotation(name: str) -> dict:
	"""Accept one of the caller's quotations: ERPNext's Sales Order is made (or the quotation is marked
	accepted for staff, per Customer Portal Settings). A second call changes nothing."""
	customer = access.customer_for("quotation.accept")
	return portal_quotations.accept(customer, text_arg(name, "name"), frappe.session.user)


@frappe.whitelist(methods=["POST"])
@per_user_limit(limit=30)
def reject_quotation(name: str, reason: str | None = None) -> dict:
	"""Decline one of the caller's quotations with a reason: ERPNext's Lost. A second call changes nothing."""
	customer = access.customer_for("quotation.reject")
	return portal_quotations.reject(
		customer, text_arg(name, "name"), frappe.session.user, text_arg(reason, "reason")
	)
