"""What a guest or a customer sees when something is refused (issue 22), over Frappe's whole request
path (rma_portal.tests.http): failed logins and the lock-out without a traceback, a lock-out that says
when to try again, names cleaned when they are filed, the portal's own 404 page, ERPNext's /projects
leading to the app's Projects page, the footer without the newsletter sign-up, a real shared PDF.
"""

import io
import json
import re

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import update_password

from rma_portal import install
from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.domain.inputs import NAME_MAX_LENGTH
from rma_portal.services.company import authorisations
from rma_portal.tests.http import Browser

DEALER = CUSTOMERS["Demo Dealer"][0]
NEWCOMER = "h22-names@example.com"
PASSWORD = "Names#h22-2026"
LOGIN = "/api/method/login"
PDF = b"%PDF-1.4\n% registration extract\n%%EOF\n"


def messages(response) -> str:
	data = response.json or {}
	texts = [str(data.get("message") or "")]
	for raw in json.loads(data.get("_server_messages") or "[]"):
		texts.append(str(json.loads(raw).get("message")))
	return " ".join(texts)


class TestErrorAnswers(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.settings = frappe.db.get_value(
			"System Settings",
			None,
			["allow_consecutive_login_attempts", "allow_login_after_fail", "allow_error_traceback"],
			as_dict=True,
		)

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value("System Settings", dict(cls.settings))
		frappe.db.commit()
		frappe.clear_cache()
		super().tearDownClass()

	def tearDown(self):
		frappe.db.rollback()
		for key in ("127.0.0.1", DEALER, "nobody-h22@example.com"):
			frappe.cache.hdel("login_failed_count", key)
			frappe.cache.hdel("login_failed_time", key)

	def set_system_settings(self, **values):
		frappe.db.set_single_value("System Settings", values)
		frappe.db.commit()
		frappe.clear_cache()

	def assertNoTraceback(self, response):
		body = response.get_data(as_text=True)
		self.assertNotIn("Traceback", body)
		self.assertNotIn('File "', body)
		data = response.json or {}
		self.assertFalse(data.get("exc") or data.get("exception"), body[:300])

	# -- tracebacks and the lock-out -----------------------------------------------------------------

	def test_install_and_migrate_switch_tracebacks_off_and_a_failed_login_carries_none(self):
		self.set_system_settings(allow_error_traceback=1)
		install.after_migrate()
		frappe.db.commit()
		frappe.clear_cache()
		self.assertEqual(frappe.db.get_single_value("System Settings", "allow_error_traceback"), 0)
		guest = Browser()
		for path, data in (
			(LOGIN, {"usr": "nobody-h22@example.com", "pwd": "wrong"}),
			("/", {"cmd": "login", "usr": DEALER, "pwd": "wrong"}),  # as the login page sends it
		):
			response = guest.post(path, data, headers={"Accept": "application/json"})
			self.assertEqual(response.status_code, 401)
			self.assertNoTraceback(response)

	def test_a_locked_out_dealer_is_told_when_to_try_again_without_a_server_error(self):
		self.set_system_settings(
			allow_consecutive_login_attempts=2, allow_login_after_fail=120, allow_error_traceback=1
		)
		guest = Browser()
		for _attempt in range(3):
			guest.post(LOGIN, {"usr": DEALER, "pwd": "wrong"})
		# even the right password now, and in the dealer's language
		response = guest.post(LOGIN, {"usr": DEALER, "pwd": DEMO_PASSWORD}, headers={"Accept-Language": "fr"})
		self.assertEqual(response.status_code, 429, response.get_data(as_text=True)[:300])
		self.assertNoTraceback(response)
		self.assertTrue(int(response.headers["Retry-After"]) > 0)
		text = messages(response)
		self.assertRegex(text, r"\d{1,2}:\d{2}")  # the time to try again
		self.assertNotIn("Too many failed logins", text)  # translated
		# the login page's way (cmd=login at "/") gets the same answer
		response = guest.post("/", {"cmd": "login", "usr": DEALER, "pwd": DEMO_PASSWORD})
		self.assertEqual(response.status_code, 429)

	# -- names valid when filed ----------------------------------------------------------------------

	def newcomer(self) -> Browser:
		if not frappe.db.exists("User", NEWCOMER):
			frappe.get_doc(
				{
					"doctype": "User",
					"email": NEWCOMER,
					"first_name": "Names",
					"user_type": "Website User",
					"send_welcome_email": 0,
				}
			).insert(ignore_permissions=True)
		update_password(NEWCOMER, PASSWORD)
		# requests left by an earlier run would count against the limit of open requests
		for name in frappe.get_all("Company Authorisation", {"user": NEWCOMER}, pluck="name"):
			frappe.db.delete(
				"File", {"attached_to_doctype": "Company Authorisation", "attached_to_name": name}
			)
			frappe.db.delete("Company Authorisation", {"name": name})
		frappe.db.commit()
		return Browser(NEWCOMER, PASSWORD)

	def add_company(self, browser: Browser, name: str):
		return browser.post(
			"/api/method/rma_portal.api.company.add_company",
			{
				"company_name": name,
				"address_line1": "Str. Exemplu 1",
				"city": "Cluj",
				"country": "Romania",
				"files": (io.BytesIO(PDF), "registration.pdf"),
			},
			csrf=True,
		)

	def test_a_company_name_with_markup_is_cleaned_when_filed_and_its_acceptance_makes_the_customer(self):
		browser = self.newcomer()
		suffix = frappe.generate_hash(length=6)
		response = self.add_company(browser, f"ACME {suffix} \"><b>Tools</b> 'SRL' <GmbH>")
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:400])
		name = response.json["message"]["name"]
		company_name = frappe.db.get_value("Company Authorisation", name, "company_name")
		self.assertEqual(company_name, f"ACME {suffix} \"Tools 'SRL'")
		self.assertNotRegex(company_name, "[<>]")
		customer = None
		try:
			frappe.db.set_value("Company Authorisation", name, "status", "Submitted")
			authorisations.accept(name)
			customer = frappe.db.get_value("Company Authorisation", name, "customer")
			self.assertEqual(frappe.db.get_value("Customer", customer, "customer_name"), company_name)
		finally:
			frappe.db.rollback()
			frappe.db.delete(
				"File", {"attached_to_doctype": "Company Authorisation", "attached_to_name": name}
			)
			frappe.db.delete("Company Authorisation", {"name": name})
			frappe.db.commit()

	def test_a_name_the_desk_would_refuse_is_refused_when_typed_naming_the_field(self):
		browser = self.newcomer()
		for typed in ("x" * (NAME_MAX_LENGTH + 1), "<b></b><>"):
			response = self.add_company(browser, typed)
			self.assertEqual(response.status_code, 417, response.get_data(as_text=True)[:300])
			self.assertIn("Company Name", messages(response))
		# the same rule in the desk: a staff user saving the request
		doc = frappe.get_doc(
			{
				"doctype": "Company Authorisation",
				"status": "Open",
				"user": NEWCOMER,
				"company_name": "<i>Desk</i> <Typed> Co",
				"address_line1": "x",
				"city": "x",
				"country": "Romania",
			}
		).insert(ignore_permissions=True)
		self.assertEqual(doc.company_name, "Desk Co")

	# -- pages ---------------------------------------------------------------------------------------

	def test_another_customers_ticket_is_the_portals_not_found_page(self):
		other = frappe.db.get_value("Issue", {"customer": ["!=", "Demo Dealer"]}, "name") or "ISS-NONE"
		dealer = Browser(DEALER, DEMO_PASSWORD)
		for path, params in (
			("/portal/tickets/view", {"name": other}),
			("/no-such-page-h22", {}),
			("/quotation/SAL-QTN-NONE", {}),
		):
			response = dealer.get(path, **params)
			body = response.get_data(as_text=True)
			self.assertEqual(response.status_code, 404, path)
			self.assertNotIn("Uncaught Server Exception", body)
			self.assertNotIn("Error Code", body)
			self.assertIn('href="/portal"', body)  # the way back to the overview
			self.assertIn("rma-error-page", body)

	def test_erpnext_projects_page_leads_to_the_apps_projects_page(self):
		dealer = Browser(DEALER, DEMO_PASSWORD)
		response = dealer.get("/projects")
		self.assertEqual(response.status_code, 302)
		self.assertTrue(response.headers["Location"].endswith("/portal/projects"))
		project = frappe.db.get_value("Project", {"customer": "Demo Dealer"}, "name")
		response = dealer.get("/projects", project=project)
		self.assertEqual(response.status_code, 302)
		self.assertIn(f"/portal/projects/view?name={project}", response.headers["Location"])

	def test_the_footer_offers_no_newsletter_sign_up(self):
		body = Browser(DEALER, DEMO_PASSWORD).get("/portal").get_data(as_text=True)
		self.assertFalse(re.search(r"footer-subscribe|Get Updates", body))

	def test_the_demo_shared_price_list_is_a_real_pdf(self):
		name = frappe.db.get_value("File", {"file_name": "Dealer price list 2026.pdf"}, "name")
		content = frappe.get_doc("File", name).get_content()
		self.assertTrue(content.startswith(b"%PDF-"))
		self.assertGreater(len(content), 1000)
		self.assertIn(b"%%EOF", content[-64:])
