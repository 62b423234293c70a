"""/rma/view?name=<RMA no.>: one RMA with its lines, history, documents and credit note.

RMA numbers contain slashes (RMA/00001/SR/2026), hence a query parameter rather than a path.
"""

import frappe
from frappe import _
from frappe.utils import cint, flt, format_datetime, formatdate

from rma_portal import access
from rma_portal.api.returns import customer_of_rma, documents_url
from rma_portal.services.returns.returns import rma_detail
from rma_portal.services.shared import history_notes
from rma_portal.services.shared.settings import rma_settings
from rma_portal.www.portal_display import money
from rma_portal.www.rma import barcode_data_uri, common_context

no_cache = 1


def approval_state(rma) -> dict | None:
	"""The approval in plain words, for a request held for review or declined there or by a rule."""
	if rma.status == "Requested":
		text = _("Awaiting approval: we are reviewing your request. Please do not send the goods yet.")
		return {"level": "info", "text": text}
	if _declined_in_review(rma):
		return {"level": "warning", "text": _("Declined: {0}").format(rma.decision_note or "")}
	return None


def _declined_in_review(rma) -> bool:
	statuses = [row.status for row in rma.get("status_log") or []]
	return rma.status == "Rejected" and "Requested" in statuses


def get_context(context):
	access.require_login()
	name = (frappe.form_dict.get("name") or "").strip()
	if not access.is_staff():
		access.check("rma.read", access.portal_customer())  # guests / users without a customer
	# The RMA's customer if the caller may read it (its customer's user, or staff); else one generic
	# PermissionError that neither confirms the number exists nor echoes what was typed.
	customer = customer_of_rma(name)
	rma = rma_detail(customer, name)

	common_context(context, _("Return {0}").format(rma.name))
	context.show_sidebar = True
	context.parents.append({"route": "/rma", "title": _("Returns (RMA)")})

	settings = rma_settings(rma.get("company"))
	currency = rma.currency or frappe.defaults.get_global_default("currency")
	fee_currency = rma.fee_currency or currency  # the fee is frozen in the company's currency
	for row in rma["items"]:
		row["delivery_date_display"] = formatdate(row.delivery_date) if row.delivery_date else ""
		row["fee_display"] = money(row.fee_amount, fee_currency) if flt(row.fee_amount) else ""
	credit_notes = [
		{
			"sales_invoice": row.sales_invoice,
			"url": "/invoices/" + row.sales_invoice,
			"date_display": formatdate(row.posting_date) if row.posting_date else "",
			# a credit note is a negative invoice; the dealer reads the amount credited
			"amount_display": money(-flt(row.grand_total), currency),
		}
		for row in rma["credit_notes"]
	]
	for row in rma["status_log"]:
		row["changed_on_display"] = format_datetime(row.changed_on) if row.changed_on else ""
		row["note"] = history_notes.render(row)  # in the reader's language
	context.update(
		{
			"rma": rma,
			"submitted_display": format_datetime(rma.submitted_on) if rma.submitted_on else "",
			"received_display": formatdate(rma.received_on) if rma.received_on else "",
			"barcode": barcode_data_uri(rma.name),
			"documents_url": documents_url(rma.name) if rma.documents else None,
			"credit_note_url": "/invoices/" + rma.credit_note if rma.credit_note else None,
			"credit_notes": credit_notes,
			"total_credited_display": money(rma.total_credited, currency),
			"fee_display": money(rma.fee_amount, fee_currency) if rma.fee_amount else "",
			"line_fees": any(row.fee_display for row in rma["items"]),
			"return_address": rma.return_address or settings.return_address,
			"is_open": rma.status in ("Draft", "Expected"),
			"approval_state": approval_state(rma),
			"just_sent": cint(frappe.form_dict.get("sent")),
		}
	)
	if rma.kind == "Service":  # service fields, lines and attachments (rma_portal.www.service)
		from rma_portal.www.service import service_view_context

		service_view_context(context, customer, rma)
	return context
