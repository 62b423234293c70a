"""Shared constants and helpers of the browser suite (imported by conftest.py and the tests)."""

import os
from pathlib import Path

import pytest

BASE_URL = os.environ.get("RMA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
SCREENSHOTS = Path(os.environ.get("RMA_SCREENSHOTS", "artifacts/screenshots"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

DEMO_PASSWORD = "Demo#2026"
DEALER = {"email": "dealer@demo.example", "password": DEMO_PASSWORD, "name": "Dana Dealer"}
SECOND = {"email": "second@demo.example", "password": DEMO_PASSWORD, "name": "Sam Second"}

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def screenshot(page, name: str, full_page: bool = True) -> Path:
	"""Save a PNG under RMA_SCREENSHOTS and return its path."""
	SCREENSHOTS.mkdir(parents=True, exist_ok=True)
	path = SCREENSHOTS / f"{name}.png"
	page.screenshot(path=str(path), full_page=full_page)
	return path


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
