"""A logged-in client of Frappe's WSGI application in this process (werkzeug's test client, no HTTP
server): the in-process profiles (page_profile.py, load/request_cpu.py) send their requests through it,
with the same login arguments and cProfile summary."""

import cProfile
import io
import pstats
import re
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


def login_arguments(parser) -> None:
	"""--site, --user and --password: who the requests are sent as."""
	parser.add_argument("--site", required=True)
	parser.add_argument("--user", required=True)
	parser.add_argument("--password", required=True)


def profiled(request, top: int) -> str:
	"""cProfile's top entries (cumulative, then own time) of one call of `request`, paths shortened."""
	profile = cProfile.Profile()
	profile.enable()
	request()
	profile.disable()
	out = io.StringIO()
	stats = pstats.Stats(profile, stream=out)
	stats.sort_stats("cumulative").print_stats(top)
	stats.sort_stats("tottime").print_stats(top)
	return re.sub(r"/[^ ]*/apps/", "", out.getvalue())
