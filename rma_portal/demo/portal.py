"""Demo data of the customer portal's overview, invoices and offers (SPEC §5): quotations still open
and one expired, and a partial payment on an overdue invoice. The pending order lines and the unpaid
and overdue invoices come from the sales history (data.make_history, data.settle_history).

Everything is looked up before it is made, so running it twice keeps what exists.
"""

import frappe
from frappe.utils import add_days, getdate, today

from rma_portal.demo.data import ITEMS

# (days ago it was made, days it is valid, item codes with quantities)
QUOTATIONS = [
	(3, 30, [("VOL-DRILL-18", 5), ("VOL-BATT-40", 10)]),
	(6, 21, [("LUM-LED-30W", 20), ("LUM-STRIP-5M", 12)]),
	(10, 40, [("KER-BIN-120", 8)]),
	(45, 14, [("VOL-GRIND-125", 4), ("VOL-CHRG-FAST", 4)]),  # expired a month ago
]


def make_quotations(customer: str, company: str, quotations=QUOTATIONS) -> list[str]:
	"""Submitted quotations for `customer` (marked "rma_portal demo" in their terms); the names. Run
	again, it makes new open ones for those answered since (the browser walk accepts one a run), so
	the demo always has as many open quotations as QUOTATIONS has."""
	existing = frappe.get_all(
		"Quotation",
		filters={"party_name": customer, "docstatus": 1, "terms": "rma_portal demo"},
		fields=["name", "status", "valid_till"],
	)
	still_open = [q for q in existing if q.status == "Open" and getdate(q.valid_till) >= getdate(today())]
	if existing:
		open_ones = [q for q in quotations if q[0] < q[1]]
		quotations = open_ones[: max(0, len(open_ones) - len(still_open))]
	prices = {code: price for code, _name, _brand, price in ITEMS}
	made = [q.name for q in existing]
	for days_ago, valid_days, lines in quotations:
		date = add_days(today(), -days_ago)
		quotation = frappe.get_doc(
			{
				"doctype": "Quotation",
				"quotation_to": "Customer",
				"party_name": customer,
				"company": company,
				"transaction_date": date,
				"valid_till": add_days(date, valid_days),
				"terms": "rma_portal demo",
				"items": [
					{"item_code": code, "qty": qty, "price_list_rate": prices[code], "rate": prices[code]}
					for code, qty in lines
				],
			}
		)
		quotation.set_missing_values()
		quotation.insert()
		quotation.submit()
		made.append(quotation.name)
	frappe.db.commit()
	return made


def make_partial_payment(customer: str):
	"""Half of the oldest overdue invoice paid, so an unpaid invoice shows a payment too."""
	from rma_portal.compat import payment_entry_for

	if frappe.db.exists("Payment Entry", {"party": customer, "docstatus": 1, "reference_no": "DEMO-PARTIAL"}):
		return
	invoice = frappe.db.get_value(
		"Sales Invoice",
		{
			"customer": customer,
			"docstatus": 1,
			"is_return": 0,
			"outstanding_amount": [">", 0],
			"due_date": ["<", getdate(today())],
		},
		["name", "outstanding_amount", "posting_date"],
		as_dict=True,
		order_by="due_date asc",
	)
	if not invoice:
		return
	entry = payment_entry_for("Sales Invoice", invoice.name, round(invoice.outstanding_amount / 2, 2))
	entry.posting_date = add_days(invoice.posting_date, 25)
	entry.reference_no = "DEMO-PARTIAL"
	entry.reference_date = entry.posting_date
	entry.insert()
	entry.submit()
	frappe.db.commit()


def make_portal_demo(customers: list[str], company: str):
	for n, customer in enumerate(customers):
		make_quotations(customer, company, QUOTATIONS if n == 0 else QUOTATIONS[:1])
		make_partial_payment(customer)
