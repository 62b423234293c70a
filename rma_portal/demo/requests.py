"""A few after-sales requests in the demo, so the portal and the desk show every status.

Made through the same services as the portal and the desk; skipped once the customer has RMAs.
"""

import frappe

from rma_portal.services.returns import credit_note, lifecycle, returns


def make_demo_requests(customer: str, user: str):
	if frappe.db.exists("RMA", {"customer": customer}):
		return
	reason = frappe.db.get_value("RMA Return Reason", {"enabled": 1}, "name", order_by="creation asc")
	lines = [
		row for row in returns.candidate_lines(customer, page_size=100)["rows"] if row.qty_returnable >= 2
	]
	# one line per delivery note, oldest first, so the three requests look like separate events
	by_note = {}
	for row in reversed(lines):
		by_note.setdefault(row.delivery_note, row)
	picked = list(by_note.values())[:3]
	if len(picked) < 3 or not reason:
		return

	def request(row, qty, reference):
		return returns.create_return_rma(
			customer,
			user,
			[{"delivery_note_item": row.delivery_note_item, "qty": qty}],
			return_reason=reason,
			customer_reference=reference,
			terms_accepted=True,
		)

	request(picked[0], 1, "DEMO-EXPECTED")
	received = request(picked[1], 2, "DEMO-RECEIVED")
	invoiced = request(picked[2], 2, "DEMO-INVOICED")
	for name in (received, invoiced):
		rows = frappe.get_doc("RMA", name).items
		lifecycle.receive(
			name, {row.name: row.qty_requested for row in rows}, {row.name: "Credit" for row in rows}
		)
	credit_note.make_credit_note(invoiced)
	frappe.db.commit()
