"""A logged-in client of Frappe's WSGI application in this process (werkzeug's test client, no HTTP
server): the in-process profiles (page_profile.py, load/request_cpu.py) send their requests through it."""

import sys


def client_for(site: str, user: str, password: str):
	"""(client, base URL) of `user` logged in on `site`; exits when the login fails."""
	from frappe.app import application
	from werkzeug.test import Client

	client = Client(application)
	base = f"http://{site}"
	answer = client.post(
		"/api/method/login", base_url=base, buffered=True, data={"usr": user, "pwd": password}
	)
	if answer.status_code != 200:
		sys.exit(f"login of {user} failed: {answer.status_code} {answer.get_data(as_text=True)[:300]}")
	return client, base
