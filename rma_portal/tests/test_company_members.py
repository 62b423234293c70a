"""Company members and the company authorisation (SPEC §4), through the access point, the API and the
pages: each flag allowing and denying its actions, blocked before acceptance, one administrator (also
with two acceptances in concurrent transactions), supervisor cycles, the company boundary for members,
the switcher, and the migrate patch for existing portal users.

Records are made with names of their own per run and committed (the requests run in threads with
connections of their own, as web workers would)."""

import json
import uuid

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal import access
from rma_portal.demo.data import user_creation_unthrottled
from rma_portal.domain.members import FIELDS, FLAGS, LEGACY_FLAGS
from rma_portal.services.company import authorisations, invitations, members
from rma_portal.tests import records
from rma_portal.tests.cases import AsAdministrator
from rma_portal.tests.http import Browser, concurrently

PASSWORD = "Members#2026x"
API = "/api/method/rma_portal.api."
PDF = b"%PDF-1.4\n% test\n%%EOF\n"


def unique(prefix: str) -> str:
	return f"{prefix} {uuid.uuid4().hex[:8]}"


# Users made by these tests, deleted after each test: Frappe refuses new users once 60 were made in
# the last hour on the site (throttle_user_limit), which other suites' sign-ups would then hit.
MADE_USERS = []


def make_user(label: str, staff: bool = False) -> str:
	email = f"{label}-{uuid.uuid4().hex[:8]}@members.example"
	MADE_USERS.append(email)
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": label.title(),
			"user_type": "System User" if staff else "Website User",
			"send_welcome_email": 0,
			"new_password": PASSWORD,
		}
	)
	user.append("roles", {"role": "RMA Manager" if staff else "Customer"})
	user.flags.no_welcome_mail = True
	with user_creation_unthrottled():
		user.insert(ignore_permissions=True)
	return email


def make_company(authorised: bool = True) -> str:
	name = unique("Members Co")
	frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": name,
			"customer_type": "Company",
			"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
			"territory": frappe.db.get_value("Territory", {"is_group": 0}, "name"),
		}
	).insert(ignore_permissions=True)
	if authorised:
		members.authorise_customer(name)
	return name


def add_member(customer: str, label: str, flags=(), **values) -> tuple[str, str]:
	user = make_user(label)
	return user, members.ensure_member(customer, user, flags=tuple(flags), **values)


def submitted_authorisation(user: str, customer: str | None, company_name: str | None = None) -> str:
	name = authorisations.create(
		user,
		{
			"company_name": company_name or customer or unique("New Co"),
			"address_line1": "Main Street 1",
			"city": "Utrecht",
			"pincode": "3511 AA",
			"country": "Netherlands",
		},
		[{"filename": "registration.pdf", "content": PDF}],
	)
	if customer:
		frappe.db.set_value(authorisations.DOCTYPE, name, "customer", customer)
	authorisations.upload_signed(name, user, {"filename": "signed.pdf", "content": PDF})
	return name


def make_rma(customer: str, raised_by: str) -> str:
	"""A service RMA of `customer` raised by `raised_by`, written directly (who sees it is the point)."""
	from frappe.utils import today

	rma = records.new_service_rma("8{}/MEMBERS", customer, raised_by, frappe.db.get_value("Company", {}))
	rma.append(
		"items",
		{
			"item_code": frappe.db.get_value("Item", {"is_sales_item": 1, "disabled": 0}),
			"qty_requested": 1,
			"purchase_date": today(),
			"problem_description": "members test",
		},
	)
	rma.db_insert()
	for row in rma.get_all_children():
		row.db_insert()
	return rma.name


def admins(customer: str) -> list[str]:
	return frappe.get_all(members.MEMBER, filters={"customer": customer, "is_admin": 1}, pluck="user")


def remove_made_users():
	"""Delete the users these tests made (MADE_USERS) with their memberships, portal links,
	authorisations, invitations and member changes, and commit."""
	for user in MADE_USERS:
		if not frappe.db.exists("User", user):
			continue
		frappe.db.delete(members.MEMBER, {"user": user})
		frappe.db.delete("Portal User", {"user": user})
		frappe.db.delete(authorisations.DOCTYPE, {"user": user})
		frappe.db.delete(invitations.INVITATION, {"email": user})
		frappe.db.delete(members.AUDIT, {"member_user": user})
		frappe.delete_doc("User", user, force=True, ignore_permissions=True)
	MADE_USERS.clear()
	frappe.db.commit()
	access.clear_cache()


class MadeUsersCase(AsAdministrator):
	"""A test case as Administrator that removes the users it made (remove_made_users) after each test.
	It has no tests of its own: the company tests build on it."""

	def tearDown(self):
		super().tearDown()
		frappe.db.rollback()
		self.remove_made_records()
		remove_made_users()

	def remove_made_records(self):
		"""What a test case's tests made for the users beyond remove_made_users' list, removed first."""


class TestCompanyMembers(MadeUsersCase):
	# -- flags ----------------------------------------------------------------------------------------

	def test_each_flag_allows_and_denies_its_actions(self):
		customer = make_company()
		checks = {
			"RM": (
				"rma.read",
				"rma.create",
				"service.read",
				"warranty.create",
				"ticket.read",
				"ticket.create",
			),
			"FI": ("invoice.read", "payment.read"),
			"OR": ("order.read", "quotation.read", "quotation.accept", "quotation.reject"),
			"AD": ("address.write",),
			"PRO": ("project.write",),
			"US": ("member.read", "member.write"),
			"BR": ("branch.create",),
		}
		with_flag, with_member = add_member(customer, "withflag")
		without, without_member = add_member(customer, "withoutflag")
		for flag, actions in checks.items():
			frappe.db.set_value(members.MEMBER, with_member, {field: 0 for field in FIELDS.values()})
			frappe.db.set_value(members.MEMBER, with_member, FIELDS[flag], 1)
			frappe.db.set_value(members.MEMBER, without_member, {field: 1 for field in FIELDS.values()})
			frappe.db.set_value(members.MEMBER, without_member, FIELDS[flag], 0)
			access.clear_cache()
			for action in actions:
				self.assertTrue(access.can(action, customer, with_flag), (flag, action))
				self.assertFalse(access.can(action, customer, without), (flag, action))
				with self.assertRaises(frappe.PermissionError) as refused:
					access.check(action, customer, without)
				self.assertIn(flag, str(refused.exception))  # names the right that is missing
		# what every member of an authorised company may do
		nobody, _m = add_member(customer, "noflags", flags=())
		for action in (
			"dashboard.read",
			"shipment.read",
			"file.read",
			"contract.read",
			"project.read",
			"address.read",
			"quote_request.create",
		):
			self.assertTrue(access.can(action, customer, nobody), action)
		self.assertFalse(access.can("unknown.read", customer, nobody))
		frappe.db.rollback()

	def test_flags_on_pages_and_api(self):
		customer = make_company()
		clerk, _m = add_member(customer, "clerk", flags=("RM",))
		accountant, _m = add_member(customer, "accountant", flags=("FI",))
		manager, _m = add_member(customer, "manager", flags=("US", "RM"))  # gives only what they hold
		frappe.db.commit()
		clerk_b, accountant_b, manager_b = (Browser(u, PASSWORD) for u in (clerk, accountant, manager))

		for path in ("/rma", "/service", "/warranty"):
			self.assertEqual(clerk_b.get(path).status_code, 200, path)
			refused = accountant_b.get(path)
			self.assertEqual(refused.status_code, 403, path)
			self.assertIn("RM", refused.get_data(as_text=True))
		self.assertEqual(clerk_b.get(API + "warranty.list_claims").status_code, 200)
		self.assertEqual(accountant_b.get(API + "warranty.list_claims").status_code, 403)
		self.assertEqual(accountant_b.get(API + "returns.list_rmas").status_code, 403)

		# the menu lists only what each may open
		clerk_menu = clerk_b.get("/company").get_data(as_text=True)
		accountant_menu = accountant_b.get("/company").get_data(as_text=True)
		self.assertIn('href="/rma"', clerk_menu)
		self.assertNotIn('href="/portal/invoices"', clerk_menu)
		self.assertIn('href="/portal/invoices"', accountant_menu)
		self.assertNotIn('href="/rma"', accountant_menu)
		self.assertIn('href="/company"', accountant_menu)

		# ERPNext's own pages and print views of invoices need FI too
		refused = clerk_b.get("/invoices")
		self.assertEqual(refused.status_code, 403)
		self.assertIn("FI", refused.get_data(as_text=True))
		self.assertEqual(clerk_b.get("/printview", doctype="Sales Invoice", name="x").status_code, 403)
		self.assertLess(accountant_b.get("/invoices").status_code, 400)
		self.assertEqual(accountant_b.get("/orders").status_code, 403)  # OR

		self.assertEqual(manager_b.get("/company/users").status_code, 200)
		self.assertEqual(clerk_b.get("/company/users").status_code, 403)
		self.assertEqual(manager_b.get(API + "company.list_members").status_code, 200)
		self.assertEqual(clerk_b.get(API + "company.list_members").status_code, 403)
		# a person with a portal login already (a new address is invited in test_invite_a_new_person)
		invite = {"email": make_user("invited"), "first_name": "Invited", "rights": json.dumps(["RM"])}
		frappe.db.commit()
		self.assertEqual(clerk_b.post(API + "company.invite_member", invite, csrf=True).status_code, 403)
		made = manager_b.post(API + "company.invite_member", invite, csrf=True)
		self.assertEqual(made.status_code, 200, made.get_data(as_text=True)[:300])
		frappe.db.rollback()
		# a member only once they accept (test_member_invitations)
		self.assertIsNone(members.load(customer, invite["email"]))
		invitations.accept(made.json["message"]["invitation"], invite["email"])
		row = members.load(customer, invite["email"])
		self.assertEqual(members.flags_of(row), ("RM",))
		self.assertEqual(frappe.db.get_value("User", invite["email"], "user_type"), "Website User")
		self.assertIn(customer, access.customers_of(invite["email"]))

	# -- blocked until an administrator is accepted -----------------------------------------------------

	def test_members_are_blocked_until_the_authorisation_is_accepted(self):
		customer = make_company(authorised=False)
		clerk, _m = add_member(customer, "blocked", flags=("RM",))
		owner = make_user("owner")
		name = submitted_authorisation(owner, customer)
		self.assertFalse(access.can("rma.read", customer, clerk))
		with self.assertRaises(frappe.PermissionError) as refused:
			access.check("rma.read", customer, clerk)
		message = str(refused.exception)
		self.assertIn("no accepted company administrator", message)
		self.assertIn("Owner", message)  # who has sent it: the person to ask
		frappe.db.commit()
		page = Browser(clerk, PASSWORD).get("/rma")
		self.assertEqual(page.status_code, 403)
		self.assertIn("no accepted company administrator", page.get_data(as_text=True))

		authorisations.accept(name)
		access.clear_cache()
		self.assertTrue(access.can("rma.read", customer, clerk))
		self.assertEqual(admins(customer), [owner])
		self.assertTrue(access.can("member.write", customer, owner))  # the administrator may do all
		frappe.db.commit()

	# -- one administrator ----------------------------------------------------------------------------

	def test_one_administrator_and_explicit_replacement(self):
		customer = make_company(authorised=False)
		first, second = make_user("first"), make_user("second")
		a = submitted_authorisation(first, customer)
		b = submitted_authorisation(second, customer)
		authorisations.accept(a)
		with self.assertRaises(authorisations.AdministratorExists):
			authorisations.accept(b)
		self.assertEqual(admins(customer), [first])
		authorisations.accept(b, replace=True)
		self.assertEqual(admins(customer), [second])
		self.assertEqual(frappe.db.get_value(authorisations.DOCTYPE, a, "status"), "Replaced")
		self.assertTrue(members.load(customer, first).enabled)  # still a member, no longer administrator
		# the administrator is only ever set by an acceptance
		_other, name = add_member(customer, "sneaky", flags=FLAGS)
		doc = frappe.get_doc(members.MEMBER, name)
		doc.is_admin = 1
		with self.assertRaises(frappe.PermissionError):
			doc.save(ignore_permissions=True)
		# and the database refuses a second one even when the controller is bypassed
		with self.assertRaises(Exception) as duplicate:
			frappe.db.set_value(members.MEMBER, name, {"is_admin": 1, "admin_key": customer})
		self.assertTrue(frappe.db.is_unique_key_violation(duplicate.exception), duplicate.exception)
		frappe.db.rollback()

	def test_two_acceptances_in_concurrent_transactions(self):
		customer = make_company(authorised=False)
		users = [make_user(f"racer{i}") for i in range(2)]
		names = [submitted_authorisation(user, customer) for user in users]
		staff = make_user("staff", staff=True)
		frappe.db.commit()
		desk = Browser(staff, PASSWORD)
		calls = [
			desk.post_call(API + "company.accept_authorisation", {"name": n, "replace": "0"}) for n in names
		]
		responses = concurrently(calls)
		statuses = sorted(r.status_code for r in responses)
		print(f"\nauthorisations: two concurrent acceptances for one company -> statuses {statuses}")
		self.assertEqual(statuses, [200, 417], [r.get_data(as_text=True)[:300] for r in responses])
		loser = next(r for r in responses if r.status_code == 417).get_data(as_text=True)
		self.assertIn("already the administrator", loser)
		frappe.db.rollback()
		winner = admins(customer)
		self.assertEqual(len(winner), 1)
		statuses = {n: frappe.db.get_value(authorisations.DOCTYPE, n, "status") for n in names}
		self.assertEqual(sorted(statuses.values()), ["Accepted", "Submitted"])

	# -- supervisors ----------------------------------------------------------------------------------

	def test_supervisor_cycles_and_other_companies_are_refused(self):
		customer = make_company()
		_a, a = add_member(customer, "boss", flags=("RM",))
		_b, b = add_member(customer, "lead", flags=("RM",), supervisor=a)
		_c, c = add_member(customer, "clerk", flags=("RM",), supervisor=b)
		doc = frappe.get_doc(members.MEMBER, a)
		doc.supervisor = c
		with self.assertRaises(frappe.ValidationError) as refused:
			doc.save(ignore_permissions=True)
		self.assertIn("circle", str(refused.exception))
		doc.reload()
		doc.supervisor = a
		with self.assertRaises(frappe.ValidationError):
			doc.save(ignore_permissions=True)
		_x, elsewhere = add_member(make_company(), "elsewhere", flags=("RM",))
		doc.reload()
		doc.supervisor = elsewhere
		with self.assertRaises(frappe.ValidationError):
			doc.save(ignore_permissions=True)
		frappe.db.rollback()

	def test_a_supervisor_sees_their_reports_documents(self):
		customer = make_company()
		boss, a = add_member(customer, "sboss", flags=("RM",))
		lead, b = add_member(customer, "slead", flags=("RM",), supervisor=a)
		clerk, _c = add_member(customer, "sclerk", flags=("RM",), supervisor=b)
		peer, _d = add_member(customer, "speer", flags=("RM",))
		seer, _e = add_member(customer, "sseer", flags=("RM",), all_documents=True)
		self.assertEqual(access.raised_by_filter("rma.read", customer, boss), sorted({boss, lead, clerk}))
		self.assertEqual(access.raised_by_filter("rma.read", customer, lead), sorted({lead, clerk}))
		self.assertEqual(access.raised_by_filter("rma.read", customer, clerk), [clerk])
		self.assertIsNone(access.raised_by_filter("rma.read", customer, seer))
		rma = frappe._dict(customer=customer, portal_user=clerk)
		self.assertTrue(access.has_rma_permission(rma, user=boss))
		self.assertTrue(access.has_rma_permission(rma, user=clerk))
		self.assertFalse(access.has_rma_permission(rma, user=peer))

		# the same rule on the RMA list, the RMA page and the service search
		from rma_portal.api import returns as returns_api
		from rma_portal.api import service as service_api

		name = make_rma(customer, clerk)
		for user, sees in ((boss, True), (lead, True), (clerk, True), (seer, True), (peer, False)):
			frappe.set_user(user)
			access.clear_cache()
			listed = [row["name"] for row in returns_api.list_rmas()["rows"]]
			self.assertEqual(name in listed, sees, user)
			self.assertEqual(name in [r["name"] for r in service_api.search(name)], sees, user)
			if sees:
				self.assertEqual(returns_api.customer_of_rma(name), customer)
			else:
				with self.assertRaises(frappe.PermissionError):
					returns_api.customer_of_rma(name)
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# -- the company boundary for members ---------------------------------------------------------------

	def test_a_member_of_a_never_reaches_b(self):
		a, b = make_company(), make_company()
		manager_a, _ma = add_member(a, "managera", flags=("US", "RM", "AD"))
		user_b, member_b = add_member(b, "userb", flags=("RM",))
		frappe.db.commit()
		browser = Browser(manager_a, PASSWORD)
		listed = browser.get(API + "company.list_members").get_data(as_text=True)
		self.assertIn(manager_a, listed)
		self.assertNotIn(user_b, listed)
		self.assertNotIn(user_b, browser.get("/company/users").get_data(as_text=True))
		changed = browser.post(
			API + "company.update_member", {"name": member_b, "rights": json.dumps(list(FLAGS))}, csrf=True
		)
		self.assertEqual(changed.status_code, 404, changed.get_data(as_text=True)[:300])
		disabled = browser.post(API + "company.update_member", {"name": member_b, "enabled": "0"}, csrf=True)
		self.assertEqual(disabled.status_code, 404)
		linked = browser.post(API + "company.add_linked_member", {"user": user_b}, csrf=True)
		self.assertEqual(linked.status_code, 404)
		switched = browser.post(API + "company.switch_customer", {"customer": b}, csrf=True)
		self.assertEqual(switched.status_code, 403)
		frappe.db.rollback()
		self.assertEqual(members.flags_of(members.load(b, user_b)), ("RM",))
		self.assertTrue(members.load(b, user_b).enabled)
		self.assertFalse(access.can("member.read", b, manager_a))
		self.assertFalse(access.can("rma.read", b, manager_a))

	def test_switcher_acts_only_for_a_company_of_the_user(self):
		a, b, c = make_company(), make_company(), make_company()
		user, _ma = add_member(a, "twohats", flags=("RM",))
		members.ensure_member(b, user, flags=())
		frappe.db.commit()
		browser = Browser(user, PASSWORD)
		first = browser.get("/rma")
		self.assertEqual(first.status_code, 302)  # never "the first": to the switcher
		self.assertTrue(first.headers["Location"].endswith("/company"), first.headers)
		api = browser.get(API + "returns.list_rmas")
		self.assertEqual(api.status_code, 403)
		self.assertIn("several companies", api.get_data(as_text=True))
		company_page = browser.get("/company")
		self.assertEqual(company_page.status_code, 200)
		# the scripts' CSRF token from the page they run on (the helper reads /rma, which redirects now)
		body = company_page.get_data(as_text=True)
		browser.csrf_token = body.split('frappe.csrf_token = "', 1)[1].split('"', 1)[0]
		self.assertEqual(
			browser.post(API + "company.switch_customer", {"customer": c}, csrf=True).status_code, 403
		)
		self.assertEqual(browser.get("/rma").status_code, 302)
		self.assertEqual(
			browser.post(API + "company.switch_customer", {"customer": a}, csrf=True).status_code, 200
		)
		page = browser.get("/rma")
		self.assertEqual(page.status_code, 200)
		self.assertEqual(
			browser.post(API + "company.switch_customer", {"customer": b}, csrf=True).status_code, 200
		)
		refused = browser.get("/rma")  # acts for B now, where they have no RM
		self.assertEqual(refused.status_code, 403)
		self.assertIn("RM", refused.get_data(as_text=True))
		# a membership disabled after the choice: the session's choice no longer counts
		frappe.db.set_value(members.MEMBER, members.load(b, user).name, "enabled", 0)
		frappe.db.commit()
		self.assertEqual(browser.get("/rma").status_code, 200)  # only A is left: it acts for A
		self.assertFalse(access.can("rma.read", b, user))
		self.assertEqual(
			browser.post(API + "company.switch_customer", {"customer": b}, csrf=True).status_code, 403
		)

	# -- invitations and the administrator's own rights -------------------------------------------------

	def test_the_administrator_keeps_their_rights(self):
		customer = make_company(authorised=False)
		owner = make_user("adminkeep")
		authorisations.accept(submitted_authorisation(owner, customer))
		member = members.load(customer, owner)
		with self.assertRaises(frappe.ValidationError):
			members.update_member(customer, member.name, owner, enabled=False)
		doc = frappe.get_doc(members.MEMBER, member.name)
		doc.enabled = 0
		with self.assertRaises(frappe.ValidationError):
			doc.save(ignore_permissions=True)
		members.update_member(customer, member.name, owner, flags=[])  # rights of an admin: all anyway
		access.clear_cache()
		self.assertTrue(access.can("member.write", customer, owner))
		manager, managed = add_member(customer, "selfus", flags=("US",))
		with self.assertRaises(frappe.ValidationError):
			members.update_member(customer, managed, manager, flags=["RM"])
		with self.assertRaises(frappe.DuplicateEntryError):
			invitations.invite(customer, manager, "Again", None, ["RM"], None, owner)
		frappe.db.rollback()

	def test_invite_a_new_person(self):
		customer = make_company()
		admin, _m = add_member(customer, "inviter", flags=("US", "RM", "AD"))
		_b, boss = add_member(customer, "inviteboss", flags=("RM",))
		email = f"new-{uuid.uuid4().hex[:8]}@members.example"
		MADE_USERS.append(email)
		with user_creation_unthrottled():
			result = invitations.invite(customer, email, "New", "Person", ["RM", "AD"], boss, admin)
		self.assertEqual(set(result), {"invitation", "user"})  # nothing says the address was new
		self.assertIsNone(members.load(customer, email))
		invitations.accept(result["invitation"], email)
		row = members.load(customer, email)
		self.assertEqual(set(members.flags_of(row)), {"RM", "AD"})
		self.assertEqual(row.supervisor, boss)
		self.assertEqual(frappe.db.get_value("User", email, "user_type"), "Website User")
		self.assertEqual(access.customers_of(email), [customer])
		self.assertTrue(access.can("rma.create", customer, email))
		self.assertFalse(access.can("invoice.read", customer, email))
		for address, first_name, rights in (
			("not-an-address", "X", ["RM"]),
			(f"x{email}", "", ["RM"]),
			(f"y{email}", "Y", ["XX"]),
		):
			with self.assertRaises(frappe.ValidationError):
				invitations.invite(customer, address, first_name, None, rights, None, admin)
		frappe.db.rollback()

	# -- address book and final activation ------------------------------------------------------------

	def test_address_book_needs_ad_and_stays_in_the_company(self):
		a, b = make_company(), make_company()
		writer, _w = add_member(a, "addrwriter", flags=("AD",))
		reader, _r = add_member(a, "addrreader", flags=("RM",))
		other, _o = add_member(b, "addrother", flags=("AD",))
		frappe.db.commit()
		writer_b, reader_b, other_b = (Browser(u, PASSWORD) for u in (writer, reader, other))
		line = f"Workshop Road {uuid.uuid4().hex[:6]}"
		address = {"address_line1": line, "city": "Gent", "country": "Belgium", "is_shipping_address": "1"}
		# ERPNext's own address web form asks the same right
		self.assertEqual(reader_b.get("/addresses/new").status_code, 403)
		self.assertNotEqual(writer_b.get("/addresses/new").status_code, 403)  # not refused by rights
		saved_by_web_form = reader_b.post(
			"/api/method/frappe.website.doctype.web_form.web_form.accept",
			{"web_form": "addresses", "data": json.dumps({"address_line1": "x"})},
			csrf=True,
		)
		self.assertEqual(saved_by_web_form.status_code, 403, saved_by_web_form.get_data(as_text=True)[:500])
		refused = reader_b.post(API + "company.save_address", address, csrf=True)
		self.assertEqual(refused.status_code, 403)
		self.assertIn("AD", refused.get_data(as_text=True))
		made = writer_b.post(API + "company.save_address", address, csrf=True)
		self.assertEqual(made.status_code, 200, made.get_data(as_text=True)[:300])
		name = made.json["message"]["name"]
		self.assertIn(line, reader_b.get("/company/addresses").get_data(as_text=True))
		self.assertIn(line, reader_b.get(API + "company.list_addresses").get_data(as_text=True))
		self.assertNotIn("rma-add-address", reader_b.get("/company/addresses").get_data(as_text=True))
		# another company's member: not in their book, not editable, not removable
		self.assertNotIn(line, other_b.get("/company/addresses").get_data(as_text=True))
		changed = other_b.post(
			API + "company.save_address", {**address, "name": name, "city": "X"}, csrf=True
		)
		self.assertEqual(changed.status_code, 404)
		self.assertEqual(
			other_b.post(API + "company.remove_address", {"name": name}, csrf=True).status_code, 404
		)
		bad = writer_b.post(API + "company.save_address", {**address, "country": "Atlantis"}, csrf=True)
		self.assertEqual(bad.status_code, 417)
		self.assertEqual(
			writer_b.post(API + "company.remove_address", {"name": name}, csrf=True).status_code, 200
		)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Address", name, ["city", "disabled"]), ("Gent", 1))

	def test_final_activation_by_the_administrator(self):
		from rma_portal.api import company as company_api

		customer = make_company(authorised=False)
		owner = make_user("activator")
		authorisations.accept(submitted_authorisation(owner, customer))
		clerk, _c = add_member(customer, "notadmin", flags=FLAGS)
		frappe.set_user(clerk)
		access.clear_cache()
		with self.assertRaises(frappe.PermissionError):
			company_api.activate_company(data_confirmed=1, terms_accepted=1)
		frappe.set_user(owner)
		access.clear_cache()
		with self.assertRaises(frappe.ValidationError):
			company_api.activate_company(data_confirmed=1, terms_accepted=0)
		company_api.activate_company(data_confirmed=1, terms_accepted=1, e_invoices=1)
		row = frappe.db.get_value(
			"Customer", customer, ["rma_activated_by", "rma_e_invoices", "rma_e_invoices_since"], as_dict=True
		)
		self.assertEqual((row.rma_activated_by, row.rma_e_invoices), (owner, 1))
		self.assertEqual(str(row.rma_e_invoices_since), frappe.utils.today())
		company_api.activate_company(data_confirmed=1, terms_accepted=1, e_invoices=0)
		self.assertEqual(frappe.db.get_value("Customer", customer, "rma_e_invoices_since"), None)
		frappe.set_user("Administrator")
		frappe.db.rollback()

	# -- the authorisation document ---------------------------------------------------------------------

	def test_authorisation_pdf_upload_and_rejection(self):
		from rma_portal.services.returns.test_documents import ensure_outgoing_email_account

		ensure_outgoing_email_account()  # rolled back with the test
		user = make_user("requester")
		name = authorisations.create(
			user,
			{
				"company_name": unique("Pdf Co"),
				"address_line1": "Road 2",
				"city": "Lyon",
				"country": "France",
				"vat_prefix": "FR",
				"tax_id": "40303265045",
			},
			[{"filename": "kbis.pdf", "content": PDF}],
		)
		self.assertEqual(frappe.db.get_value(authorisations.DOCTYPE, name, "tax_id"), "FR40303265045")
		file_name, content = authorisations.authorisation_pdf(name, user)
		self.assertTrue(content.startswith(b"%PDF"))
		self.assertIn(name, file_name)
		with self.assertRaises(frappe.DoesNotExistError):
			authorisations.authorisation_pdf(name, make_user("stranger"))
		with self.assertRaises(frappe.ValidationError):
			authorisations.upload_signed(name, user, {"filename": "signed.pdf", "content": b"<html>"})
		with self.assertRaises(frappe.ValidationError):
			authorisations.create(
				user,
				{
					"company_name": "X",
					"address_line1": "Y",
					"city": "Z",
					"country": "France",
					"vat_prefix": "FR",
					"tax_id": "123",
				},
				[{"filename": "a.pdf", "content": PDF}],
			)
		staff = make_user("deciding", staff=True)
		authorisations.upload_signed(name, user, {"filename": "signed.pdf", "content": PDF})
		self.assertEqual(frappe.db.get_value(authorisations.DOCTYPE, name, "status"), "Submitted")
		# staff see it waiting in the desk's notifications
		self.assertTrue(frappe.db.exists("Notification Log", {"document_name": name, "for_user": staff}))
		with self.assertRaises(frappe.ValidationError):
			authorisations.reject(name, " ")
		authorisations.reject(name, "The stamp is missing.")
		self.assertEqual(frappe.db.get_value(authorisations.DOCTYPE, name, "status"), "Rejected")
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": authorisations.DOCTYPE, "reference_name": name},
			fields=["message"],
		)
		self.assertTrue(queued and "The stamp is missing." in queued[0].message)
		frappe.db.rollback()

	def test_waiting_requests_per_user_are_limited(self):
		user = make_user("eager")
		values = {"company_name": "Eager Co", "address_line1": "A 1", "city": "Oslo", "country": "Norway"}
		for _i in range(authorisations.MAX_OPEN_REQUESTS):
			authorisations.create(user, values, [{"filename": "r.pdf", "content": PDF}])
		with self.assertRaises(frappe.ValidationError):
			authorisations.create(user, values, [{"filename": "r.pdf", "content": PDF}])
		frappe.db.rollback()

	def test_accepting_a_new_company_makes_the_customer(self):
		user = make_user("newco")
		company = unique("Brand New Co")
		name = submitted_authorisation(user, None, company_name=company)
		result = authorisations.accept(name)
		self.assertEqual(frappe.db.get_value("Customer", result["customer"], "customer_name"), company)
		self.assertEqual(access.customers_of(user), [result["customer"]])
		self.assertTrue(access.can("rma.create", result["customer"], user))
		frappe.db.rollback()

	# -- upgrade ----------------------------------------------------------------------------------------

	def test_migrate_patch_gives_existing_portal_users_working_access(self):
		from rma_portal.patches import company_members_for_portal_users

		customer = make_company(authorised=False)
		user = make_user("legacy")
		record = frappe.get_doc("Customer", customer)
		record.append("portal_users", {"user": user})
		record.save(ignore_permissions=True)
		access.clear_cache()
		self.assertFalse(access.can("rma.read", customer, user))  # not authorised: blocked
		company_members_for_portal_users.execute()
		access.clear_cache()
		row = members.load(customer, user)
		self.assertEqual(set(members.flags_of(row)), set(LEGACY_FLAGS))
		self.assertTrue(row.all_documents)
		for action in ("rma.create", "warranty.create", "invoice.read", "order.read", "address.write"):
			self.assertTrue(access.can(action, customer, user), action)
		self.assertFalse(access.can("member.write", customer, user))
		company_members_for_portal_users.execute()  # a second run changes nothing
		self.assertEqual(frappe.db.count(members.MEMBER, {"customer": customer}), 1)
		frappe.db.rollback()
