"""Demo master data and a year of sales history, built with ERPNext's own documents.

Everything is looked up before it is made, so running it twice keeps what exists.
"""

import random
from datetime import timedelta

import frappe
from frappe.utils import add_days, getdate, today

from rma_portal.demo import books
from rma_portal.demo.catalogue import (  # the names tests and demo import from here, too
	BRANDS,
	CUSTOMERS,
	DEMO_PASSWORD,
	ITEMS,
	gtin13_for,
	make_customer,
	make_item,
	user_creation_unthrottled,
)
from rma_portal.demo.company import ensure_setup_complete
from rma_portal.demo.record_translations import make_record_translations


def make_masters() -> dict:
	company = ensure_setup_complete()
	abbr = frappe.get_cached_value("Company", company, "abbr")
	warehouse = frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 0, "warehouse_name": "Stores"}
	)
	warehouse = warehouse or frappe.db.get_value("Warehouse", {"company": company, "is_group": 0})
	for brand, (serial_required, _days) in BRANDS.items():
		if not frappe.db.exists("Brand", brand):
			frappe.get_doc(
				{"doctype": "Brand", "brand": brand, "rma_serial_no_required": serial_required}
			).insert()
	customers = {name: make_customer(name, *user) for name, user in CUSTOMERS.items()}
	for index, (code, name, brand, price) in enumerate(ITEMS, start=1):
		make_item(code, name, brand, price, gtin13_for(index))
	stock_up(company, warehouse)
	make_return_reasons()
	make_rma_settings()
	make_service_types()
	make_record_translations(RETURN_TERMS)  # the records above in the dealer's language
	make_paid_repair_settings()
	frappe.db.commit()
	masters = {"company": company, "abbr": abbr, "warehouse": warehouse, "customers": customers}
	books.make_books(masters)  # VAT, the serial / batch items, the fee's income account
	return masters


# reason, default handling
RETURN_REASONS = [
	("Defective", "Repair"),
	("Wrong item delivered", "Credit"),
	("Damaged in transit", "Replace"),
	("Not needed / ordered by mistake", "Credit"),
]

RETURN_ADDRESS = """Demo Distribution Returns Department
Dock 4, Industrieweg 12
1234 AB Sampletown
Netherlands"""

RETURN_TERMS = """<p>Returns are accepted within 12 months of delivery, in their original packaging and
with all accessories. Write the RMA number on the parcel or stick the return label on it:
parcels without an RMA number are not processed.</p>
<p>A handling fee is charged on the credit note for every return. Goods that arrive damaged
through poor packaging, or that were not part of the request, are sent back at the
customer's expense.</p>"""


def make_return_reasons():
	"""The return reasons a customer picks from on the confirmation step."""
	for reason, handling in RETURN_REASONS:
		if not frappe.db.exists("RMA Return Reason", reason):
			frappe.get_doc(
				{"doctype": "RMA Return Reason", "reason": reason, "enabled": 1, "default_handling": handling}
			).insert()


def make_rma_settings():
	"""A return fee (as a non-stock item), the return address and the terms; kept if already set."""
	if not frappe.db.exists("Item", "RMA-FEE"):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": "RMA-FEE",
				"item_name": "Return handling fee",
				"item_group": "Services" if frappe.db.exists("Item Group", "Services") else "Products",
				"stock_uom": "Nos",
				"is_stock_item": 0,
				"is_sales_item": 1,
				"description": "Return handling fee",
			}
		).insert()
	settings = frappe.get_doc("RMA Settings")
	settings.fee_amount = settings.fee_amount or 2.5
	settings.fee_item = settings.fee_item or "RMA-FEE"
	settings.history_months = settings.history_months or 12
	settings.return_address = settings.return_address or RETURN_ADDRESS
	settings.terms = settings.terms or RETURN_TERMS
	settings.save()


def make_paid_repair_settings():
	"""Paid repairs of service requests: a repair service item the quotes are made of, and a handling
	charge (its own item) billed when a dealer declines a quote; kept if already set."""
	group = "Services" if frappe.db.exists("Item Group", "Services") else "Products"
	for code, name in (
		("SVC-REPAIR", "Repair service"),
		("SVC-HANDLING", "Handling charge, repair declined"),
	):
		if not frappe.db.exists("Item", code):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": name,
					"item_group": group,
					"stock_uom": "Nos",
					"is_stock_item": 0,
					"is_sales_item": 1,
					"description": name,
				}
			).insert()
	settings = frappe.get_doc("RMA Settings")
	settings.repair_item = settings.get("repair_item") or "SVC-REPAIR"
	settings.handling_charge_item = settings.get("handling_charge_item") or "SVC-HANDLING"
	settings.handling_charge = settings.get("handling_charge") or 15
	settings.save()


def stock_up(company, warehouse):
	"""Enough stock, received before the demo history starts, for every delivery to come."""
	books.receive_stock(company, warehouse, 100000, "rma_portal demo stock")


def make_history(customer: str, orders: int, masters: dict, max_lines: int = 8, seed: int = 7) -> int:
	"""Sales orders over the last year, delivered and invoiced; the newest ones still partly open.

	Returns how many orders it made (the customer's existing orders count towards `orders`).
	"""
	existing = frappe.db.count("Sales Order", {"customer": customer, "docstatus": 1})
	to_make = max(0, orders - existing)
	rng = random.Random(f"{seed}-{customer}-{existing}")
	start = getdate(today()) - timedelta(days=360)
	for n in range(to_make):
		order_date = start + timedelta(days=int(350 * n / max(to_make, 1)))
		partly = n >= to_make - max(2, to_make // 10)  # the newest orders: partial deliveries
		make_order(customer, order_date, masters, rng, max_lines, partly, sequence=existing + n)
		if n % 20 == 19:
			frappe.db.commit()
	frappe.db.commit()
	return to_make


def make_order(customer, order_date, masters, rng, max_lines, partly, sequence):
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	prices = {code: price for code, _name, _brand, price in ITEMS}
	codes = rng.sample(list(prices), k=min(len(ITEMS), rng.randint(1, max_lines)))
	delivery_date = add_days(order_date, 30 if partly else 5)
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": masters["company"],
			"transaction_date": order_date,
			"delivery_date": delivery_date,
			"po_no": f"PO-{getdate(order_date).year}-{sequence + 1:04d}",
			"set_warehouse": masters["warehouse"],
			"items": [
				# The rate is given: server-side, ERPNext leaves a backdated row's rate at 0.
				{
					"item_code": code,
					"qty": rng.choice([1, 2, 3, 5, 10]),
					"price_list_rate": prices[code],
					"rate": prices[code],
					"delivery_date": delivery_date,
					"item_tax_template": books.item_tax(masters.get("vat"), code),
				}
				for code in codes
			],
			**books.order_taxes(masters.get("vat")),  # Dutch VAT on every demo order
		}
	)
	so.set_missing_values()
	so.insert()
	so.submit()

	deliver_on = add_days(order_date, 2)
	if getdate(deliver_on) > getdate(today()):
		return
	dn = make_delivery_note(so.name)
	dn.posting_date = deliver_on
	# Distinct posting times keep ERPNext from queueing a stock repost per backdated item.
	dn.posting_time = f"{9 + sequence % 8:02d}:{sequence % 60:02d}:{(sequence * 7) % 60:02d}"
	dn.set_posting_time = 1
	if partly:
		for row in dn.items:
			row.qty = max(1, row.qty // 2) if row.qty > 1 else row.qty
		dn.items = dn.items[: max(1, len(dn.items) - 1)]  # one line not delivered at all
	return books.deliver_and_invoice(dn, deliver_on).name


def pay_invoice(invoice: str, on):
	from rma_portal.compat import payment_entry_for

	pe = payment_entry_for("Sales Invoice", invoice)
	pe.posting_date = on
	pe.reference_no = f"DEMO-{invoice}"
	pe.reference_date = on
	pe.insert()
	pe.submit()


def settle_history(customer: str):
	"""Older invoices paid, except two left overdue; the last month's stay unpaid and not yet due."""
	if frappe.db.exists("Payment Entry", {"party": customer, "docstatus": 1}):
		return
	invoices = frappe.get_all(
		"Sales Invoice",
		filters={"customer": customer, "docstatus": 1, "is_return": 0, "outstanding_amount": [">", 0]},
		fields=["name", "posting_date", "due_date"],
		order_by="posting_date asc",
	)
	overdue = [inv for inv in invoices if getdate(inv.due_date) < getdate(today())]
	for inv in overdue[:-2]:  # keep the two newest overdue invoices unpaid
		pay_invoice(inv.name, add_days(inv.posting_date, 20))
	frappe.db.commit()


def make_earlier_return(customer: str):
	"""One return made in ERPNext directly (not through the portal): a delivery note return of 1 unit."""
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

	if frappe.db.exists("Delivery Note", {"customer": customer, "is_return": 1, "docstatus": 1}):
		return
	dn_name = frappe.db.get_value(
		"Delivery Note",
		{"customer": customer, "is_return": 0, "docstatus": 1},
		"name",
		order_by="posting_date asc",
	)
	if not dn_name:
		return
	ret = make_sales_return(dn_name)
	ret.items = ret.items[:1]
	ret.items[0].qty = -1
	ret.posting_date = add_days(frappe.db.get_value("Delivery Note", dn_name, "posting_date"), 10)
	ret.set_posting_time = 1
	ret.insert()
	ret.submit()
	frappe.db.commit()


# Service RMAs (SPEC §1, seed 000): RMA types, one reserved to a brand, and fault types.
# type name, brand (None: every product), proof of purchase required, description
RMA_TYPES = [
	("Repair / warranty service", None, 1, "A defective product for repair or replacement under warranty."),
	("Voltra tool & battery service", "Voltra", 1, "Voltra power tools, batteries and chargers only."),
	("Dead on arrival (DOA)", None, 0, "Defective on delivery: our own invoice is the proof of purchase."),
]

# fault name, brand (None: only the listed items), items
FAULT_TYPES = [
	("Does not switch on", "Voltra", []),
	("Overheating", "Voltra", []),
	("Battery does not charge", None, ["VOL-BATT-40", "VOL-CHRG-FAST"]),
	("Flickering light", None, ["LUM-LED-10W", "LUM-LED-30W", "LUM-STRIP-5M"]),
	("No light at all", None, ["LUM-LED-10W", "LUM-LED-30W", "LUM-STRIP-5M"]),
]


def make_service_types():
	"""RMA types and fault types for service requests; kept if they exist."""
	for type_name, brand, proof, description in RMA_TYPES:
		if not frappe.db.exists("RMA Type", type_name):
			frappe.get_doc(
				{
					"doctype": "RMA Type",
					"type_name": type_name,
					"brand": brand,
					"waives_proof_of_purchase": 0 if proof else 1,
					"enabled": 1,
					"description": description,
				}
			).insert()
	for fault_name, brand, items in FAULT_TYPES:
		if not frappe.db.exists("RMA Fault Type", fault_name):
			frappe.get_doc(
				{
					"doctype": "RMA Fault Type",
					"fault_name": fault_name,
					"brand": brand,
					"enabled": 1,
					"items": [{"item_code": code} for code in items if frappe.db.exists("Item", code)],
				}
			).insert()
