"""A newcomer's company (issue 21): the registered address typed in the company authorisation becomes
the Customer's preferred billing Address when staff accept, and Final activation shows it rather
than a delivery address; the company form is filled from the registration; invited colleagues' and
administrators' Contacts are linked to the Customer; Frappe's hourly limit on new users is said
plainly where the app makes users; the landing page's steps and next step follow the account."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime

from rma_portal import access
from rma_portal.services.accounts import account_requests, onboarding, registration
from rma_portal.services.company import authorisations
from rma_portal.services.shared import new_users
from rma_portal.tests.test_company_members import (
	MadeUsersCase,
	add_member,
	make_company,
	make_user,
	submitted_authorisation,
	unique,
)


def address_rows(customer: str) -> list[dict]:
	return frappe.get_all(
		"Address",
		filters=[
			["Dynamic Link", "link_name", "=", customer],
			["Dynamic Link", "link_doctype", "=", "Customer"],
		],
		fields=["name", "address_line1", "address_type", "is_primary_address", "is_shipping_address"],
	)


class TestNewcomerCompany(MadeUsersCase):
	def test_registered_address_becomes_the_preferred_billing_address(self):
		customer = make_company(authorised=False)
		delivery = frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": unique("Warehouse"),
				"address_type": "Shipping",
				"address_line1": "Magazijnweg 4",
				"city": "Utrecht",
				"country": "Netherlands",
				"is_shipping_address": 1,
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert(ignore_permissions=True)
		self.assertIsNone(
			authorisations.registered_address(customer), "a delivery address is no registered one"
		)
		owner = make_user("registered")
		authorisations.accept(submitted_authorisation(owner, customer))
		billing = [row for row in address_rows(customer) if row.address_type == "Billing"]
		self.assertEqual(len(billing), 1)
		self.assertEqual((billing[0].address_line1, billing[0].is_primary_address), ("Main Street 1", 1))
		self.assertEqual(
			frappe.db.get_value("Customer", customer, "customer_primary_address"), billing[0].name
		)
		self.assertEqual(authorisations.registered_address(customer).name, billing[0].name)
		self.assertTrue(frappe.db.get_value("Address", delivery.name, "is_shipping_address"))
		frappe.set_user(owner)
		access.clear_cache()
		page = frappe.get_attr("rma_portal.www.company.index.get_context")(frappe._dict())
		self.assertEqual(page.activation_address.address_line1, "Main Street 1")
		frappe.set_user("Administrator")

	def test_the_same_address_in_the_book_is_marked_not_copied(self):
		customer = make_company(authorised=False)
		frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": unique("Office"),
				"address_type": "Office",
				"address_line1": "main street 1",
				"pincode": "3511 AA",
				"city": "Utrecht",
				"country": "Netherlands",
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert(ignore_permissions=True)
		authorisations.accept(submitted_authorisation(make_user("marked"), customer))
		rows = address_rows(customer)
		self.assertEqual(len(rows), 1)
		self.assertEqual((rows[0].address_type, rows[0].is_primary_address), ("Billing", 1))

	def test_members_contacts_are_the_customers_contacts(self):
		customer = make_company()
		owner = make_user("contactowner")
		authorisations.accept(submitted_authorisation(owner, customer))
		colleague, _member = add_member(customer, "colleague", flags=("RM",))
		linked = frappe.get_all(
			"Contact",
			filters=[
				["Dynamic Link", "link_doctype", "=", "Customer"],
				["Dynamic Link", "link_name", "=", customer],
			],
			pluck="user",
		)
		self.assertEqual(set(linked), {owner, colleague})

	def test_the_company_form_is_filled_from_the_registration(self):
		user = make_user("prefill")
		frappe.get_doc(
			{
				"doctype": registration.DOCTYPE,
				"email": user,
				"user": user,
				"client_type": "Partner",
				"first_name": "Petra",
				"last_name": "Prefill",
				"company_name": "Garage Prefill",
				"phone": "+31 30 123 4567",
				"vat_prefix": "NL",
				"tax_id": "NL004495445B01",
				"terms_accepted_on": now_datetime(),
				"activated_on": now_datetime(),
			}
		).insert(ignore_permissions=True)
		prefill = registration.company_typed_at_registration(user)
		self.assertEqual(
			(prefill["company_name"], prefill["vat_prefix"], prefill["country"]),
			("Garage Prefill", "NL", "Netherlands"),
		)
		frappe.set_user(user)
		page = frappe.get_attr("rma_portal.www.company.index.get_context")(frappe._dict())
		self.assertEqual(page.prefill["company_name"], "Garage Prefill")
		self.assertEqual(page.default_country, "Netherlands")
		frappe.set_user("Administrator")

	def test_steps_and_the_next_step(self):
		user = make_user("steps")
		request = account_requests.file_request(
			{
				"request_type": "Create business account and add user",
				"new_account_name": unique("Steps Co"),
				"user_email": user,
				"first_name": "Stella",
				"last_name": "Steps",
			},
			user,
		)
		start = onboarding.status(user)
		account = start["steps"][0]
		self.assertEqual((account["key"], account["state"]), ("account", onboarding.WAITING))
		self.assertIn(request, account["detail"])
		self.assertIn(
			frappe.utils.formatdate(frappe.db.get_value("Dealer Account Request", request, "due_date")),
			account["detail"],
		)
		self.assertEqual(start["next"]["key"], "authorisation")
		self.assertEqual(start["next"]["route"], "/company")

		customer = make_company(authorised=False)
		authorisations.accept(submitted_authorisation(user, customer))
		access.clear_cache()
		self.assertEqual(onboarding.status(user)["next"]["key"], "activation")
		frappe.db.set_value("Customer", customer, "rma_activated_on", now_datetime())
		self.assertEqual(onboarding.status(user)["next"]["route"], "/company/users")
		add_member(customer, "invited", flags=("RM",))
		access.clear_cache()
		self.assertEqual(onboarding.status(user), {"steps": [], "next": None, "waiting": False})

	def test_frappes_hourly_limit_is_said_when_staff_approve(self):
		email = f"limit-{frappe.generate_hash(length=8)}@members.example"
		request = account_requests.file_request(
			{
				"request_type": "Create business account and add user",
				"new_account_name": unique("Limit Co"),
				"user_email": email,
				"first_name": "Lars",
				"last_name": "Limit",
			},
			"Administrator",
		)
		frappe.local.conf.throttle_user_limit = frappe.db.get_creation_count("User", 60) - 1
		try:
			with self.assertRaises(new_users.TooManyNewUsers) as refused:
				account_requests.approve(request)
		finally:
			frappe.local.conf.pop("throttle_user_limit", None)
		self.assertRegex(str(refused.exception), r"try again in \d+ minutes")
		self.assertFalse(frappe.db.exists("User", email))
		self.assertEqual(frappe.db.get_value("Dealer Account Request", request, "status"), "Open")
