"""Sales Invoice doc_events: a submitted credit note linked to an RMA is listed on it (the first moves it
to Invoiced); cancelling it takes it off the list (the last one moves the RMA back to Received).

Works the same for credit notes made by services/returns/credit_note.py and by hand in the desk.
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
	if frappe.flags.get("rma_crediting") == rma:
		return  # services/returns/credit_note.py lists its credit notes on the RMA itself, all at once

	from rma_portal.services.returns.lifecycle import credit_note_submitted

	credit_note_submitted(rma, doc.name)  # listed on the RMA; the first moves it to Invoiced


def on_cancel(doc, method=None):
	if doc.get("is_return") and doc.get("rma") and frappe.db.exists("RMA", doc.rma):
		from rma_portal.services.returns.lifecycle import credit_note_cancelled

		credit_note_cancelled(doc.rma, doc.name)
