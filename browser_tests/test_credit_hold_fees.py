"""Returns policy in the browser (issue 24): a dealer on credit hold sees why instead of the form,
with the overdue invoices linked and the way on; the restocking fee is previewed on /rma/new.

Staff settings are made and put back through the REST API as Administrator (RMA Credit Hold
Settings; one RMA Fee Rule for every reason, switched off afterwards). One return is sent,
quantity 1 of a demo line (test_rma_desk.send_return), to see its frozen fee per line on /rma/view
and on the desk's print of its return form. Environment: RMA_BASE_URL, RMA_SCREENSHOTS, the desk
user (portal.py).
"""

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from portal import ADMIN, BASE_URL, login_context, rest_call, screenshot

HOLD_SETTINGS = "/api/resource/RMA Credit Hold Settings/RMA Credit Hold Settings"
HOLD = {"hold_overdue_days": 1, "overdue_days": 30, "block_returns": 1, "block_quote_requests": 1}
FEE_RULE = "Browser test restocking fee"


class Staff:
	"""The desk user's REST calls (portal.ADMIN, logged in through portal.login_context)."""

	def __init__(self, context):
		self.context = context

	def call(self, method, path, data=None):
		return rest_call(self.context.request, method, path, data)

	def exists(self, path) -> bool:
		return self.context.request.fetch(f"{BASE_URL}{path}").ok


@pytest.fixture
def staff(browser):
	context = login_context(browser, ADMIN)
	yield Staff(context)
	context.close()


@pytest.fixture
def credit_hold(staff):
	before = staff.call("GET", HOLD_SETTINGS)["data"]
	staff.call("PUT", HOLD_SETTINGS, HOLD)
	yield
	staff.call("PUT", HOLD_SETTINGS, {key: before.get(key) or 0 for key in HOLD})


@pytest.fixture
def fee_rule(staff):
	path = f"/api/resource/RMA Fee Rule/{quote(FEE_RULE)}"
	# every company: left out, the company would be the site's default (Frappe fills a new document's
	# Company link so), and the dealer's first line may come from its other company
	rule = {
		"rule_name": FEE_RULE,
		"company": "",
		"basis": "Percentage of Line Value",
		"percentage": 10,
		"minimum": 1,
		"enabled": 1,
	}
	if staff.exists(path):
		staff.call("PUT", path, rule)
	else:
		staff.call("POST", "/api/resource/RMA Fee Rule", rule)
	yield
	staff.call("PUT", path, {"enabled": 0})  # kept (the RMAs sent under it name it), switched off


def test_a_dealer_on_credit_hold_sees_why_and_the_invoices(credit_hold, dealer_page):
	page = dealer_page
	page.goto("/rma/new")
	box = page.locator(".rma-credit-hold")
	expect(box).to_be_visible()
	expect(box.locator("h5")).to_contain_text("credit hold")
	expect(box).to_contain_text("overdue by more than 30 days")
	expect(page.locator(".rma-candidates")).to_have_count(0)  # no form to fill in vain
	links = box.locator(".rma-credit-hold-invoices a")
	assert links.count() >= 1
	first = links.first.get_attribute("href")
	assert "download_invoice?name=" in first
	response = page.request.get(first)  # the dealer's own invoice PDF opens
	assert response.ok and response.headers["content-type"].startswith("application/pdf")
	screenshot(page, "credit-hold-rma-new")

	page.goto("/portal/quotes/new")  # a second blocked action says the same
	expect(page.locator(".rma-credit-hold")).to_contain_text("Quote requests")
	expect(page.locator(".cp-quote-form")).to_have_count(0)
	page.goto("/service/new")  # not chosen in the settings: the form is there
	expect(page.locator(".rma-credit-hold")).to_have_count(0)
	expect(page.locator(".svc-form")).to_be_visible()

	page.goto("/rma/new")
	page.locator(".rma-credit-hold a", has_text="Your open invoices").click()
	expect(page).to_have_url(re.compile(r"/portal/invoices\?unpaid=1"))
	expect(page.locator("body")).to_contain_text("Overdue")


def test_the_fee_is_previewed_before_sending(fee_rule, dealer_page):
	page = dealer_page
	page.goto("/rma/new")
	rows = page.locator(".rma-candidates-body tr[data-line]:has(input.rma-check:not([disabled]))")
	expect(rows.first).to_be_visible()
	rows.first.locator("input.rma-check").check()
	page.locator(".rma-create").click()
	reason = page.locator(".rma-reason-all")
	with page.expect_response(lambda r: "preview_fee" in r.url) as info:
		reason.select_option(index=1)
	preview = info.value.json()["message"]
	assert preview["total"] > 0, preview
	fee_box = page.locator(".rma-fee")
	expect(fee_box).to_be_visible()
	expect(fee_box).to_contain_text("A return fee of")
	line_fee = page.locator(".rma-confirm-body .rma-line-fee").first
	expect(line_fee).not_to_have_text("")
	# a smaller quantity, a new preview: the fee follows the line's value (10 %, at least 1.00)
	qty = page.locator(".rma-confirm-body .rma-line-qty").first
	if int(qty.input_value() or 0) > 1:
		with page.expect_response(lambda r: "preview_fee" in r.url) as again:
			qty.fill("1")
		assert again.value.json()["message"]["total"] <= preview["total"]
	screenshot(page, "fee-preview-rma-new")


def test_the_sent_fee_per_line_on_the_rma_page_and_its_return_form(fee_rule, browser, dealer_page):
	from test_rma_desk import send_return

	page = dealer_page
	name = send_return(page)
	page.goto(f"/rma/view?name={quote(name, safe='')}")
	line_fee = page.locator(".rma-lines .rma-line-fee").first
	expect(line_fee).not_to_have_text("")
	fee = line_fee.inner_text().strip()
	expect(page.locator(".rma-lines th", has_text="Return fee")).to_be_visible()
	expect(page.locator(".rma-facts")).to_contain_text(fee)  # one line: its fee is the total
	screenshot(page, "fee-per-line-rma-view")

	# a context of its own: once a desk page is open, the REST calls of `staff` would need its CSRF token
	context = login_context(browser, ADMIN)
	desk = context.new_page()
	desk.goto(f"{BASE_URL}/printview?doctype=RMA&name={quote(name, safe='')}&format=RMA%20Return%20Form")
	expect(desk.locator(".rma-form .lines th", has_text="Return fee")).to_be_visible()
	expect(desk.locator(".rma-form .lines tbody td.num").last).to_have_text(fee)
	screenshot(desk, "fee-per-line-return-form")
	context.close()
