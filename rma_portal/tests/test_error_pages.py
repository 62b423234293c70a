"""A portal page that fails leaves its traceback in the site's log (www/error_pages.py): Frappe
renders a page's exception as the error page without an Error Log, so the few 500s of the 100-user
load test left nothing to read."""

import os

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.www import error_pages


class TestFailedPageIsLogged(FrappeTestCase):
	def test_a_failed_page_leaves_its_traceback_in_the_sites_log(self):
		marker = f"page failure {frappe.generate_hash(length=10)}"
		context = frappe._dict(http_status_code=500)
		try:
			raise RuntimeError(marker)
		except RuntimeError:
			error_pages.error(context)
		self.assertEqual(context.error_title, "Something went wrong")
		with open(os.path.join(frappe.get_site_path("logs"), "rma_portal.pages.log")) as log:
			logged = log.read()
		self.assertIn(marker, logged)
		self.assertIn("Traceback", logged)
