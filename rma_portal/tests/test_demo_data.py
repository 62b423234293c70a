"""The demo data the set-up command loads (the test site gets it too)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today
from stdnum import ean

from rma_portal.access import customers_of
from rma_portal.demo.data import BRANDS, CUSTOMERS, ITEMS


class TestDemoData(FrappeTestCase):
	def test_items_have_valid_ean13_barcodes_across_brands(self):
		barcodes = frappe.get_all(
			"Item Barcode", filters={"parent": ["in", [i[0] for i in ITEMS]]}, fields=["parent", "barcode"]
		)
		self.assertEqual(len(barcodes), len(ITEMS))
		for row in barcodes:
			self.assertTrue(ean.is_valid(row.barcode) and len(row.barcode) == 13, row)
		brands = set(frappe.get_all("Item", filters={"name": ["in", [i[0] for i in ITEMS]]}, pluck="brand"))
		self.assertEqual(brands, set(BRANDS))
		self.assertTrue(frappe.db.get_value("Brand", "Voltra", "rma_serial_no_required"))

	def test_portal_users_are_linked_to_their_own_customer(self):
		for customer, (email, *_names) in CUSTOMERS.items():
			self.assertEqual(frappe.db.get_value("User", email, "user_type"), "Website User")
			self.assertIn("Customer", frappe.get_roles(email))
			self.assertEqual(customers_of(email), [customer])

	def test_a_year_of_delivered_and_invoiced_orders(self):
		orders = frappe.get_all(
			"Sales Order", filters={"customer": "Demo Dealer", "docstatus": 1}, fields=["transaction_date"]
		)
		self.assertGreaterEqual(len(orders), 20)
		dates = [getdate(o.transaction_date) for o in orders]
		self.assertLessEqual(min(dates), getdate(add_days(today(), -300)))
		lines = frappe.db.count("Delivery Note Item", {"parenttype": "Delivery Note", "docstatus": 1})
		self.assertGreater(lines, 50)
		self.assertTrue(
			frappe.db.exists("Sales Invoice", {"customer": "Demo Dealer", "docstatus": 1, "is_return": 0})
		)

	def test_invoices_paid_unpaid_and_overdue(self):
		statuses = set(
			frappe.get_all(
				"Sales Invoice",
				filters={"customer": "Demo Dealer", "docstatus": 1, "is_return": 0},
				pluck="status",
			)
		)
		self.assertIn("Paid", statuses)
		self.assertIn("Overdue", statuses)

	def test_partial_deliveries_with_expected_dates(self):
		open_lines = frappe.db.sql(
			"""select soi.name from `tabSales Order Item` soi join `tabSales Order` so on so.name = soi.parent
			where so.customer = %s and so.docstatus = 1 and soi.delivered_qty < soi.qty and soi.delivery_date is not null""",
			"Demo Dealer",
		)
		self.assertTrue(open_lines)

	def test_an_erpnext_return_already_exists(self):
		self.assertTrue(
			frappe.db.exists("Delivery Note", {"customer": "Demo Dealer", "is_return": 1, "docstatus": 1})
		)

	def test_second_customer_has_its_own_history(self):
		self.assertTrue(frappe.db.exists("Delivery Note", {"customer": "Second Dealer", "docstatus": 1}))
