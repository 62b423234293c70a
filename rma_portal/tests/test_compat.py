"""rma_portal.compat on the Frappe / ERPNext this site runs (v15): each function answers as the API it
stands for (docs/v16-compatibility.md), so the app's callers behave as before."""

import frappe
from frappe.utils import flt

from rma_portal import compat
from rma_portal.compat import IntegrationTestCase


class TestCompat(IntegrationTestCase):
	def _unpaid_invoice(self):
		invoice = frappe.db.get_value(
			"Sales Invoice",
			{"docstatus": 1, "is_return": 0, "outstanding_amount": [">", 10]},
			["name", "outstanding_amount", "customer"],
			as_dict=True,
		)
		self.assertTrue(invoice, "the demo has unpaid invoices")
		return invoice

	def test_payment_entry_for_the_outstanding_and_for_an_amount(self):
		invoice = self._unpaid_invoice()
		full = compat.payment_entry_for("Sales Invoice", invoice.name)
		self.assertEqual(full.doctype, "Payment Entry")
		self.assertEqual((full.party, full.payment_type), (invoice.customer, "Receive"))
		self.assertEqual(flt(full.paid_amount), flt(invoice.outstanding_amount))
		self.assertEqual([row.reference_name for row in full.references], [invoice.name])

		part = compat.payment_entry_for("Sales Invoice", invoice.name, 5)
		self.assertEqual(flt(part.paid_amount), 5)
		self.assertEqual(flt(part.references[0].allocated_amount), 5)
		self.assertTrue(part.is_new(), "made, not filed: the caller inserts it")

	def test_number_format_info(self):
		self.assertEqual(compat.number_format_info("#.###,##"), (",", ".", 2))
		self.assertEqual(compat.number_format_info("#,###.###"), (".", ",", 3))
		self.assertEqual(compat.number_format_info("#,###")[2], 0)
		self.assertEqual(compat.number_format_info("no such format"), (".", ",", 2))

	def test_shares_compiled_templates_tells_what_frappe_does(self):
		"""True exactly when two requests' Jinja environments share one template cache."""
		saved = getattr(frappe.local, "jenv", None)
		try:
			frappe.local.jenv = None
			first = frappe.get_jenv()
			frappe.local.jenv = None
			second = frappe.get_jenv()
		finally:
			frappe.local.jenv = saved
		self.assertIsNot(first, second)
		self.assertEqual(compat.shares_compiled_templates(), first.cache is second.cache)

	def test_list_page_renderer_is_the_one_frappe_resolves_lists_with(self):
		from frappe.website import path_resolver

		self.assertIs(compat.list_page_renderer(), path_resolver.ListPage)

	def test_integration_test_case_is_frappes_database_test_base(self):
		if compat.FRAPPE_MAJOR >= 16:
			from frappe.tests import IntegrationTestCase as expected
		else:
			from frappe.tests.utils import FrappeTestCase as expected
		self.assertIs(compat.IntegrationTestCase, expected)
		self.assertIsInstance(self, expected)
		with self.assertRaises(AttributeError):
			compat.NoSuchName
