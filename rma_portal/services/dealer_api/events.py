"""What becomes a webhook event (services/dealer_api/webhooks.emit): doc_events of the app's and
ERPNext's documents (hooks.py) and a daily job for invoices falling due. Each sends only to the
endpoints of the document's own customer.
"""

import frappe

from rma_portal.services.dealer_api import webhooks

DECIDED_CLAIM = ("Granted", "Refused")


def _has_endpoints(customer: str | None) -> bool:
	return bool(customer) and bool(frappe.db.exists(webhooks.WEBHOOK, {"customer": customer, "enabled": 1}))


def rma_changed(doc, method=None):
	"""RMA on_update: its status moved (the named transitions in services/returns/lifecycle.py)."""
	if not doc.has_value_changed("status") or not _has_endpoints(doc.customer):
		return
	before = doc.get_doc_before_save()
	data = {
		"rma": doc.name,
		"status": doc.status,
		"previous_status": before.status if before else None,
		"rma_type": doc.get("rma_type"),
		"customer_reference": doc.get("customer_reference"),
	}
	webhooks.emit("rma.status_changed", doc.customer, data, "RMA", doc.name)


def credit_note_submitted(doc, method=None):
	"""Sales Invoice on_submit: a credit note (a return invoice) of the customer, of an RMA or not."""
	if not doc.get("is_return") or not _has_endpoints(doc.customer):
		return
	data = {
		"credit_note": doc.name,
		"rma": doc.get("rma"),
		"return_against": doc.get("return_against"),
		"grand_total": doc.grand_total,
		"currency": doc.currency,
		"posting_date": doc.posting_date,
	}
	webhooks.emit("credit_note.created", doc.customer, data, "Sales Invoice", doc.name)


def claim_changed(doc, method=None):
	"""Customer Warranty Claim on_update: granted or refused."""
	if doc.status not in DECIDED_CLAIM or not doc.has_value_changed("status"):
		return
	if not _has_endpoints(doc.customer):
		return
	data = {"claim": doc.name, "status": doc.status, "item_code": doc.get("item_code")}
	webhooks.emit("warranty_claim.decided", doc.customer, data, doc.doctype, doc.name)


def quotation_submitted(doc, method=None):
	"""Quotation on_submit: an offer to a customer."""
	if doc.get("quotation_to") != "Customer" or not _has_endpoints(doc.party_name):
		return
	data = {
		"quotation": doc.name,
		"grand_total": doc.grand_total,
		"currency": doc.currency,
		"valid_till": doc.get("valid_till"),
	}
	webhooks.emit("offer.received", doc.party_name, data, "Quotation", doc.name)


def invoices_due(today=None):
	"""Daily: invoice.due for the unpaid invoices due today, invoice.overdue for those due yesterday
	(once each: the day after falling due), for the customers that have endpoints."""
	today = frappe.utils.getdate(today or frappe.utils.today())
	customers = frappe.get_all(webhooks.WEBHOOK, filters={"enabled": 1}, pluck="customer", distinct=True)
	if not customers:
		return
	for event, due_date in (("invoice.due", today), ("invoice.overdue", frappe.utils.add_days(today, -1))):
		rows = frappe.get_all(
			"Sales Invoice",
			filters={
				"customer": ["in", customers],
				"docstatus": 1,
				"is_return": 0,
				"outstanding_amount": [">", 0],
				"due_date": due_date,
			},
			fields=["name", "customer", "due_date", "outstanding_amount", "currency"],
		)
		for row in rows:
			data = {
				"invoice": row.name,
				"due_date": row.due_date,
				"outstanding_amount": row.outstanding_amount,
				"currency": row.currency,
			}
			webhooks.emit(event, row.customer, data, "Sales Invoice", row.name)
		frappe.db.commit()  # nosemgrep: a scheduled job; the deliveries go out after the commit
