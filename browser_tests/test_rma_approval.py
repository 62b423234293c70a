"""Approval of a return request in the browser (issue 24): an RMA Approval Rule sends every request for
review; the dealer sends one and sees it waiting (no label yet), staff approve it from the review queue
(the RMA list filtered to Requested, bulk action Approve), and the dealer then downloads the label.

The rule is made and removed through the REST API as Administrator; the request returns quantity 1 of
a demo line (test_rma_desk.send_return). Environment: RMA_BASE_URL, RMA_SCREENSHOTS (conftest.py);
RMA_ADMIN_PASSWORD (default "admin").
"""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from portal import BASE_URL, DESKTOP, login_context, screenshot
from test_credit_hold_fees import Staff
from test_rma_desk import ADMIN, DESK_TIMEOUT_MS, send_return

RULE = "Browser test: review every request"
DOCUMENTS_TIMEOUT_S = 60


@pytest.fixture
def desk_page(browser):
	context = browser.new_context(viewport=DESKTOP, base_url=BASE_URL)
	response = context.request.post(
		f"{BASE_URL}/api/method/login", form={"usr": ADMIN["email"], "pwd": ADMIN["password"]}
	)
	assert response.ok, f"desk login failed: {response.status}"
	page = context.new_page()
	page.set_default_timeout(DESK_TIMEOUT_MS)
	yield page
	context.close()


@pytest.fixture
def review_rule(browser):
	context = login_context(browser, ADMIN)
	staff = Staff(context)
	path = f"/api/resource/RMA Approval Rule/{quote(RULE)}"
	rule = {"rule_name": RULE, "priority": 0, "outcome": "Review", "enabled": 1}
	if staff.exists(path):
		staff.call("PUT", path, rule)
	else:
		staff.call("POST", "/api/resource/RMA Approval Rule", rule)
	yield
	staff.call("PUT", path, {"enabled": 0})  # kept (the RMAs it decided name it), switched off
	context.close()


def test_request_waits_for_approval_then_the_dealer_downloads_the_label(review_rule, dealer_page, desk_page):
	page = dealer_page
	name = send_return(page)
	view = f"/rma/view?name={quote(name, safe='')}"

	page.goto(view + "&sent=1")
	expect(page.locator(".rma-status-text .rma-status")).to_have_text("Awaiting approval")
	expect(page.locator(".rma-approval-state")).to_contain_text("do not send the goods yet")
	expect(page.locator(".rma-sent")).to_contain_text("awaiting our approval")
	expect(page.locator(".rma-documents-held")).to_be_visible()
	expect(page.locator(".rma-documents-link")).to_have_count(0)
	screenshot(page, "approval-dealer-waiting")
	page.goto("/rma")
	expect(page.get_by_text(name).first).to_be_visible()
	screenshot(page, "approval-dealer-list")

	desk = desk_page
	desk.goto(f"{BASE_URL}/app/rma?status=Requested")
	row = desk.locator(f'.list-row-checkbox[data-name="{name}"]')
	expect(row).to_be_visible()
	pill = desk.locator(".list-row-container", has=row).locator(
		'.indicator-pill[data-filter="status,=,Requested"]'
	)
	expect(pill.first).to_contain_text(re.compile("Awaiting approval|Approval overdue"))
	screenshot(desk, "approval-desk-queue")
	row.check()
	desk.get_by_role("button", name="Actions").click()
	desk.locator(".dropdown-menu.show .dropdown-item", has_text=re.compile(r"^\s*Approve\s*$")).click()
	expect(desk.locator(".desk-alert .alert-message").first).to_contain_text("Approved: 1.")
	expect(desk.locator(f'.list-row-checkbox[data-name="{name}"]')).to_have_count(0)  # left the queue
	screenshot(desk, "approval-desk-approved")

	page.goto(view)
	expect(page.locator(".rma-status-text .rma-status")).to_have_text("Expected")
	expect(page.locator(".rma-approval-state")).to_have_count(0)
	# the form and label are built by a background job after the approval; the page looks again by itself
	link = page.locator(".rma-documents-link")
	link.wait_for(timeout=DOCUMENTS_TIMEOUT_S * 1000)
	screenshot(page, "approval-dealer-approved")
	with page.expect_download() as download:
		link.click()
	path = download.value.path()
	assert path and open(path, "rb").read(5) == b"%PDF-"


def test_dealer_switches_an_email_kind_off_and_sees_updates_on_the_overview(dealer_page):
	page = dealer_page
	page.goto("/portal")
	updates = page.locator(".pa-updates .pa-update")
	if updates.count():  # the demo's returns changed status in the last 14 days
		expect(updates.first.locator("a")).to_have_attribute(
			"href", re.compile(r"^/(rma|warranty)/view\?name=")
		)
	screenshot(page, "approval-dealer-overview")

	page.goto("/portal/notifications")
	box = page.locator("#mail-approval")
	expect(box).to_be_checked()
	page.locator("label[for=mail-approval]").click()
	page.locator(".rma-notifications-save").click()
	expect(page.locator(".rma-notifications-saved")).to_be_visible()
	screenshot(page, "approval-dealer-notifications")
	page.reload()
	expect(page.locator("#mail-approval")).not_to_be_checked()
	expect(page.locator("#mail-received")).to_be_checked()
	page.locator("label[for=mail-approval]").click()  # back as it was
	page.locator(".rma-notifications-save").click()
	expect(page.locator(".rma-notifications-saved")).to_be_visible()
	page.reload()
	expect(page.locator("#mail-approval")).to_be_checked()
