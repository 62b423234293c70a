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

	def test_rendered_list_is_frappes_rendered_web_list(self):
		from frappe.www import list as web_list

		invoices = frappe.get_all("Sales Invoice", {"docstatus": 1}, pluck="name", limit=3)
		self.assertEqual(len(invoices), 3, "the demo has invoices")
		answer = compat.rendered_list("Sales Invoice", limit_start=0, limit=2, pathname="/invoices/")
		self.assertEqual(len(answer["result"]), 2)
		self.assertTrue(answer["show_more"])
		self.assertEqual(answer["next_start"], 2)
		if compat.FRAPPE_MAJOR < 16:  # the same answer as v15's own method
			self.assertEqual(answer, web_list.get("Sales Invoice", None, 0, 2, "/invoices/"))

	def test_set_list_route_links_a_row_under_its_list(self):
		context = frappe._dict(doc=frappe._dict(doctype="Sales Invoice", name="SINV 1"), pathname="invoices")
		compat.set_list_route(context)
		self.assertEqual(context.route, "invoices/SINV%201")

	def test_list_page_context_adds_what_the_frappe_list_page_adds(self):
		context = frappe._dict()
		compat.list_page_context(context)
		expected = {"show_sidebar": True, "home_page": "/portal"} if compat.FRAPPE_MAJOR >= 16 else {}
		self.assertEqual(dict(context), expected)

	def test_portal_reads_calls_only_what_both_lines_have(self):
		"""overrides/portal_reads.py uses of frappe.www.list only the four functions v16 kept, and no
		v15-only renderer module: the rest goes through compat."""
		import ast
		import inspect

		from frappe.www import list as web_list

		from rma_portal.overrides import portal_reads

		tree = ast.parse(inspect.getsource(portal_reads))
		used = {
			node.attr
			for node in ast.walk(tree)
			if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "frappe_list"
		}
		kept = {"get_list_data", "prepare_filters", "get_list_context", "get_list"}
		self.assertTrue(used, "portal_reads reads ERPNext's lists through frappe.www.list")
		self.assertLessEqual(used, kept)
		self.assertTrue(all(callable(getattr(web_list, name)) for name in kept))
		imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
		self.assertNotIn("frappe.website.page_renderers.list_page", imported)
		self.assertIs(portal_reads.PortalListPage.__mro__[1], compat.list_page_renderer())
