"""Receiving, crediting and shipping the outcomes need the RMA Manager role, not ERPNext's stock or
accounts roles: returns staff receive goods (SPEC, users), and staff's money and stock actions go
through the app's desk actions (SECURITY.md). The desk's actions check RMA write; the ERPNext
documents they make are made with the app's authority (ERPNext checks Delivery Note, Sales Invoice,
Sales Order and Serial and Batch Bundle rights the role does not have)."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.api import desk
from rma_portal.rma_portal.doctype.rma.test_rma import ITEMS, _make_customer, _sell, prepare_returns_data
from rma_portal.rma_portal.doctype.rma.test_rma_after_receipt import _rma_over
from rma_portal.services.returns import lifecycle
from rma_portal.tests import test_credit_matrix as matrix
from rma_portal.tests.records import linked_doctypes
from rma_portal.tests.test_receiving import LINES, _booked, _rma

test_ignore = linked_doctypes("RMA")

RECEIVER = "rma-manager-only@example.com"


def _receiver_with_the_rma_role_only() -> str:
	if not frappe.db.exists("User", RECEIVER):
		frappe.get_doc({"doctype": "User", "email": RECEIVER, "first_name": "Counter"}).insert(
			ignore_permissions=True
		)
	user = frappe.get_doc("User", RECEIVER)
	user.set("roles", [])
	user.append("roles", {"role": "RMA Manager"})
	user.save(ignore_permissions=True)
	return RECEIVER


class TestReceivingWithTheRmaRoleAlone(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		cls.customer, cls.user = _make_customer("Counter Dealer")
		frappe.set_user("Administrator")
		_receiver_with_the_rma_role_only()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_an_rma_manager_without_stock_roles_receives_the_goods(self):
		rma = _rma(self.customer, self.user)
		frappe.set_user(RECEIVER)
		self.assertFalse(frappe.has_permission("Delivery Note", "create"))  # the case in question
		rows = frappe.get_doc("RMA", rma).items
		result = desk.receive_rma(rma, {row.name: row.qty_requested for row in rows}, request_key="counter-1")
		self.assertEqual(result["status"], "Received")
		frappe.set_user("Administrator")
		booked = _booked(rma)
		self.assertEqual(
			sorted((code, qty) for code, qty, _w in booked["lines"]), sorted((c, -q) for c, q in LINES)
		)
		# booked with the app's rights; the receiver is who the RMA's history names
		log = frappe.get_doc("RMA", rma).status_log[-1]
		self.assertEqual((log.status, log.changed_by), ("Received", RECEIVER))

	def test_an_rma_manager_without_stock_or_accounts_roles_credits_and_ships(self):
		"""The credit note (ERPNext's Sales Invoice return) and a replacement (a Sales Order at no charge
		and its Delivery Note) are the RMA Manager's desk actions too."""
		sale = _sell(self.customer, [(code, 2, 10.0) for code in ITEMS[:2]])
		rma = _rma_over(self.customer, self.user, sale.dn.items, qty=1)
		rows = frappe.get_doc("RMA", rma).items
		handling = dict(zip([row.name for row in rows], ("Credit", "Replace"), strict=True))
		lifecycle.receive(rma, {row.name: row.qty_requested for row in rows}, handling)
		frappe.set_user(RECEIVER)
		self.assertFalse(frappe.has_permission("Sales Invoice", "create"))  # the case in question
		credited = desk.make_credit_note(rma, request_key="counter-credit")
		shipped = desk.ship_outcomes(rma, request_key="counter-ship")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Sales Invoice", credited["credit_note"], "docstatus"), 1)
		self.assertEqual(len(shipped["delivery_notes"]), 1)
		self.assertEqual(frappe.db.get_value("Delivery Note", shipped["delivery_notes"][0], "docstatus"), 1)
		self.assertIn(frappe.db.get_value("RMA", rma, "status"), ("Invoiced", "Completed"))


class TestReceivingSerialsWithTheRmaRoleAlone(matrix.OnTheMatrix):
	def test_a_serial_unit_is_booked_back_by_an_rma_manager_without_stock_roles(self):
		"""ERPNext submits the return's Serial and Batch Bundle with the user's own rights."""
		matrix._stock_setting("use_serial_batch_fields", 0)
		units, name, row = matrix.TestSerialReturns._serial_return(self, self._case(), sold=2, returned=0)
		_receiver_with_the_rma_role_only()
		frappe.set_user(RECEIVER)
		desk.receive_rma(name, {row.name: 1}, request_key="counter-serial")
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Serial No", units[0], "warehouse"), matrix._warehouse())
		self.assertEqual(frappe.db.get_value("RMA", name, "status"), "Received")
