"""API keys and webhooks on /company/users (issue 26), in Chromium: the company's administrator makes
a key for themselves with the RM right only, sees its secret once, the key reads the returns and is
refused the invoices (a request without cookies, as a dealer's system sends it), the key is listed
with when it was last used and revoked from the page, and refused from then on. Screenshots:
dealer-api-keys (the page's key section), dealer-api-key-made (the secret shown once),
dealer-api-key-revoked. (The webhook section is the company administrator's, whom only the
authorisation walk makes: rma_portal/tests/test_dealer_webhooks.py covers its methods.)

Environment: RMA_BASE_URL, RMA_SCREENSHOTS (see conftest.py)."""

import json
import os
import uuid
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from portal import BASE_URL, DEALER, screenshot

API = f"{BASE_URL}/api/method/rma_portal.api."
ADMIN = {"usr": "Administrator", "pwd": os.environ.get("RMA_ADMIN_PASSWORD", "admin")}


@pytest.fixture(autouse=True)
def dealer_manages_users(browser):
	"""Dana is given the right to manage the company's users (US) for this test, by staff in the desk's
	REST API, and it is put back after: the demo gives her RM and FI."""
	staff = browser.new_context(base_url=BASE_URL)
	assert staff.request.post(f"{BASE_URL}/api/method/login", form=ADMIN).ok
	members = staff.request.get(
		f"{BASE_URL}/api/resource/Company Member",
		params={"filters": json.dumps([["customer", "=", "Demo Dealer"], ["user", "=", DEALER["email"]]])},
	).json()["data"]
	path = f"{BASE_URL}/api/resource/Company Member/{quote(members[0]['name'])}"
	before = staff.request.get(path).json()["data"]
	made = staff.request.put(path, data={"flag_us": 1, "flag_rm": 1})
	assert made.ok, made.text()[:300]
	yield
	staff.request.put(path, data={"flag_us": before["flag_us"], "flag_rm": before["flag_rm"]})
	staff.close()


def test_a_key_made_on_the_page_works_with_its_rights_and_is_revoked(dealer_page, browser):
	page = dealer_page
	label = f"Browser key {uuid.uuid4().hex[:6]}"
	page.goto("/company/users#api-keys")
	expect(page.locator("#api-keys")).to_be_visible()
	# open whether the company has keys already (closed) or none yet (open): a click would toggle it
	page.locator("details.rma-new-key").evaluate("details => { details.open = true; }")
	form = page.locator("form[data-method=create_key]")
	form.locator("select[name=member]").select_option(label="Dana Dealer")
	form.locator("input[name=label]").fill(label)
	form.locator("input[name=all_rights]").uncheck()
	form.locator("input[name=rights][value=RM]").check()
	screenshot(page, "dealer-api-keys")
	form.locator("button[type=submit]").click()

	result = page.locator("#rma-new-key-result")
	expect(result).to_be_visible()
	authorization = result.locator("[data-field=authorization]").inner_text().strip()
	assert authorization.startswith("RmaKey rk_")
	screenshot(page, "dealer-api-key-made")

	system = browser.new_context(base_url=BASE_URL)  # a dealer's system: no cookies, the key only
	headers = {"Authorization": authorization}
	assert system.request.get(API + "returns.list_rmas", headers=headers).status == 200
	assert system.request.get(API + "invoices.list_invoices", headers=headers).status == 403

	page.goto("/company/users")  # a page load (the same address with its #api-keys would not reload)
	key_id = authorization.split(" ", 1)[1].split(":", 1)[0]
	row = page.locator(f"tr[data-key='{key_id}']")
	expect(row).to_contain_text(label)
	expect(row).not_to_contain_text("Never")  # last used: just now
	page.once("dialog", lambda dialog: dialog.accept())
	row.locator("button", has_text="Revoke").click()
	expect(page.locator(f"tr[data-key='{key_id}']")).to_contain_text("Revoked")
	screenshot(page, "dealer-api-key-revoked")
	assert system.request.get(API + "returns.list_rmas", headers=headers).status == 401
	system.close()
