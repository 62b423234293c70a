"""Smoke test of the portal: the demo dealer logs in through the login form, lands on the portal's
overview (hooks.role_home_page) and sees /me."""

from portal import BASE_URL, DEALER, form_login, screenshot


def test_dealer_logs_in_and_sees_me(guest_page):
	page = guest_page
	form_login(page, DEALER["email"], DEALER["password"])
	page.wait_for_url("**/portal", timeout=20_000)
	page.wait_for_selector(".pa-dashboard")
	page.goto(f"{BASE_URL}/me")
	page.wait_for_load_state("networkidle")
	assert DEALER["name"] in page.content()
	screenshot(page, "01_me")


def test_api_login_fixture_reaches_me(dealer_page):
	response = dealer_page.goto(f"{BASE_URL}/me")
	assert response.status == 200
	assert DEALER["name"] in dealer_page.content()
