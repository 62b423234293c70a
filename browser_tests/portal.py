"""Shared constants and helpers of the browser suite (imported by conftest.py and the tests)."""

import json
import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

BASE_URL = os.environ.get("RMA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
SCREENSHOTS = Path(os.environ.get("RMA_SCREENSHOTS", "artifacts/screenshots"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

DEMO_PASSWORD = "Demo#2026"
DEALER = {"email": "dealer@demo.example", "password": DEMO_PASSWORD, "name": "Dana Dealer"}
SECOND = {"email": "second@demo.example", "password": DEMO_PASSWORD, "name": "Sam Second"}
# the desk user: RMA_ADMIN_USER / RMA_ADMIN_PASSWORD, else Administrator with $ADMIN_PASSWORD, else
# "admin" as scripts/lib.sh sets it
ADMIN = {
	"email": os.environ.get("RMA_ADMIN_USER", "Administrator"),
	"password": os.environ.get("RMA_ADMIN_PASSWORD") or os.environ.get("ADMIN_PASSWORD") or "admin",
}

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
DESK_TIMEOUT_MS = 30_000


def screenshot(page, name: str, full_page: bool = True) -> Path:
	"""Save a PNG under RMA_SCREENSHOTS and return its path."""
	SCREENSHOTS.mkdir(parents=True, exist_ok=True)
	path = SCREENSHOTS / f"{name}.png"
	page.screenshot(path=str(path), full_page=full_page)
	return path


def pdf_bytes(tag: str) -> bytes:
	"""A minimal PDF; `tag` makes each one different (Frappe stores equal contents only once)."""
	return (
		b"%PDF-1.4\n% " + tag.encode() + b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
		b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
	)


def login(context, user: dict):
	"""Log in through Frappe's login API; the session cookie lands in the browser context.

	A failed login ends the whole suite at once with that one message: every later test would fail
	the same way, and each further attempt counts towards Frappe locking the account."""
	response = context.request.post(
		f"{BASE_URL}/api/method/login",
		form={"usr": user["email"], "pwd": user["password"]},
	)
	if not response.ok:
		pytest.exit(
			f"login of {user['email']} failed: {response.status} {response.text()[:300]} "
			"(no further logins tried; is the demo data loaded and the user enabled?)",
			returncode=1,
		)


def login_context(browser, user: dict, viewport=DESKTOP, **options):
	"""A new browser context logged in as `user` ({email, password}) through Frappe's login API.

	For users a test makes (and the desk user): a failed login fails that test. The demo dealers'
	fixtures (conftest.py) use `login`, which ends the suite instead."""
	context = browser.new_context(viewport=viewport, base_url=BASE_URL, **options)
	response = context.request.post(
		f"{BASE_URL}/api/method/login", form={"usr": user["email"], "pwd": user["password"]}
	)
	assert response.ok, f"login of {user['email']} failed: {response.status} {response.text()[:300]}"
	return context


def logged_in_page(browser, user: dict, timeout_ms: int = 20_000, **options):
	"""(context, page) logged in as `user`; the caller closes the context."""
	context = login_context(browser, user, **options)
	page = context.new_page()
	page.set_default_timeout(timeout_ms)
	return context, page


@contextmanager
def open_page(browser, user: dict | None, viewport=DESKTOP, timeout_ms: int | None = 20_000, **options):
	"""A page in a new browser context, logged in as the demo user `user` (None: a guest), closed
	when the block ends. A failed login ends the suite (`login`); `timeout_ms` None keeps
	Playwright's default."""
	context = browser.new_context(viewport=viewport, base_url=BASE_URL, **options)
	try:
		if user:
			login(context, user)
		page = context.new_page()
		if timeout_ms:
			page.set_default_timeout(timeout_ms)
		yield page
	finally:
		context.close()


def form_login(page, email: str, password: str):
	"""Log in as a person does: through the login page's form."""
	page.goto(f"{BASE_URL}/login")
	page.fill("#login_email", email)
	page.fill("#login_password", password)
	page.click(".form-login .btn-login")


def rest_call(request, method: str, path: str, data=None):
	"""A JSON call to the site through a Playwright request context (a logged-in browser context's
	`request`, or the context Administrator's tests keep): the answer's JSON, asserted ok."""
	response = request.fetch(
		f"{BASE_URL}{path}",
		method=method,
		data=json.dumps(data) if data is not None else None,
		headers={"Content-Type": "application/json"},
	)
	assert response.ok, f"{method} {path}: {response.status} {response.text()[:400]}"
	return response.json()


def desk_csrf_token(page, route: str, timeout_ms: int = DESK_TIMEOUT_MS) -> str:
	"""Open a desk route and return the session's CSRF token, which the desk's POSTs carry."""
	page.goto(f"{BASE_URL}{route}")
	page.wait_for_function("() => window.frappe && frappe.csrf_token", timeout=timeout_ms)
	return page.evaluate("() => frappe.csrf_token")


def add_company(page, company: str, street: str, tag: str, picture: str, prefilled: bool = False):
	"""Add a company on the company page: its name (typed, or `prefilled` from the registration and
	checked), an address in Utrecht on `street` and a registration extract (a PDF marked `tag`);
	the form's screenshot is `picture`. Returns the new authorisation's card."""
	page.goto(f"{BASE_URL}/company")
	form = page.locator("form.rma-add-company")
	expect(form).to_be_visible()
	if prefilled:
		expect(form.locator("[name=company_name]")).to_have_value(company)
	else:
		form.locator("[name=company_name]").fill(company)
	form.locator("[name=address_line1]").fill(street)
	form.locator("[name=pincode]").fill("3511 AB")
	form.locator("[name=city]").fill("Utrecht")
	form.locator("[name=country]").select_option("Netherlands")
	form.locator("[name=files]").set_input_files(
		[{"name": "kvk-extract.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("kvk " + tag)}]
	)
	screenshot(page, picture)
	form.locator("button[type=submit]").click()
	card = page.locator(".rma-authorisation").first
	expect(card).to_contain_text(company)
	return card
