"""Desk actions on an RMA (buttons in rma.js): each checks write permission, then calls a service.

Receive and Make Credit Note take the `request_key` the form makes once per dialog: a double click or
a retry of the same request books nothing twice (services check it under the RMA's row lock).
"""

import frappe
from frappe import _
from frappe.utils import fmt_money

from rma_portal import access
from rma_portal.api import parse_arg, text_arg
from rma_portal.services.returns import credit_note, lifecycle, outcome, review
from rma_portal.services.service import service_desk


def _check(name: str):
	frappe.has_permission("RMA", "write", name, throw=True)


@frappe.whitelist(methods=["POST"])
def receive_rma(
	name: str,
	quantities: str | dict,
	handling: str | dict | None = None,
	request_key: str | None = None,
	serials: str | dict | None = None,
) -> dict:
	_check(name)
	doc = lifecycle.receive(
		name,
		parse_arg(quantities, dict, "quantities") or {},
		parse_arg(handling, dict, "handling") if handling else None,
		request_key=text_arg(request_key, "request_key"),
		serials={
			key: text_arg(value, f"serials.{key}")
			for key, value in (parse_arg(serials, dict, "serials") if serials else {}).items()
		},
	)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def make_credit_note(name: str, request_key: str | None = None) -> dict:
	_check(name)
	first = credit_note.make_credit_note(name, request_key=text_arg(request_key, "request_key"))
	made = frappe.get_all(
		"RMA Credit Note",
		filters={"parent": name, "parenttype": "RMA"},
		fields=["sales_invoice", "grand_total", "return_against"],
		order_by="idx",
	)
	total, currency = frappe.db.get_value("RMA", name, ["total_credited", "currency"])
	message = (
		_("Credit notes {0} made; total credited {1}.")
		if len(made) > 1
		else _("Credit note {0} made; total credited {1}.")
	)
	return {
		"name": name,
		"credit_note": first,
		"credit_notes": made,
		"total_credited": total,
		"message": message.format(
			", ".join(row.sales_invoice for row in made), fmt_money(total, currency=currency)
		),
	}


@frappe.whitelist(methods=["POST"])
def ship_outcomes(
	name: str,
	request_key: str | None = None,
	carrier: str | None = None,
	tracking_no: str | None = None,
	tracking_url: str | None = None,
	repair_reports: str | dict | None = None,
) -> dict:
	"""Replacements (Replace lines) and goods sent back (Repair, Reject lines), each a Delivery Note,
	with the outbound parcel's carrier and tracking and the repaired lines' reports."""
	_check(name)
	made = outcome.ship_outcomes(
		name,
		request_key=text_arg(request_key, "request_key"),
		parcel={
			"carrier": text_arg(carrier, "carrier"),
			"tracking_no": text_arg(tracking_no, "tracking_no"),
			"tracking_url": text_arg(tracking_url, "tracking_url"),
		},
		repair_reports=parse_arg(repair_reports, dict, "repair_reports") if repair_reports else None,
	)
	return {
		"name": name,
		"status": frappe.db.get_value("RMA", name, "status"),
		"delivery_notes": made,
		"message": _("Delivery notes made: {0}.").format(", ".join(made)),
	}


@frappe.whitelist(methods=["POST"])
def reject_rma(name: str, reason: str) -> dict:
	_check(name)
	doc = lifecycle.reject(name, reason)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def cancel_rma(name: str, reason: str) -> dict:
	_check(name)
	doc = lifecycle.cancel(name, reason)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def diagnose_rma(name: str, lines: str | dict, request_key: str | None = None) -> dict:
	"""A service request's diagnosis per line: {row: {diagnosis, covered, handling}}."""
	_check(name)
	doc = service_desk.diagnose(
		name, parse_arg(lines, dict, "lines") or {}, request_key=text_arg(request_key, "request_key")
	)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def send_repair_quote(
	name: str, amount: float, description: str | None = None, request_key: str | None = None
) -> dict:
	"""The paid repair's Quotation for the lines the warranty does not cover."""
	_check(name)
	doc = service_desk.send_repair_quote(
		name,
		amount,
		text_arg(description, "description"),
		request_key=text_arg(request_key, "request_key"),
	)
	return {
		"name": doc.name,
		"quotation": doc.repair_quotation,
		"message": _("Repair quote {0} sent to the customer.").format(doc.repair_quotation),
	}


@frappe.whitelist(methods=["POST"])
def decide_requests(names: str | list, action: str, reason: str | None = None) -> dict:
	"""The review queue's Approve / Decline (rma_list.js bulk actions, the form's buttons) of return
	requests awaiting approval. Requests already decided are skipped, so a double click decides once."""
	if not access.is_staff():  # RMA Manager or System Manager
		frappe.throw(_("Only RMA Managers can approve or decline return requests."), frappe.PermissionError)
	names = [text_arg(name, "names") for name in parse_arg(names, list, "names") or []]
	for name in names:
		_check(name)
	result = review.decide(names, text_arg(action, "action"), text_arg(reason, "reason"))
	done = _("Approved: {0}.") if action == review.APPROVE else _("Declined: {0}.")
	parts = [done.format(len(result["done"]))]
	if result["skipped"]:
		parts.append(_("Already decided, left as they were: {0}.").format(len(result["skipped"])))
	result["message"] = " ".join(parts)
	return result
