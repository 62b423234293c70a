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

from rma_portal.demo import print_logins
from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.tests.http import over_http


def missing_defaults(doc) -> list[str]:
	"""Fields that have a DocType default but no value on `doc`."""
	return [
		df.fieldname
		for df in frappe.get_meta(doc.doctype).fields
		if df.default and df.fieldtype not in table_fields and doc.get(df.fieldname) in (None, "")
	]


def demo_logins() -> dict[str, str]:
	"""user -> password of every enabled user the demo made (the bench and load tools' users apart)."""
	from frappe.utils.password import check_password

	logins = {}
	users = frappe.get_all("User", filters={"name": ("like", "%@demo.example"), "enabled": 1}, pluck="name")
	for user in ["Administrator", *users]:  # the desk's Administrator: the test command's "admin"
		if user.startswith(("bench-", "load-")):
			continue
		for password in (DEMO_PASSWORD, "admin"):  # the setup wizard's administrator has "admin" too
			try:
				check_password(user, password, delete_tracker_cache=False)
			except frappe.AuthenticationError:
				continue
			logins[user] = password
			break
		else:
			logins[user] = None  # a demo user nobody can log in as: the test says so
	return logins


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

	def test_every_user_the_demo_makes_logs_in_over_http(self):
		"""Every enabled user of the demo (an @demo.example address with the demo password, or the
		desk's Administrator and the setup wizard's administrator): logged in over HTTP, each opens
		its home: /me for a portal user, /app for a desk user. The printed logins are among them."""
		logins = demo_logins()
		printed = {line.split()[1] for line in print_logins().splitlines() if line.strip()}
		self.assertLessEqual(printed | {email for email, *_n in CUSTOMERS.values()}, set(logins))
		self.assertGreaterEqual(len(logins), 5, logins)
		for user, password in logins.items():
			with self.subTest(user=user):
				client = Client(application)
				response = over_http(client.post, "/api/method/login", data={"usr": user, "pwd": password})
				self.assertEqual(
					response.status_code, 200, f"{user}: {response.get_data(as_text=True)[:300]}"
				)
				desk = frappe.db.get_value("User", user, "user_type") == "System User"
				page = over_http(client.get, "/app" if desk else "/me")
				self.assertEqual(page.status_code, 200, f"{'/app' if desk else '/me'} as {user}")
				self.assertIn(
					user if desk else 'frappe-session-status="logged-in"', page.get_data(as_text=True)
				)

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
