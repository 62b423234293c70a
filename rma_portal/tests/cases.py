"""Test case bases the integration tests share."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal import access


class AsAdministrator(FrappeTestCase):
	"""A test case whose tests start and end as Administrator, with the access point's cache
	cleared (no tests of its own: the warranty, company and credit hold tests build on it)."""

	def setUp(self):
		frappe.set_user("Administrator")
		access.clear_cache()

	def tearDown(self):
		frappe.set_user("Administrator")
		access.clear_cache()
