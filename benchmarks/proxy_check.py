"""Two web servers of one site behind nginx: a dealer's session moves between them.

Run by `scripts/replica-demo` (`proxy` starts the second gunicorn and nginx, `proxy-check` runs
this); by hand, with the bench's Python:

    /opt/frappe-bench/env/bin/python benchmarks/proxy_check.py --proxy http://127.0.0.1:8037 \\
        --web http://127.0.0.1:8035 --web http://127.0.0.1:8036 --out benchmarks/RESULTS.md

nginx adds `X-Upstream` (the server that answered) to every answer. The dealer logs in through the
proxy; then, with that one cookie: who they are, asked through the proxy (round robin: the answers
alternate between the servers) and of each server directly; a page read from one server gives the
CSRF token that a ticket opened through the other needs (the session and its token are in Redis,
not in a server); and with the second server stopped (`--stop-pidfile`, its gunicorn's pid file),
nginx sends everything to the first, the session unchanged. Writes the "proxy" section of --out.
"""

import argparse
import collections
import os
import signal
import sys
import time
from datetime import datetime, timezone

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_bench import write_section

WHO = "/api/method/frappe.auth.get_logged_user"


def csrf_token(session, base) -> str:
	page = session.get(base + "/portal/tickets")
	page.raise_for_status()
	return page.text.split('frappe.csrf_token = "', 1)[1].split('"', 1)[0]


def ask_through(session, proxy, times) -> collections.Counter:
	"""Who the session is, asked `times` times through the proxy: answers per (server, user)."""
	seen = collections.Counter()
	for _ in range(times):
		r = session.get(proxy + WHO)
		seen[(r.headers.get("X-Upstream", "?"), r.status_code, r.json().get("message"))] += 1
	return seen


def table(seen) -> list:
	rows = ["| answered by | status | logged-in user | answers |", "| --- | --- | --- | ---: |"]
	rows += [f"| {server} | {code} | {user} | {n} |" for (server, code, user), n in sorted(seen.items())]
	return rows


def stop_server(pidfile) -> bool:
	try:
		with open(pidfile) as f:
			pid = int(f.read().strip())
	except (OSError, ValueError):
		return False
	os.kill(pid, signal.SIGTERM)
	for _ in range(50):
		try:
			os.kill(pid, 0)
		except ProcessLookupError:
			return True
		time.sleep(0.2)
	return False


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--proxy", required=True)
	parser.add_argument("--web", action="append", required=True, help="each server's own address")
	parser.add_argument("--user", default="dealer@demo.example")
	parser.add_argument("--password", default="Demo#2026")
	parser.add_argument("--requests", type=int, default=10)
	parser.add_argument("--stop-pidfile", help="pid file of the second server's gunicorn")
	parser.add_argument("--out", default="benchmarks/RESULTS.md")
	args = parser.parse_args()
	proxy = args.proxy.rstrip("/")
	webs = [w.rstrip("/") for w in args.web]
	lines, problems = [], []

	def say(text=""):
		print(text, flush=True)
		lines.append(text)

	session = requests.Session()
	login = session.post(proxy + "/api/method/login", data={"usr": args.user, "pwd": args.password})
	login.raise_for_status()
	say(
		f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `scripts/replica-demo proxy-check`: nginx "
		f"on {proxy} (round robin over {', '.join(webs)}, two gunicorn servers of the same site sharing "
		"its Redis and database). The dealer logged in through the proxy (answered by "
		f"{login.headers.get('X-Upstream')}); every request below carries that one session cookie. "
		f"Load average at the start: {os.getloadavg()[0]:.2f}."
	)
	say()
	seen = ask_through(session, proxy, args.requests)
	servers = {server for server, _code, _user in seen}
	if len(servers) < len(webs) or any(user != args.user for _s, _c, user in seen):
		problems.append("the session did not answer on every server")
	say(f"**Through the proxy**, `{WHO}` {args.requests} times:")
	say()
	for row in table(seen):
		say(row)
	say()
	direct = {web: session.get(web + WHO).json().get("message") for web in webs}
	say(
		"**Each server directly**, the same cookie: "
		+ "; ".join(f"{web} says {user}" for web, user in direct.items())
		+ "."
	)
	say()
	if set(direct.values()) != {args.user}:
		problems.append("a server did not know the session")
	token = csrf_token(session, webs[0])
	opened = session.post(
		webs[-1] + "/api/method/rma_portal.api.tickets.open_ticket",
		data={"subject": f"Proxy check {int(time.time())}", "message": "Opened by benchmarks/proxy_check.py"},
		headers={"X-Frappe-CSRF-Token": token},
	)
	say(
		f"**A write moving between them**: the CSRF token read from a page of {webs[0]}, a ticket "
		f"opened with it on {webs[-1]}: HTTP {opened.status_code}"
		+ (f", {opened.json()['message']['name']}" if opened.ok else f" {opened.text[:200]}")
		+ "."
	)
	say()
	if not opened.ok:
		problems.append("the ticket was not opened")
	if args.stop_pidfile:
		stopped = stop_server(args.stop_pidfile)
		seen = ask_through(session, proxy, args.requests)
		say(
			f"**{webs[-1]} stopped** (SIGTERM to its gunicorn{'' if stopped else ', which did not stop'}), "
			f"`{WHO}` {args.requests} times through the proxy:"
		)
		say()
		for row in table(seen):
			say(row)
		if any(code != 200 or user != args.user for _s, code, user in seen):
			problems.append("a request failed with one server stopped")
	say()
	write_section(args.out, "proxy", "## Two web servers behind a proxy\n\n" + "\n".join(lines))
	if problems:
		raise SystemExit("the proxy check did not hold: " + "; ".join(problems))


if __name__ == "__main__":
	main()
