"""Sales Invoice doc_events: a submitted credit note linked to an RMA moves it to Invoiced; cancelling
it moves the RMA back to Received.

Works the same for credit notes made by services/credit_note.py and by hand in the desk.
"""

import frappe
from frappe import _


def on_submit(doc, method=None):
	rma = doc.get("rma")
	if not doc.get("is_return") or not rma:
		return
	current = frappe.db.get_value("RMA", rma, ["customer", "status"], as_dict=True)
	if not current:
		frappe.throw(_("RMA {0} does not exist.").format(rma))
	if current.customer != doc.customer:
		frappe.throw(
			_("RMA: {0} belongs to customer {1}, not {2}.").format(rma, current.customer, doc.customer)
		)
	if current.status == "Invoiced":
		return  # a further credit note of the same RMA (its lines spanned several invoices)

	from rma_portal.services.lifecycle import mark_invoiced

	mark_invoiced(rma, doc.name)


def on_cancel(doc, method=None):
	if doc.get("is_return") and doc.get("rma") and frappe.db.exists("RMA", doc.rma):
		from rma_portal.services.lifecycle import credit_note_cancelled

		credit_note_cancelled(doc.rma, doc.name)
