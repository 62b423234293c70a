"""A user of two companies switches back and forth on /company and sees, on the app's own pages and on
ERPNext's (/invoices, /orders and their pages of one document), only the chosen company's documents
(SPEC §6: one read boundary; overrides/portal_reads.py).

Staff make the user through Frappe's REST API: a member of the demo's Demo Dealer and Second Dealer
with every right in both; the test removes the memberships again and disables the user. Screenshots of every page under RMA_SCREENSHOTS.

Environment: RMA_BASE_URL, RMA_SCREENSHOTS (see conftest.py); RMA_ADMIN_PASSWORD (default "admin").
"""

import json
import uuid
from urllib.parse import quote

import pytest
from portal import ADMIN, BASE_URL, logged_in_page, login_context, rest_call, screenshot

PASSWORD = "Switch#2026x"
COMPANIES = ("Demo Dealer", "Second Dealer")
FLAGS = ("flag_br", "flag_us", "flag_or", "flag_rm", "flag_fi", "flag_ad", "flag_pro")


class Staff:
	"""Administrator's REST calls (the request context of a browser context logged in as ADMIN)."""

	def __init__(self, context):
		self.context = context

	def call(self, method, path, data=None):
		return rest_call(self.context, method, path, data)

	def names(self, doctype, customer):
		filters = json.dumps([["customer", "=", customer], ["docstatus", "=", 1]])
		path = f"/api/resource/{quote(doctype)}?filters={quote(filters)}&limit_page_length=0"
		return [row["name"] for row in self.call("GET", path)["data"]]


@pytest.fixture
def two_company_user(browser):
	"""(email, {company: {"Sales Invoice": [...], "Sales Order": [...]}}) of a fresh user of both."""
	api = login_context(browser, ADMIN)
	staff = Staff(api.request)
	email = f"switch-{uuid.uuid4().hex[:8]}@boundary.example"
	user = {"doctype": "User", "email": email, "first_name": "Switching", "last_name": "Partner"}
	user.update(user_type="Website User", send_welcome_email=0, new_password=PASSWORD)
	user["roles"] = [{"role": "Customer"}]
	staff.call("POST", "/api/resource/User", user)
	made = []
	for company in COMPANIES:
		member = {"doctype": "Company Member", "user": email, "customer": company, "enabled": 1}
		member.update({flag: 1 for flag in FLAGS})
		made.append(staff.call("POST", "/api/resource/Company Member", member)["data"]["name"])
		row = {"doctype": "Portal User", "parenttype": "Customer", "parentfield": "portal_users"}
		row.update(parent=company, user=email)
		staff.call("POST", "/api/method/frappe.client.insert", {"doc": row})
	documents = {c: {d: staff.names(d, c) for d in ("Sales Invoice", "Sales Order")} for c in COMPANIES}
	yield email, documents
	for company, member in zip(COMPANIES, made, strict=True):
		staff.call("DELETE", f"/api/resource/Company Member/{member}")
		customer = staff.call("GET", f"/api/resource/Customer/{quote(company)}")["data"]
		kept = [{"user": r["user"]} for r in customer.get("portal_users", []) if r["user"] != email]
		staff.call("PUT", f"/api/resource/Customer/{quote(company)}", {"portal_users": kept})
	# disabled, not deleted: the company's projects may list it as a Project User
	staff.call("PUT", f"/api/resource/User/{quote(email)}", {"enabled": 0})
	api.close()


def choose(page, company: str):
	page.goto(f"{BASE_URL}/company")
	page.select_option("#rma-switch-customer", company)
	with page.expect_navigation():
		page.click(".rma-switch button[type=submit]")
	assert page.locator("#rma-switch-customer").input_value() == company


def shown(page, names) -> list[str]:
	text = page.content()
	return [name for name in names if name in text]


def test_switching_companies_switches_every_page(browser, two_company_user):
	email, documents = two_company_user
	context, page = logged_in_page(browser, {"email": email, "password": PASSWORD}, timeout_ms=30_000)
	page.goto(f"{BASE_URL}/invoices")
	assert page.url.endswith("/company"), page.url  # several companies: the switcher first
	screenshot(page, "switch-00-choose-first")
	for step, company in enumerate(COMPANIES + COMPANIES[:1], start=1):
		other = next(c for c in COMPANIES if c != company)
		choose(page, company)
		screenshot(page, f"switch-{step}0-company-{company.replace(' ', '-')}")
		for route, doctype in (("/invoices", "Sales Invoice"), ("/orders", "Sales Order")):
			page.goto(f"{BASE_URL}{route}")
			where = f"{route} acting for {company}"
			assert shown(page, documents[company][doctype]), f"{where}: none of its documents"
			assert not shown(page, documents[other][doctype]), f"{where}: {other}'s documents"
			screenshot(page, f"switch-{step}1-{route.strip('/')}-{company.replace(' ', '-')}")
		theirs = documents[other]["Sales Invoice"][0]
		refused = page.goto(f"{BASE_URL}/invoices/{quote(theirs)}")
		assert refused.status == 403, f"{other}'s invoice acting for {company}: {refused.status}"
		assert "You are not allowed to do this for this customer." in page.content()  # the app's words
		if step == 1:
			screenshot(page, "switch-13-other-companys-invoice-refused")
		own = documents[company]["Sales Invoice"][0]
		assert page.goto(f"{BASE_URL}/invoices/{quote(own)}").status == 200
		page.goto(f"{BASE_URL}/portal/invoices")  # the app's own page
		assert shown(page, documents[company]["Sales Invoice"]), f"/portal/invoices acting for {company}"
		assert not shown(page, documents[other]["Sales Invoice"]), f"/portal/invoices acting for {company}"
		screenshot(page, f"switch-{step}2-portal-invoices-{company.replace(' ', '-')}")
	context.close()
