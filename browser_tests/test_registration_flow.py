"""A dealer gets into the portal on their own: registers as a partner on /register (reached from the
login page's "Sign up"), reads the activation link from the e-mail queue and follows it, is refused at
login before that, logs in after, is refused when asking on /account-requests to be added to the
existing account "Demo Dealer" (only its administrator or user manager may ask that); staff approve the
partner's own request for a business account in the desk, and the partner sees it approved.

Needs the demo data, whose "Demo mailbox" Email Account (bench rma-demo) lets the registration send;
the activation link is read from Frappe's e-mail queue through the REST API as the desk user
(test_newcomer_flow.py reads the mails as delivered, from the demo mailbox).

Environment (besides those of portal.py): RMA_ADMIN_USER / RMA_ADMIN_PASSWORD (portal.ADMIN).
"""

import email
import json
import re
import uuid

import pytest
from playwright.sync_api import expect
from portal import ADMIN, BASE_URL, DESK_TIMEOUT_MS, DESKTOP, form_login, login_context, screenshot

PASSWORD = "Gearbox-Harbour-41"
KEY = re.compile(r"/register/activate\?key=([A-Za-z0-9_\-]+)")


@pytest.fixture
def admin(browser):
	context = login_context(browser, ADMIN)
	yield context
	context.close()


def activation_link(admin, address: str) -> str:
	"""The link of the newest queued mail to `address`, decoded from its MIME message."""
	response = admin.request.get(
		f"{BASE_URL}/api/resource/Email Queue",
		params={
			"filters": json.dumps([["Email Queue Recipient", "recipient", "=", address]]),
			"fields": json.dumps(["name", "message"]),
			"order_by": "`tabEmail Queue`.creation desc",
			"limit_page_length": 5,
		},
	)
	assert response.ok, response.text()[:300]
	for row in response.json()["data"]:
		message = email.message_from_string(row["message"])
		for part in message.walk():
			if part.get_content_maintype() == "text":
				found = KEY.search(
					part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
				)
				if found:
					return f"/register/activate?key={found.group(1)}"
	raise AssertionError(f"no activation link queued for {address}")


def log_in(page, address: str):
	form_login(page, address, PASSWORD)


def test_partner_registers_activates_asks_to_join_and_is_approved(browser, admin):
	address = f"petra-{uuid.uuid4().hex[:8]}@autoservice.example"
	context = browser.new_context(viewport=DESKTOP, base_url=BASE_URL)
	page = context.new_page()
	page.set_default_timeout(20_000)

	# the login page's "Sign up" leads to /register
	page.goto(f"{BASE_URL}/login")
	page.click("a:has-text('Sign up')")
	page.wait_for_url("**/register")
	page.fill("#reg-first-name", "Petra")
	page.fill("#reg-last-name", "Janssen")
	page.fill("#reg-company", "Autoservice Janssen")
	page.select_option("#reg-vat-prefix", "NL")
	page.fill("#reg-tax-id", "004495446B01")  # a wrong check digit first
	page.fill("#reg-email", address)
	page.fill("#reg-phone", "+31 30 123 4567")
	page.fill("#reg-password", PASSWORD)
	page.check("#reg-terms", force=True)
	page.click(".reg-submit")
	errors = page.locator(".reg-errors")
	expect(errors).to_be_visible()
	expect(errors).to_contain_text("check digit")
	screenshot(page, "registration_01_tax_id_error")
	page.fill("#reg-tax-id", "004495445B01")
	page.click(".reg-submit")
	expect(page.locator(".reg-done")).to_be_visible()
	expect(page.locator(".reg-form")).to_be_hidden()
	screenshot(page, "registration_02_sent")

	# before activation, login is refused with a message that offers to resend
	log_in(page, address)
	refusal = page.locator(".modal:visible, .msgprint")
	expect(refusal.first).to_contain_text("not activated", timeout=20_000)
	expect(page.locator("a[href*='/register/resend']").first).to_be_visible()
	screenshot(page, "registration_03_login_refused")

	# the link from the e-mail queue, confirmed with the password
	page.goto(activation_link(admin, address))
	page.fill("#reg-password", PASSWORD)
	page.click(".reg-submit")
	expect(page.locator(".reg-done")).to_contain_text("active")
	screenshot(page, "registration_04_activated")

	# logged in, the partner's own request is there; asking to join someone else's account is refused:
	# only that account's administrator or user manager may ask it (issue 19)
	log_in(page, address)
	page.wait_for_load_state("networkidle")
	page.goto(f"{BASE_URL}/account-requests")
	own = page.locator(".ar-row", has_text="Create business account and add user")
	expect(own).to_have_count(1)
	request = own.get_attribute("data-name")
	page.select_option("#ar-type", "Add user to existing account")
	expect(page.locator("[data-field=new_account_name]")).to_be_hidden()
	page.fill("#ar-account_name", "Demo Dealer")
	page.fill("#ar-user_email", address)
	page.fill("#ar-first_name", "Petra")
	page.fill("#ar-last_name", "Janssen")
	page.click(".ar-submit")
	expect(page.locator(".ar-errors")).to_contain_text(
		"Only the administrator or a user manager (US) of a company can ask"
	)
	expect(page.locator(".ar-row")).to_have_count(1)
	screenshot(page, "registration_05_outsider_refused")

	# staff approve the partner's own request in the desk
	desk = admin.new_page()
	desk.set_default_timeout(DESK_TIMEOUT_MS)
	desk.goto(f"{BASE_URL}/app/dealer-account-request/{request}")
	desk.locator(".page-actions button:has-text('Approve')").click()
	desk.locator(".modal:visible .btn-primary:has-text('Yes')").click()
	expect(desk.locator(".indicator-pill:has-text('Approved')").first).to_be_visible()
	screenshot(desk, "registration_06_desk_approved")

	# the partner sees the request approved (the company's authorisation is the next step:
	# test_newcomer_flow.py walks it)
	fresh = browser.new_context(viewport=DESKTOP, base_url=BASE_URL)
	portal = fresh.new_page()
	portal.set_default_timeout(20_000)
	log_in(portal, address)
	portal.wait_for_load_state("networkidle")
	portal.goto(f"{BASE_URL}/account-requests")
	expect(portal.locator(f".ar-row[data-name='{request}']")).to_contain_text("Approved")
	screenshot(portal, "registration_07_request_approved")
	fresh.close()
	context.close()
