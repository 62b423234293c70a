"""Guest registration over HTTP (Frappe's whole request path: session, login hooks): the activation
link single-use and expiring, no User before activation (the User and its Contact made by it), login
refused before activation, resend, the limits on e-mails (refused forms not counted, the n+1-th e-mail
refused with when to try again), the same answer for known and unknown addresses, the partner's
account request, Frappe's hourly limit on new users said plainly, and the refusals.

The requests run in threads with database connections of their own (tests/http.py), so what they
must see is committed; tearDownClass removes every user, registration, request and mail it made.
Each test posts from its own X-Forwarded-For address, so the per-IP counts of one test do not spill
into another. The site's outgoing Email Account is the demo's ("Demo mailbox", bench rma-demo); the
mails stay in Frappe's queue (nothing flushes it here) and are read from there.
"""

import email
import re
import uuid

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.services.accounts import registration as service
from rma_portal.services.accounts import registration_limits
from rma_portal.services.shared import new_users
from rma_portal.tests.http import Browser

METHOD = "/api/method/rma_portal.api.registration."
PASSWORD = "Gearbox-Harbour-41"
KNOWN_USER = CUSTOMERS["Demo Dealer"][0]
KEY = re.compile(r"/register/activate\?key=([A-Za-z0-9_\-]+)")


def queued_mails(address: str) -> list:
	"""The Email Queue rows to `address`, newest first."""
	parents = frappe.get_all("Email Queue Recipient", filters={"recipient": address}, pluck="parent")
	return frappe.get_all(
		"Email Queue",
		filters={"name": ["in", parents or [""]]},
		fields=["name", "message", "creation"],
		order_by="creation desc",
	)


def mail_text(raw: str) -> str:
	"""The decoded HTML/text of a queued MIME message."""
	message = email.message_from_string(raw)
	parts = [
		part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace")
		for part in message.walk()
		if part.get_content_maintype() == "text"
	]
	return "\n".join(parts) or raw


def activation_key(address: str) -> str:
	frappe.db.rollback()  # a fresh snapshot: the mail was queued by another connection
	for mail in queued_mails(address):
		found = KEY.search(mail_text(mail.message))
		if found:
			return found.group(1)
	raise AssertionError(f"no activation link mailed to {address}")


class TestRegistration(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.addresses = []

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		for address in cls.addresses:
			for name in frappe.get_all(
				"Dealer Account Request", filters={"requested_by": address}, pluck="name"
			):
				frappe.delete_doc("Dealer Account Request", name, force=True, ignore_permissions=True)
			frappe.db.delete("Portal Registration", {"name": address})
			if frappe.db.exists("User", address):
				frappe.delete_doc("User", address, force=True, ignore_permissions=True)
			for mail in queued_mails(address):
				frappe.delete_doc("Email Queue", mail.name, force=True, ignore_permissions=True)
		frappe.db.commit()
		super().tearDownClass()

	def setUp(self):
		self.ip = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
		frappe.cache.delete_keys("rl:")
		frappe.cache.delete_keys("rma_portal:mails:")
		self.guest = Browser()

	def address(self) -> str:
		address = f"reg-{uuid.uuid4().hex[:10]}@example.com"
		self.addresses.append(address)
		return address

	def post(self, method: str, data: dict, client: Browser | None = None, ip: str | None = None):
		return (client or self.guest).post(METHOD + method, data, headers={"X-Forwarded-For": ip or self.ip})

	def register(self, address: str, ip: str | None = None, **extra):
		data = {
			"client_type": "Partner",
			"first_name": "Petra",
			"last_name": "Janssen",
			"company_name": f"Autoservice {address[4:10]}",
			"vat_prefix": "NL",
			"tax_id": "004495445B01",
			"email": address,
			"phone": "+31 30 123 4567",
			"password": PASSWORD,
			"accept_terms": "1",
			"marketing_consent": "1",
		}
		data.update(extra)
		return self.post("register", data, ip=ip)

	def login(self, address: str, password: str = PASSWORD):
		return Browser().post("/api/method/login", {"usr": address, "pwd": password})

	def assertStatus(self, response, status: int):
		self.assertEqual(response.status_code, status, response.get_data(as_text=True)[:600])

	# -- activation -------------------------------------------------------------------------------

	def test_partner_registers_activates_once_and_logs_in(self):
		address = self.address()
		self.assertStatus(self.register(address), 200)
		frappe.db.rollback()
		registration = frappe.get_doc("Portal Registration", address)
		self.assertEqual(registration.client_type, "Partner")
		self.assertTrue(registration.terms_accepted_on)
		self.assertEqual(registration.marketing_consent, 1)
		self.assertTrue(registration.marketing_consent_on)
		self.assertEqual(
			registration.marketing_text_version, service.account_requests.settings().marketing_text_version
		)
		self.assertFalse(frappe.db.exists("User", address), "no User before activation")
		self.assertFalse(registration.user)
		key = activation_key(address)
		self.assertEqual(registration.activation_key, service.key_hash(key), "only the key's hash is stored")

		refused = self.login(address)
		self.assertStatus(refused, 401)
		self.assertIn("not activated", refused.get_data(as_text=True))
		self.assertIn("/register/resend", refused.get_data(as_text=True))

		page = self.guest.get("/register/activate", key=key)
		self.assertStatus(page, 200)
		self.assertIn('name="password"', page.get_data(as_text=True))
		wrong = self.post("activate", {"key": key, "password": "not-the-password"})
		self.assertStatus(wrong, 417)
		self.assertStatus(self.post("activate", {"key": key, "password": PASSWORD}), 200)
		again = self.post("activate", {"key": key, "password": PASSWORD})
		self.assertStatus(again, 404)
		self.assertIn("already used", again.get_data(as_text=True))

		self.assertStatus(self.login(address), 200)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("User", address, "user_type"), "Website User")
		self.assertEqual(frappe.db.get_value("Portal Registration", address, "user"), address)
		contact = frappe.db.get_value("Contact", {"user": address}, ["first_name", "email_id"], as_dict=True)
		self.assertEqual((contact.first_name, contact.email_id), ("Petra", address))
		request = frappe.get_doc("Dealer Account Request", {"requested_by": address})
		self.assertEqual(request.request_type, "Create business account and add user")
		self.assertEqual(request.new_account_name, f"Autoservice {address[4:10]}")
		self.assertEqual((request.vat_prefix, request.tax_id), ("NL", "004495445B01"))
		self.assertEqual(request.status, "Open")
		self.assertEqual(frappe.db.get_value("Portal Registration", address, "account_request"), request.name)

	def test_expired_link_refused_and_resend_gives_a_new_one(self):
		address = self.address()
		self.assertStatus(self.register(address, client_type="Private person", company_name=""), 200)
		old_key = activation_key(address)
		frappe.db.set_value(
			"Portal Registration", address, "activation_expires", add_to_date(now_datetime(), hours=-1)
		)
		frappe.db.commit()
		expired = self.post("activate", {"key": old_key, "password": PASSWORD})
		self.assertStatus(expired, 410)
		self.assertIn("expired", expired.get_data(as_text=True))
		self.assertIn("expired", self.guest.get("/register/activate", key=old_key).get_data(as_text=True))

		self.assertStatus(self.post("resend_activation", {"email": address.upper()}), 200)
		new_key = activation_key(address)
		self.assertNotEqual(new_key, old_key)
		self.assertStatus(self.post("activate", {"key": old_key, "password": PASSWORD}), 404)
		self.assertStatus(self.post("activate", {"key": new_key, "password": PASSWORD}), 200)
		self.assertStatus(self.login(address), 200)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Dealer Account Request", {"requested_by": address}))

	def test_registering_again_before_activation_replaces_the_pending_registration(self):
		address = self.address()
		self.assertStatus(self.register(address, client_type="Private person", company_name=""), 200)
		first_key = activation_key(address)
		second_password = "Lighthouse-Anchor-77"
		self.assertStatus(
			self.register(address, ip="198.51.100.252", last_name="Jansen", password=second_password), 200
		)
		second_key = activation_key(address)
		self.assertNotEqual(first_key, second_key)
		self.assertStatus(self.post("activate", {"key": first_key, "password": PASSWORD}), 404)
		self.assertStatus(self.post("activate", {"key": second_key, "password": PASSWORD}), 417)
		self.assertStatus(self.post("activate", {"key": second_key, "password": second_password}), 200)
		self.assertStatus(self.login(address, second_password), 200)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("User", address, "last_name"), "Jansen")
		self.assertEqual(frappe.db.get_value("Portal Registration", address, "client_type"), "Partner")

	# -- no enumeration ---------------------------------------------------------------------------

	def test_same_answer_for_known_and_unknown_addresses(self):
		unknown = self.address()
		known = self.register(KNOWN_USER, ip="203.0.113.7")
		new = self.register(unknown, ip="203.0.113.8")
		self.assertEqual((known.status_code, known.get_data()), (new.status_code, new.get_data()))
		self.assertStatus(known, 200)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Portal Registration", KNOWN_USER))
		mails = queued_mails(KNOWN_USER)
		self.assertTrue(mails and "already have an account" in mail_text(mails[0].message))
		for mail in mails[:1]:
			frappe.delete_doc("Email Queue", mail.name, force=True, ignore_permissions=True)
		frappe.db.commit()

		resent_known = self.post("resend_activation", {"email": KNOWN_USER}, ip="203.0.113.9")
		nobody = "nobody-" + unknown
		self.addresses.append(nobody)
		resent_unknown = self.post("resend_activation", {"email": nobody}, ip="203.0.113.10")
		self.assertEqual(
			(resent_known.status_code, resent_known.get_data()),
			(resent_unknown.status_code, resent_unknown.get_data()),
		)
		self.assertStatus(resent_known, 200)
		frappe.db.rollback()
		self.assertIn("No registration is waiting", mail_text(queued_mails(nobody)[0].message))
		mails = queued_mails(KNOWN_USER)
		self.assertTrue(mails and "already have an account" in mail_text(mails[0].message))
		for mail in mails[:1]:
			frappe.delete_doc("Email Queue", mail.name, force=True, ignore_permissions=True)
		frappe.db.commit()
		self.assertTrue(Browser(KNOWN_USER, DEMO_PASSWORD), "the known user's password is unchanged")

	# -- limits on e-mails -----------------------------------------------------------------------

	def test_refused_forms_are_answered_and_not_counted(self):
		address = self.address()
		per_address, _per_ip = registration_limits.limits()
		refusals = [
			({"tax_id": "004495446B01"}, "check digit is wrong"),
			({"vat_prefix": "US", "tax_id": "123"}, "is not the VAT prefix of an EU country"),
			({"password": "password1"}, "too easy to guess"),
		]
		for _n in range(per_address):  # more refused forms than e-mails allowed, all answered
			for extra, error in refusals:
				refused = self.register(address, **extra)
				self.assertStatus(refused, 417)
				self.assertIn(error, refused.get_data(as_text=True))
		self.assertStatus(self.register(address), 200)
		frappe.db.rollback()
		self.assertTrue(frappe.db.exists("Portal Registration", address))
		self.assertEqual(len(queued_mails(address)), 1)

	def test_mails_per_address_from_any_ip(self):
		address = self.address()
		per_address, _per_ip = registration_limits.limits()
		self.assertStatus(self.register(address, ip="192.0.2.1"), 200)
		for n in range(per_address - 1):
			self.assertStatus(self.post("resend_activation", {"email": address}, ip=f"192.0.2.{n + 10}"), 200)
		refused = self.register(address.upper(), ip="192.0.2.99")
		self.assertStatus(refused, 429)
		self.assertRegex(refused.get_data(as_text=True), r"try again in (60|59) minutes")
		self.assertStatus(self.post("resend_activation", {"email": address}, ip="192.0.2.98"), 429)
		# a form with errors is still answered with its errors
		wrong = self.register(address, ip="192.0.2.97", phone="call me")
		self.assertStatus(wrong, 417)
		self.assertIn("Phone: enter a phone number", wrong.get_data(as_text=True))
		frappe.db.rollback()
		self.assertEqual(len(queued_mails(address)), per_address)

	def test_mails_per_ip_address(self):
		_per_address, per_ip = registration_limits.limits()
		for _n in range(per_ip):
			self.assertStatus(self.register(self.address()), 200)
		refused = self.register(self.address())
		self.assertStatus(refused, 429)
		self.assertIn("from your network", refused.get_data(as_text=True))
		self.assertRegex(refused.get_data(as_text=True), r"try again in (60|59) minutes")
		self.assertStatus(self.register(self.address(), ip="198.51.100.251"), 200)

	# -- no site-wide lock from unfinished sign-ups -------------------------------------------------

	def test_unactivated_sign_ups_make_no_user_and_block_nobody(self):
		limit = new_users.hourly_limit()
		pending = [self.address() for _n in range(limit + 1)]
		for n, address in enumerate(pending):
			response = self.register(
				address, ip=f"203.0.113.{n // 5 + 100}", client_type="Private person", company_name=""
			)
			self.assertStatus(response, 200)
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Portal Registration", {"name": ["in", pending]}), limit + 1)
		self.assertFalse(frappe.db.exists("User", {"name": ["in", pending]}))
		last = self.address()
		self.assertStatus(self.register(last, ip="203.0.113.250"), 200)
		self.assertStatus(self.post("activate", {"key": activation_key(last), "password": PASSWORD}), 200)
		self.assertStatus(self.login(last), 200)

	def test_frappes_hourly_limit_on_new_users_is_said_plainly(self):
		address = self.address()
		self.assertStatus(self.register(address, client_type="Private person", company_name=""), 200)
		key = activation_key(address)
		made = frappe.db.get_creation_count("User", 60)
		frappe.local.conf.throttle_user_limit = made - 1  # this process only: the limit is reached
		try:
			with self.assertRaises(new_users.TooManyNewUsers) as refused:
				service.activate(key, PASSWORD)
		finally:
			frappe.local.conf.pop("throttle_user_limit", None)
			frappe.db.rollback()
		self.assertRegex(str(refused.exception), r"try again in \d+ minutes")
		self.assertFalse(frappe.db.exists("User", address))
		self.assertStatus(self.post("activate", {"key": key, "password": PASSWORD}), 200)

	# -- what the form must contain, and who may call ------------------------------------------------

	def test_every_problem_named_at_once(self):
		response = self.register(
			self.address(),
			first_name="",
			company_name="",
			tax_id="004495446B01",
			phone="call me",
			password="password",
			accept_terms="0",
		)
		self.assertStatus(response, 417)
		body = response.get_data(as_text=True)
		for expected in (
			"First Name is required",
			"Company Name is required",
			"check digit is wrong",
			"Phone: enter a phone number",
			"Password",
			"accept the terms",
		):
			self.assertIn(expected, body)
		prefix = self.register(self.address(), vat_prefix="US", tax_id="123")
		self.assertIn("is not the VAT prefix of an EU country", prefix.get_data(as_text=True))

	def test_get_refused_and_logged_in_users_refused(self):
		self.assertIn(self.guest.get(METHOD + "register", email=self.address()).status_code, (403, 405))
		dealer = Browser(KNOWN_USER, DEMO_PASSWORD)
		response = dealer.post(METHOD + "register", {"email": self.address()}, csrf=True)
		self.assertStatus(response, 403)
		self.assertEqual(dealer.get("/register").status_code, 302)
		frappe_sign_up = self.guest.post(
			"/api/method/frappe.core.doctype.user.user.sign_up",
			{"email": self.address(), "full_name": "X Y", "redirect_to": "/"},
		)
		self.assertStatus(frappe_sign_up, 403)
		self.assertIn("/register", frappe_sign_up.get_data(as_text=True))

	def test_disable_signups_closes_the_registration(self):
		frappe.db.set_single_value("Website Settings", "disable_signup", 1)
		frappe.db.commit()
		try:
			self.assertStatus(self.register(self.address()), 403)
			self.assertIn("Registration is closed", self.guest.get("/register").get_data(as_text=True))
		finally:
			service.open_signups()
			frappe.db.commit()
		self.assertIn('href="/register"', self.guest.get("/login").get_data(as_text=True))
