"""What a newcomer gets from the demo data: every demo portal user can log in over HTTP and open
the portal, and the records the demo inserts carry their DocType defaults.

Runs through Frappe's own WSGI application (werkzeug's test client, in a thread of its own with its
own database connection, as a web worker would), on the test site the test command makes fresh.
"""

import contextlib
import io

import frappe
from frappe.app import application
from frappe.model import table_fields
from frappe.tests.utils import FrappeTestCase
from werkzeug.test import Client

from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.tests.http import over_http


def missing_defaults(doc) -> list[str]:
	"""Fields that have a DocType default but no value on `doc`."""
	return [
		df.fieldname
		for df in frappe.get_meta(doc.doctype).fields
		if df.default and df.fieldtype not in table_fields and doc.get(df.fieldname) in (None, "")
	]


class TestDemoLogins(FrappeTestCase):
	def test_every_demo_portal_user_logs_in_over_http_and_opens_the_portal(self):
		for customer, (email, first_name, _last) in CUSTOMERS.items():
			with self.subTest(user=email):
				client = Client(application)  # a cookie jar of its own: one browser per user
				response = over_http(
					client.post, "/api/method/login", data={"usr": email, "pwd": DEMO_PASSWORD}
				)
				self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
				self.assertEqual(response.json.get("full_name", "").split()[0], first_name)
				page = over_http(client.get, "/rma")
				self.assertEqual(page.status_code, 200, f"/rma as {email} ({customer})")
				body = page.get_data(as_text=True)
				self.assertIn('frappe-session-status="logged-in"', body, f"/rma as {email}")
				self.assertIn('class="rma-portal rma-list"', body, f"/rma as {email}")

	def test_a_wrong_password_is_refused(self):
		email = next(iter(CUSTOMERS.values()))[0]
		client = Client(application)
		with contextlib.redirect_stdout(io.StringIO()):  # Frappe prints the refusal's traceback in tests
			response = over_http(
				client.post, "/api/method/login", data={"usr": email, "pwd": "not-the-password"}
			)
		self.assertEqual(response.status_code, 401)

	def test_demo_records_carry_every_doctype_default(self):
		for customer, (email, *_names) in CUSTOMERS.items():
			user = frappe.get_doc("User", email)
			self.assertEqual(user.enabled, 1, email)
			self.assertEqual(missing_defaults(user), [], email)
			self.assertEqual(missing_defaults(frappe.get_doc("Customer", customer)), [], customer)
			contact = frappe.get_doc("Contact", {"user": email})
			self.assertEqual(missing_defaults(contact), [], contact.name)
