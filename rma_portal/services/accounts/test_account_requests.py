# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Dealer account requests: what each type's approval makes in ERPNext, nothing on rejection or after a
failure, duplicates refused naming the existing record, the service level on the Holiday List.

Each test works in one transaction rolled back at its end (approval itself never commits)."""

import random
from datetime import date, datetime
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal import access
from rma_portal.demo.data import CUSTOMERS, user_creation_unthrottled
from rma_portal.domain import account_requests as rules
from rma_portal.services.accounts import account_requests as service
from rma_portal.services.returns.test_documents import ensure_outgoing_email_account

DEALER = "Demo Dealer"
DEALER_USER = CUSTOMERS[DEALER][0]


def unused_nl_tax_id() -> str:
	"""A valid Dutch VAT number (without its "NL") that no customer has: the browser registration flow
	approves a company with the sample number NL004495445B01, so a site reused after the browser
	suite already holds that one."""
	while True:
		digits = [random.randint(0, 9) for _ in range(8)]
		check = sum(digit * weight for digit, weight in zip(digits, range(9, 1, -1), strict=True)) % 11
		number = "".join(map(str, digits)) + str(check) + "B01"
		if check < 10 and not frappe.db.exists("Customer", {"tax_id": "NL" + number}):
			return number


def counts() -> dict:
	return {d: frappe.db.count(d) for d in ("Customer", "Address", "Contact", "User", "Portal User")}


class TestAccountRequests(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.sfx = frappe.generate_hash(length=6)
		self.tax_id = unused_nl_tax_id()
		self.unthrottled = user_creation_unthrottled()
		self.unthrottled.__enter__()
		ensure_outgoing_email_account()

	def tearDown(self):
		self.unthrottled.__exit__(None, None, None)
		frappe.db.rollback()
		frappe.set_user("Administrator")
		access.clear_cache()

	def file(self, request_type, requester=DEALER_USER, customer=None, **values):
		return service.file_request({"request_type": request_type, **values}, requester, customer)

	def create_request(self, **extra):
		values = {
			"new_account_name": f"Garage Nord {self.sfx}",
			"account_language": "nl",
			"country": "Netherlands",
			"address_line1": "Kade 1",
			"city": "Utrecht",
			"pincode": "3511 AA",
			"vat_prefix": "NL",
			"tax_id": self.tax_id,
			"user_email": f"owner-{self.sfx}@garage.example",
			"first_name": "Anna",
			"last_name": "Nord",
			"job_role": "Workshop manager",
			"user_language": "nl",
			"time_zone": "Europe/Amsterdam",
		}
		values.update(extra)
		return self.file(rules.CREATE, **values)

	def test_create_account_makes_customer_address_contact_user_and_link(self):
		before = counts()
		name = self.create_request()
		result = service.approve(name)
		after = counts()
		self.assertEqual({d: after[d] - before[d] for d in after}, dict.fromkeys(after, 1))
		customer = frappe.get_doc("Customer", result["customer"])
		self.assertEqual(customer.customer_name, f"Garage Nord {self.sfx}")
		self.assertEqual(customer.tax_id, "NL" + self.tax_id)
		self.assertEqual(customer.language, "nl")
		self.assertEqual(customer.customer_group, service.settings().customer_group)
		email = f"owner-{self.sfx}@garage.example"
		self.assertEqual([row.user for row in customer.portal_users], [email])
		user = frappe.get_doc("User", email)
		self.assertEqual(
			(user.user_type, user.language, user.time_zone), ("Website User", "nl", "Europe/Amsterdam")
		)
		self.assertIn("Customer", [r.role for r in user.roles])
		contact = frappe.get_doc("Contact", {"user": email})
		self.assertEqual(contact.designation, "Workshop manager")
		self.assertEqual(
			[(link.link_doctype, link.link_name) for link in contact.links], [("Customer", customer.name)]
		)
		address = frappe.get_all(
			"Dynamic Link",
			filters={"parenttype": "Address", "link_doctype": "Customer", "link_name": customer.name},
			pluck="parent",
		)
		self.assertEqual(
			frappe.db.get_value("Address", address[0], ["city", "pincode"]), ("Utrecht", "3511 AA")
		)
		access.clear_cache()
		self.assertEqual(access.customers_of(email), [customer.name])
		request = frappe.get_doc(service.DOCTYPE, name)
		self.assertEqual(
			(request.status, request.result_customer, request.result_user), ("Approved", customer.name, email)
		)

	def test_add_user_to_existing_account(self):
		email = f"buyer-{self.sfx}@demo.example"
		before = counts()
		name = self.file(
			rules.ADD_USER,
			requester=None,  # staff's; the requester's relation is test_account_request_binding's
			customer=DEALER,
			user_email=email,
			first_name="Ben",
			last_name="Koop",
			job_role="Purchaser",
		)
		service.approve(name)
		after = counts()
		self.assertEqual(
			{d: after[d] - before[d] for d in after},
			{"Customer": 0, "Address": 0, "Contact": 1, "User": 1, "Portal User": 1},
		)
		access.clear_cache()
		self.assertEqual(access.customers_of(email), [DEALER])

	def test_edit_account_and_user(self):
		name = self.create_request()
		customer = service.approve(name)["customer"]
		old = f"owner-{self.sfx}@garage.example"
		new = f"chef-{self.sfx}@garage.example"
		before = counts()
		edit = self.file(
			rules.EDIT,
			requester=None,  # made by staff: the dealer has nothing to do with the new account
			customer=customer,
			new_account_name=f"Garage Zuid {self.sfx}",
			user_email=old,
			new_user_email=new,
			time_zone="Europe/Brussels",
		)
		service.approve(edit)
		self.assertEqual(counts(), before)
		self.assertEqual(
			frappe.db.get_value("Customer", customer, "customer_name"), f"Garage Zuid {self.sfx}"
		)
		self.assertFalse(frappe.db.exists("User", old))
		self.assertEqual(frappe.db.get_value("User", new, "time_zone"), "Europe/Brussels")
		self.assertEqual(frappe.db.get_value("Contact", {"user": new}, "email_id"), new)
		access.clear_cache()
		self.assertEqual(access.customers_of(new), [customer])

	def test_remove_access_keeps_user_and_contact(self):
		name = self.create_request()
		result = service.approve(name)
		before = counts()
		service.approve(
			self.file(rules.REMOVE, requester=None, customer=result["customer"], user_email=result["user"])
		)
		after = counts()
		self.assertEqual(
			{d: before[d] - after[d] for d in after}, {**dict.fromkeys(after, 0), "Portal User": 1}
		)
		access.clear_cache()
		self.assertEqual(access.customers_of(result["user"]), [])
		self.assertTrue(frappe.db.get_value("User", result["user"], "enabled"))

	def test_rejection_makes_nothing_and_mails_the_reason(self):
		before = counts()
		name = self.create_request()
		with self.assertRaises(frappe.ValidationError):
			service.reject(name, "  ")
		service.reject(name, "We could not verify the company.")
		self.assertEqual(counts(), before)
		self.assertEqual(frappe.db.get_value(service.DOCTYPE, name, "status"), "Rejected")
		mail = frappe.get_last_doc("Email Queue", filters={"reference_name": name})
		self.assertIn("We could not verify the company.", mail.message)
		with self.assertRaises(frappe.ValidationError):
			service.approve(name)

	def test_failure_mid_approval_leaves_nothing(self):
		before = counts()
		name = self.create_request()
		with patch.object(service, "link_user", side_effect=RuntimeError("injected")):
			with self.assertRaises(RuntimeError):
				service.approve(name)
		self.assertEqual(counts(), before)
		self.assertFalse(frappe.db.exists("Customer", {"customer_name": f"Garage Nord {self.sfx}"}))
		self.assertEqual(frappe.db.get_value(service.DOCTYPE, name, "status"), "Open")

	def test_duplicates_refused_naming_the_record(self):
		frappe.db.set_value("Customer", DEALER, "tax_id", "DE136695976")
		name = self.create_request(vat_prefix="DE", tax_id="136695976", user_email=DEALER_USER)
		before = counts()
		with self.assertRaises(frappe.DuplicateEntryError) as error:
			service.approve(name)
		message = str(error.exception)
		self.assertIn(f"Tax id DE136695976 is already used by customer {DEALER}", message)
		self.assertIn(f"{DEALER_USER} is already a portal user of customer {DEALER}", message)
		self.assertEqual(counts(), before)
		same_name = self.create_request(new_account_name=DEALER, tax_id="", vat_prefix="")
		with self.assertRaisesRegex(frappe.DuplicateEntryError, f"A customer named {DEALER} already exists"):
			service.approve(same_name)

	def test_time_zones_are_read_from_the_host_once(self):
		known = service.time_zones()
		self.assertIn("Europe/Amsterdam", known)
		self.assertEqual(list(known), sorted(known))
		# the zone files are not opened again: neither for the list (the page, the form options) nor a check
		with patch.object(service, "available_timezones", side_effect=AssertionError("read again")):
			self.assertIs(service.time_zones(), known)
			with self.assertRaisesRegex(frappe.ValidationError, "not a time zone"):
				self.file(rules.CREATE, time_zone="Mars/Base")

	def test_validation_names_every_field(self):
		with self.assertRaises(frappe.ValidationError) as error:
			self.file(
				rules.CREATE,
				vat_prefix="NL",
				tax_id="004495446B01",
				user_email="not-an-email",
				time_zone="Mars/Base",
			)
		message = str(error.exception)
		for text in (
			"New Account Name is required",
			"Last Name is required",
			"check digit",
			"not a valid e-mail",
			"not a time zone",
		):
			self.assertIn(text, message)
		with self.assertRaisesRegex(frappe.ValidationError, "changes nothing"):
			self.file(rules.EDIT, customer=DEALER, notes="hello")

	def test_unused_fields_are_cleared(self):
		name = self.file(
			rules.REMOVE, customer=DEALER, user_email=DEALER_USER, tax_id="123", new_account_name="X"
		)
		doc = frappe.get_doc(service.DOCTYPE, name)
		self.assertFalse(doc.tax_id or doc.new_account_name)

	def test_due_date_on_the_company_holiday_list(self):
		company = frappe.defaults.get_global_default("company")
		holiday_list = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": f"SLA {self.sfx}",
				"from_date": "2026-01-01",
				"to_date": "2027-12-31",
				"weekly_off": "Saturday",
			}
		)
		holiday_list.get_weekly_off_dates()
		holiday_list.weekly_off = "Sunday"
		holiday_list.get_weekly_off_dates()
		holiday_list.append("holidays", {"holiday_date": "2026-12-25", "description": "Christmas"})
		holiday_list.append("holidays", {"holiday_date": "2027-01-01", "description": "New Year"})
		holiday_list.insert()
		frappe.db.set_value("Company", company, "default_holiday_list", holiday_list.name)
		frappe.clear_cache(doctype="Company")
		self.assertEqual(service.due_date(datetime(2026, 3, 6, 21, 0), 2, company), date(2026, 3, 10))
		self.assertEqual(service.due_date(datetime(2026, 12, 24, 9, 0), 2, company), date(2026, 12, 29))
		self.assertEqual(service.due_date(datetime(2026, 12, 31, 9, 0), 2, company), date(2027, 1, 5))
		frappe.clear_cache(doctype="Company")
