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
	login,
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


def _logged_in_page(browser, user, viewport=DESKTOP):
	context = browser.new_context(viewport=viewport, base_url=BASE_URL, accept_downloads=True)
	login(context, user)
	page = context.new_page()
	page.set_default_timeout(20_000)
	return context, page


@pytest.fixture
def dealer_page(browser):
	context, page = _logged_in_page(browser, DEALER)
	yield page
	context.close()


@pytest.fixture
def second_page(browser):
	context, page = _logged_in_page(browser, SECOND)
	yield page
	context.close()


@pytest.fixture
def dealer_phone_page(browser):
	context, page = _logged_in_page(browser, DEALER, PHONE)
	yield page
	context.close()


@pytest.fixture
def admin_page(browser):
	"""A page logged in as the desk user (portal.ADMIN)."""
	context, page = logged_in_page(browser, ADMIN, timeout_ms=DESK_TIMEOUT_MS)
	yield page
	context.close()


@pytest.fixture
def guest_page(browser):
	context = browser.new_context(viewport=DESKTOP, base_url=BASE_URL)
	page = context.new_page()
	yield page
	context.close()
