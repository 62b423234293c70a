"""Frappe's read replica at work on one machine: which database answers the app's requests.

Run by `scripts/replica-demo` (which starts a MariaDB primary and a replica of it, makes the site on
the primary with the demo data, sets `read_from_replica`, `replica_host`, `replica_db_port` and
serves it); by hand, with the bench's Python (it has PyMySQL and requests):

    /opt/frappe-bench/env/bin/python benchmarks/replica_check.py --url http://127.0.0.1:8035 \\
        --site rma-replica.localhost --root-password ... --out benchmarks/RESULTS.md

Nothing else uses these two instances, so their status counters count this script's requests only:
for each URL, `--requests` requests with `read_from_replica` off, then on (the site's config is read
on every request), and the SELECT statements each instance ran per request (Com_select). Then a
ticket is opened (a write: POST) and the time until the replica has it is measured; the replication
applier is stopped, another ticket opened, and the list of tickets (a read-only method) and the list
page are asked for it while the replica lacks it; replication is started again and the same
requests find it. Last, every method marked read_only is called once against the replica, which is
read_only: one that wrote would fail there.

The results go to --out between the markers of its "replica" section.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from urllib.parse import quote

import pymysql
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_bench import write_section

API = "/api/method/rma_portal.api."
# (label, path) of the reads timed with and without the replica: the app's marked JSON methods and
# list pages that read their rows through them, and a page that reads no marked method
READS = [
	("list_rmas (JSON)", API + "returns.list_rmas?page=1"),
	("get_candidates (JSON)", API + "returns.get_candidates?page=1"),
	("service search (JSON)", API + "service.search?text=RMA"),
	("list_tickets (JSON)", API + "tickets.list_tickets?page=1"),
	("/rma (list page)", "/rma"),
	("/portal/orders (list page)", "/portal/orders"),
	("/portal/tickets (list page)", "/portal/tickets"),
	("/rma/new (page, no marked method)", "/rma/new"),
]
# one GET of every marked method, with arguments that find something in the demo data
MARKED = [
	"account_requests.get_form_options",
	"account_requests.list_requests",
	"company.list_addresses",
	"company.list_members",
	"contracts.list_contracts",
	"invoices.list_invoices",
	"orders.export_pending_lines",
	"orders.get_pending_lines",
	"projects.list_projects",
	"quote_requests.get_form_options",
	"quote_requests.search_items?text=LED",
	"returns.get_candidates",
	"returns.list_rmas",
	"service.check_ean?ean={ean}",
	"service.lookup_serial?serial_no={serial}",
	"service.rma_types",
	"service.search?text=RMA",
	"shared_files.list_files",
	"shipments.list_shipments",
	"tickets.list_tickets",
	"warranty.get_form_options",
	"warranty.item_invoices?item_code={item}",
	"warranty.list_claims",
]


def connect(port, password, db=None):
	return pymysql.connect(
		host="127.0.0.1", port=port, user="root", password=password, database=db, autocommit=True
	)


def status(conn, name):
	with conn.cursor() as cur:
		cur.execute("SHOW GLOBAL STATUS LIKE %s", (name,))
		return int(cur.fetchone()[1])


def one(conn, sql, args=None):
	with conn.cursor() as cur:
		cur.execute(sql, args)
		row = cur.fetchone()
		return row[0] if row else None


def slave_status(conn) -> dict:
	with conn.cursor(pymysql.cursors.DictCursor) as cur:
		cur.execute("SHOW SLAVE STATUS")
		return cur.fetchone() or {}


def set_read_from_replica(config_path, on: bool):
	with open(config_path) as f:
		conf = json.load(f)
	conf["read_from_replica"] = 1 if on else 0
	with open(config_path, "w") as f:  # in place: the file keeps its owner
		json.dump(conf, f, indent=1, sort_keys=True)


def wait_applied(replica, db, name, timeout=30):
	"""Seconds until the Issue `name` is on the replica."""
	started = time.monotonic()
	while time.monotonic() - started < timeout:
		if one(replica, f"select count(*) from `{db}`.`tabIssue` where name = %s", (name,)):
			return time.monotonic() - started
		time.sleep(0.05)
	raise SystemExit(f"{name} did not reach the replica in {timeout} s")


LIST_PAGES = [path for label, path in READS if "(list page)" in label]


def sweep(session, url, paths, values) -> tuple[list, list]:
	"""GET each marked method (module.method?args) or page (/path): the failures and the times (ms)."""
	failed, times = [], []
	for path in paths:
		target = path if path.startswith("/") else API + path.format(**values)
		started = time.perf_counter()
		r = session.get(url + target)
		times.append((time.perf_counter() - started) * 1000)
		if r.status_code != 200:
			failed.append(f"{path.split('?')[0]} {r.status_code}: {r.text[:300]}")
	return failed, times


def log_lines(path: str, start: int = 0) -> tuple[int, list]:
	"""The lines of a log file after byte `start`, and its size (0 and none when it is not there)."""
	if not os.path.exists(path):
		return 0, []
	with open(path, "rb") as f:
		f.seek(start)
		text = f.read().decode(errors="replace")
	return start + len(text.encode()), [line for line in text.splitlines() if line.strip()]


def wait_for(check, what, timeout=60):
	started = time.monotonic()
	while time.monotonic() - started < timeout:
		if check():
			return time.monotonic() - started
		time.sleep(0.2)
	raise SystemExit(f"{what} did not happen in {timeout} s")


def replica_answers(args) -> bool:
	try:
		connect(args.replica_port, args.root_password).close()
		return True
	except pymysql.err.OperationalError:
		return False


def replica_stopped(args, conf, session, url, values, primary, say) -> list:
	"""4. The replica stopped: the marked methods and the list pages answer from the primary, each
	web process logging a warning; started again, they read from it once the retry window is over."""
	log_path = os.path.join(args.bench, "sites", args.site, "logs", "rma_portal.replica.log")
	retry = float(conf.get("replica_retry_seconds", 10))
	paths = MARKED + LIST_PAGES
	with connect(args.replica_port, args.root_password).cursor() as cur:
		cur.execute("SHUTDOWN")
	down_in = wait_for(lambda: not replica_answers(args), "the replica's shutdown")
	size, _ = log_lines(log_path)
	before = status(primary, "Com_select")
	failed_down, ms_down = sweep(session, url, paths, values)
	primary_selects = status(primary, "Com_select") - before
	size, warned = log_lines(log_path, size)

	subprocess.Popen(  # the replica's own server, as scripts/replica-demo starts it
		["mariadbd", f"--defaults-file={args.replica_dir}/replica/my.cnf"],
		stdout=subprocess.DEVNULL,
		stderr=subprocess.DEVNULL,
		start_new_session=True,
	)
	up_in = wait_for(lambda: replica_answers(args), "the replica's start")
	replica = connect(args.replica_port, args.root_password)
	wait_for(lambda: slave_status(replica).get("Slave_SQL_Running") == "Yes", "replication")
	time.sleep(retry + 1)
	before = status(replica, "Com_select")
	failed_back, ms_back = sweep(session, url, paths, values)
	replica_selects = status(replica, "Com_select") - before
	_, back = log_lines(log_path, size)
	unreachable = [line for line in warned if "unreachable" in line]
	again = [line for line in back if "answers again" in line]
	say(
		f"**The replica stopped** (`SHUTDOWN` on it; refusing connections {down_in:.1f} s later): the "
		f"{len(MARKED)} marked methods and the list pages {', '.join(LIST_PAGES)} asked once each: "
		f"{len(paths) - len(failed_down)} of {len(paths)} answered 200 (median "
		f"{statistics.median(ms_down):.0f} ms, {primary_selects} SELECTs on the primary)"
		+ ("; failed: " + "; ".join(failed_down) if failed_down else "")
		+ f". The site's `logs/rma_portal.replica.log` got {len(unreachable)} warning(s), one per web "
		"process that met the stopped replica:"
	)
	say()
	say("```\n" + "\n".join(unreachable[:4] or ["(none)"]) + "\n```")
	say()
	say(
		f"**Started again** (`mariadbd`, answering {up_in:.1f} s later, replication running): after the "
		f"retry window (`replica_retry_seconds`, {retry:.0f} s) the same requests "
		f"{len(paths) - len(failed_back)} of {len(paths)} answered 200 (median "
		f"{statistics.median(ms_back):.0f} ms), {replica_selects} SELECTs on the replica; the log: "
		+ (f"`{again[0].split(' ', 3)[-1]}`" if again else "nothing")
		+ f" ({len(again)} line(s))."
	)
	say()
	problems = failed_down + failed_back
	if not unreachable or not again or replica_selects == 0:
		problems.append("no warning, no return to the replica, or no SELECTs on it")
	return problems


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", default="http://127.0.0.1:8035")
	parser.add_argument("--site", default="rma-replica.localhost")
	parser.add_argument("--bench", default="/opt/frappe-bench")
	parser.add_argument("--primary-port", type=int, default=3308)
	parser.add_argument("--replica-port", type=int, default=3307)
	parser.add_argument("--root-password", required=True)
	parser.add_argument("--replica-dir", default="/opt/rma-replica", help="where replica/my.cnf is")
	parser.add_argument("--user", default="dealer@demo.example")
	parser.add_argument("--password", default="Demo#2026")
	parser.add_argument("--requests", type=int, default=20)
	parser.add_argument("--warm-up", type=int, default=8, help="rounds of every URL before counting")
	parser.add_argument("--out", default="benchmarks/RESULTS.md")
	args = parser.parse_args()
	url = args.url.rstrip("/")
	config_path = os.path.join(args.bench, "sites", args.site, "site_config.json")
	with open(config_path) as f:
		conf = json.load(f)
	db = conf["db_name"]
	primary = connect(args.primary_port, args.root_password)
	replica = connect(args.replica_port, args.root_password)
	lines = []

	def say(text=""):
		print(text, flush=True)
		lines.append(text)

	repl = slave_status(replica)
	assert repl.get("Slave_IO_Running") == "Yes" and repl.get("Slave_SQL_Running") == "Yes", repl
	say(
		f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by `scripts/replica-demo` on this 2-core machine: "
		f"MariaDB {one(primary, 'select version()')} primary on 127.0.0.1:{args.primary_port} "
		f"(binary log, server_id {one(primary, 'select @@server_id')}) and replica on "
		f"127.0.0.1:{args.replica_port} (server_id {one(replica, 'select @@server_id')}, "
		f"read_only={one(replica, 'select @@read_only')}, GTID replication, "
		f"{repl.get('Seconds_Behind_Master')} s behind), the site {args.site} on the primary "
		f"(ERPNext, the app, `rma-demo` data) served by gunicorn. Site config: "
		f'`"read_from_replica": 1, "replica_host": "{conf.get("replica_host")}", '
		f'"replica_db_port": {conf.get("replica_db_port")}`. Load average at the start: '
		f"{os.getloadavg()[0]:.2f} (the times below are from this run, on a machine that busy)."
	)
	say()

	session = requests.Session()
	response = session.post(url + "/api/method/login", data={"usr": args.user, "pwd": args.password})
	response.raise_for_status()
	page = session.get(url + "/rma").text
	marker = 'frappe.csrf_token = "'
	csrf = page.split(marker, 1)[1].split('"', 1)[0]

	# 1. Which instance runs the SELECTs of each request
	say(
		f"**Which database answers** ({args.requests} GET requests per URL as {args.user}, after "
		f"{args.warm_up} rounds of every URL not counted; "
		"SELECT statements per request from each instance's Com_select, median time):"
	)
	say()
	say(
		"| request | replica off: primary / replica SELECTs | ms | replica on: primary / replica SELECTs | ms |"
	)
	say("| --- | --- | --- | --- | --- |")
	try:
		# every URL first, both ways: each gunicorn worker fills its caches (from the primary; right
		# after a migrate that takes dozens of requests) before anything is counted
		for on in (False, True):
			set_read_from_replica(config_path, on)
			for _ in range(args.warm_up):
				for _label, path in READS:
					session.get(url + path).raise_for_status()
		for label, path in READS:
			cells = []
			for on in (False, True):
				set_read_from_replica(config_path, on)
				session.get(url + path).raise_for_status()
				before = (status(primary, "Com_select"), status(replica, "Com_select"))
				times = []
				for _ in range(args.requests):
					started = time.perf_counter()
					r = session.get(url + path)
					times.append((time.perf_counter() - started) * 1000)
					r.raise_for_status()
				after = (status(primary, "Com_select"), status(replica, "Com_select"))
				per = [(a - b) / args.requests for a, b in zip(after, before, strict=True)]
				cells += [f"{per[0]:.1f} / {per[1]:.1f}", f"{statistics.median(times):.0f}"]
			say(f"| {label} | {' | '.join(cells)} |")
	finally:
		set_read_from_replica(config_path, True)
	say()

	# 2. Writes go to the primary; the marked reads show the replica's state
	def open_ticket(subject):
		r = session.post(
			url + API + "tickets.open_ticket",
			data={"subject": subject, "message": "Opened by benchmarks/replica_check.py"},
			headers={"X-Frappe-CSRF-Token": csrf},
		)
		r.raise_for_status()
		return r.json()["message"]["name"]

	def rows(conn, name):
		return one(conn, f"select count(*) from `{db}`.`tabIssue` where name = %s", (name,))

	# with replication running: how long the replica takes to have what the primary committed
	first = open_ticket(f"Replica lag check {int(time.time())}")
	usual_lag = wait_applied(replica, db, first)

	subject = f"Replica check {int(time.time())}"
	search = "?search=" + quote(subject)
	with replica.cursor() as cur:
		cur.execute("STOP SLAVE SQL_THREAD")
	try:
		writes = (status(primary, "Com_insert"), status(replica, "Com_insert"))
		name = open_ticket(subject)
		inserts = (status(primary, "Com_insert") - writes[0], status(replica, "Com_insert") - writes[1])
		on_primary, on_replica = rows(primary, name), rows(replica, name)
		listed = session.get(url + API + "tickets.list_tickets" + search).json()["message"]["total"]
		page_lists = name in session.get(url + "/portal/tickets" + search).text
		view = session.get(url + "/portal/tickets/view?name=" + quote(name))
	finally:
		with replica.cursor() as cur:
			cur.execute("START SLAVE SQL_THREAD")
	wait_applied(replica, db, name)
	listed_after = session.get(url + API + "tickets.list_tickets" + search).json()["message"]["total"]
	page_lists_after = name in session.get(url + "/portal/tickets" + search).text
	say(
		"**Writes go to the primary, marked reads to the replica** (tickets opened with "
		"`tickets.open_ticket`, a POST):"
	)
	say()
	say(
		"- with replication running, a ticket's row was on the replica "
		+ (
			"at the first look after the POST's answer"
			if usual_lag < 0.05
			else f"{usual_lag * 1000:.0f} ms after the POST's answer (polled every 50 ms)"
		)
	)
	say(
		f"- the replica's applier stopped (`STOP SLAVE SQL_THREAD`), another ticket opened ({name}): "
		f"INSERT statements from clients: primary +{inserts[0]}, replica +{inserts[1]}; its row: "
		f"primary {on_primary}, replica {on_replica}"
	)
	say(
		f"- while the replica lacks it: `list_tickets?search=` (read_only) total {listed}; the list "
		f"page /portal/tickets lists it: {'yes' if page_lists else 'no'}; the ticket's own page "
		f"/portal/tickets/view (get_ticket, not marked: a write leads there) answers {view.status_code}"
		f"{' with it' if name in view.text else ''}"
	)
	say(
		f"- replication started again (`START SLAVE SQL_THREAD`): `list_tickets` total {listed_after}, "
		f"the list page lists it: {'yes' if page_lists_after else 'no'}"
	)
	say()

	# 3. Every marked method answers from the read_only replica (a write there would fail)
	values = {
		"ean": one(replica, f"select barcode from `{db}`.`tabItem Barcode` limit 1") or "0",
		"serial": one(replica, f"select name from `{db}`.`tabSerial No` limit 1") or "none",
		"item": one(
			replica,
			f"select item_code from `{db}`.`tabSales Invoice Item` where docstatus = 1 limit 1",
		)
		or "none",
	}
	# the demo dealer made their company's administrator for the sweeps (the member list needs US)
	member = f"update `{db}`.`tabCompany Member` set is_admin = %s where user = %s"
	was_admin = one(primary, f"select is_admin from `{db}`.`tabCompany Member` where user = %s", (args.user,))
	with primary.cursor() as cur:
		cur.execute(member, (1, args.user))
	try:
		time.sleep(1)  # replicated well within it (the lag above)
		before = status(replica, "Com_select")
		failed = sweep(session, url, MARKED, values)[0]
		selects = status(replica, "Com_select") - before
		say(
			f"**Every method marked read_only answers from the replica**: {len(MARKED) - len(failed)} of "
			f"{len(MARKED)} answered 200 from the read_only replica ({selects} SELECTs there; the demo "
			"dealer made their company's administrator for it, so none stops at the access check; "
			"projects.get_project is left out: the demo data has no project)"
			+ ("; failed: " + "; ".join(failed) if failed else "")
			+ "."
		)
		say()
		fallback_failed = replica_stopped(args, conf, session, url, values, primary, say)
	finally:
		with primary.cursor() as cur:
			cur.execute(member, (was_admin or 0, args.user))
	say(
		"Frappe v15 opens the replica connection in `frappe.read_only()` (one per request, closed "
		"after the method) and sends only that method's queries there; the request's session, the "
		"access check of a page and the commit stay on the primary, so a list page runs its rows' "
		"queries on the replica and the rest on the primary."
	)
	text = "\n".join(lines)
	write_section(args.out, "replica", "## Read replica\n\n" + text)
	if failed or fallback_failed or listed or not listed_after:
		raise SystemExit("the replica check did not hold: see above")


if __name__ == "__main__":
	main()
