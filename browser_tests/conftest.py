"""Fixtures for the browser suite: a Chromium, and pages logged in as the demo portal users and as
the desk user.

Environment:
  RMA_BASE_URL     the site under test (default http://127.0.0.1:8000)
  RMA_SCREENSHOTS  where screenshots go (default ./artifacts/screenshots)
  CHROMIUM         the Chromium binary (default /usr/bin/chromium)
  RMA_ADMIN_USER / RMA_ADMIN_PASSWORD   the desk user (portal.ADMIN)
"""

import pytest
from playwright.sync_api import sync_playwright
from portal import (
	ADMIN,
	BASE_URL,
	CHROMIUM,
	DEALER,
	DESK_TIMEOUT_MS,
	DESKTOP,
	PHONE,
	SECOND,
	logged_in_page,
	open_page,
)


@pytest.fixture(scope="session")
def base_url() -> str:
	return BASE_URL


@pytest.fixture(scope="session")
def browser():
	with sync_playwright() as p:
		browser = p.chromium.launch(
			executable_path=CHROMIUM,
			headless=True,
			args=[
				"--no-sandbox",
				"--disable-gpu",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
				"--no-first-run",
			],
		)
		yield browser
		browser.close()


@pytest.fixture
def dealer_page(browser):
	with open_page(browser, DEALER, accept_downloads=True) as page:
		yield page


@pytest.fixture
def second_page(browser):
	with open_page(browser, SECOND, accept_downloads=True) as page:
		yield page


@pytest.fixture
def dealer_phone_page(browser):
	with open_page(browser, DEALER, PHONE, accept_downloads=True) as page:
		yield page


@pytest.fixture
def admin_page(browser):
	"""A page logged in as the desk user (portal.ADMIN)."""
	context, page = logged_in_page(browser, ADMIN, timeout_ms=DESK_TIMEOUT_MS)
	yield page
	context.close()


@pytest.fixture
def guest_page(browser):
	with open_page(browser, None, timeout_ms=None) as page:
		yield page
