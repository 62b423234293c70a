"""Benchmark over HTTP: every portal page and JSON method of the app beside ERPNext's and Frappe's own.

Run by `scripts/bench` (which builds the benchmark customers and serves the site); by hand, with a
Python that has `requests` (the bench's own has it) against a running site:

    /opt/frappe-bench/env/bin/python benchmarks/http_bench.py --url http://127.0.0.1:8000 \\
        --sizes sizes.jsonl --requests 200 --out benchmarks/RESULTS.md

`--sizes` holds one JSON object a line, as `bench --site S rma-bench-data` prints them (customer,
portal users, password, delivered lines, build time). For each size, every URL is requested
`--requests` times in alternating blocks of `--block` (URL 1 x block, URL 2 x block, ..., then again),
spread over the customer's portal users (each user has its own per-minute query allowance), after
two warm-up requests; p50 and p95 in ms. Then each URL once more with Frappe's recorder on (logged
in as Administrator: recorder.start / recorder.get): SQL queries of that request, their total time
and the slowest one. The recorder's request is separate from the timed ones, so it does not slow them.

The results go to --out between the markers of its "http" section; text around them is kept. The
section ends with its raw figures as one invisible `<!-- data: {...} -->` line, from which
`benchmarks/verdicts.py` computes the targets' verdicts (the checks of both: benchmarks/targets.py).
"""

import argparse
import json
import math
import os
import platform
import statistics
import time
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

import requests
from results_file import data_comment, finite, write_section
from targets import (
	JSON_VS_PING,
	LARGEST_VS_SMALLEST,
	MAX_PAGE_QUERIES,
	ME,
	ORDERS,
	PAGE_VS_ME,
	PAGE_VS_ORDERS,
	PING,
	has_target,
	json_holds,
	page_misses,
	scales,
)

CANDIDATES = "/api/method/rma_portal.api.returns.get_candidates"
# (label, path, kind) kind: page / json (the app's), ref (ERPNext's and Frappe's own)
URLS = [
	("ping", "/api/method/ping", "ref"),
	("Frappe /me", "/me", "ref"),
	("ERPNext /orders", "/orders", "ref"),
	("ERPNext /invoices", "/invoices", "ref"),
	("/rma/new (page)", "/rma/new", "page"),
	("candidates, page 1", CANDIDATES + "?page=1", "json"),
	("candidates, item filter", CANDIDATES + "?page=1&filters=" + quote('{"item_code": "LED"}'), "json"),
	("candidates, last page", CANDIDATES + "?page={last_page}", "json"),
	("/rma (list page)", "/rma", "page"),
	("list_rmas", "/api/method/rma_portal.api.returns.list_rmas?page=1", "json"),
	("list_rmas, service", "/api/method/rma_portal.api.returns.list_rmas?page=1&kind=Service", "json"),
	("/rma/view", "/rma/view?name={rma}", "page"),
	("/service", "/service", "page"),
	("/service/new", "/service/new", "page"),
	("service rma_types", "/api/method/rma_portal.api.service.rma_types", "json"),
	("service search", "/api/method/rma_portal.api.service.search?text=LED", "json"),
	("/warranty", "/warranty", "page"),
	("/warranty/new", "/warranty/new", "page"),
	("list_claims", "/api/method/rma_portal.api.warranty.list_claims?page=1", "json"),
	("warranty form options", "/api/method/rma_portal.api.warranty.get_form_options", "json"),
	("/portal (overview)", "/portal", "page"),
	("/portal/orders", "/portal/orders", "page"),
	("/portal/orders, page 3", "/portal/orders?page=3", "page"),
	("/portal/orders, searched", "/portal/orders?f_item_code=LED", "page"),
	("/portal/invoices", "/portal/invoices", "page"),
	("/portal/invoices, unpaid", "/portal/invoices?unpaid=1", "page"),
	("/portal/offers", "/portal/offers", "page"),
	("/portal/shipments", "/portal/shipments", "page"),
	("/portal/tickets", "/portal/tickets", "page"),
	("/portal/projects", "/portal/projects", "page"),
	("/portal/contracts", "/portal/contracts", "page"),
	("/portal/files", "/portal/files", "page"),
	("/portal/quotes", "/portal/quotes", "page"),
	("/account-requests", "/account-requests", "page"),
	("/company", "/company", "page"),
]
KINDS = {label: kind for label, _path, kind in URLS}


def login(url, user, password):
	session = requests.Session()
	response = session.post(url + "/api/method/login", data={"usr": user, "pwd": password}, timeout=60)
	response.raise_for_status()
	return session


def p95(samples):
	ordered = sorted(samples)
	return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def resolve(url, session):
	"""Values the URLs need: the last candidates page, one of the customer's RMAs."""
	first = session.get(url + CANDIDATES + "?page=1", timeout=120).json()["message"]
	page_size = max(1, len(first.get("rows") or []))
	rmas = session.get(url + "/api/method/rma_portal.api.returns.list_rmas?page=1", timeout=120).json()
	rows = rmas["message"].get("rows") or []
	return {
		"last_page": max(1, math.ceil((first.get("total") or 0) / page_size)),
		"rma": quote(rows[0]["name"], safe="") if rows else "",
		"candidates": first.get("total"),
	}


def timed_blocks(url, sessions, urls, requests_per_url, block):
	samples = {path: [] for _l, path, _k in urls}
	errors = {path: {} for _l, path, _k in urls}
	turn = 0
	for _label, path, _kind in urls:  # warm-up
		for session in sessions[:2]:
			session.get(url + path, timeout=120)
	for _round in range(math.ceil(requests_per_url / block)):
		for _label, path, _kind in urls:
			for _ in range(min(block, requests_per_url - len(samples[path]) - sum(errors[path].values()))):
				session = sessions[turn % len(sessions)]
				turn += 1
				start = time.perf_counter()
				response = session.get(url + path, timeout=120)
				elapsed = (time.perf_counter() - start) * 1000
				if response.status_code == 200:
					samples[path].append(elapsed)
				else:
					errors[path][response.status_code] = errors[path].get(response.status_code, 0) + 1
	return samples, errors


def recorded(url, admin, session, path):
	"""One request with Frappe's recorder on: (queries, SQL ms, slowest query ms, its text)."""
	method = url + "/api/method/frappe.recorder."
	admin.post(method + "delete", timeout=60)
	admin.post(
		method + "start",
		data={"record_jobs": 0, "capture_stack": 0, "explain": 0, "profile": 0, "request_filter": "/"},
		timeout=60,
	).raise_for_status()
	session.get(url + path, timeout=120)
	wanted = urlsplit(path).path
	record = None
	for _ in range(50):
		rows = admin.get(method + "get", timeout=60).json().get("message") or []
		record = next((r for r in rows if r.get("path") == wanted), None)
		if record:
			break
		time.sleep(0.1)
	admin.post(method + "stop", timeout=60)
	if not record:
		return None
	full = admin.get(method + "get", params={"uuid": record["uuid"]}, timeout=60).json()["message"]
	slowest = max(full.get("calls") or [{"duration": 0, "query": ""}], key=lambda c: c["duration"])
	query = " ".join(slowest["query"].split())
	return record["queries"], record["time_queries"], slowest["duration"], query[:160]


def machine():
	model = ""
	try:
		with open("/proc/cpuinfo") as f:
			model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
		with open("/proc/meminfo") as f:
			mem_kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
	except (OSError, StopIteration, ValueError):
		mem_kb = 0
	return f"{platform.node()}: {os.cpu_count()} cores ({model}), {mem_kb / 1024 / 1024:.1f} GiB RAM"


def code_version():
	"""The checkout's commit, and whether files differ from it (other work in progress)."""
	import subprocess  # nosec B404: git, read only

	here = os.path.dirname(os.path.abspath(__file__))
	try:
		head = subprocess.run(  # nosec B603 B607
			["git", "-C", here, "log", "-1", "--format=%h %s"], capture_output=True, text=True, timeout=30
		).stdout.strip()
		changed = subprocess.run(  # nosec B603 B607
			["git", "-C", here, "status", "--porcelain", "--untracked-files=no"],
			capture_output=True,
			text=True,
			timeout=30,
		).stdout.splitlines()
	except OSError:
		return "unknown"
	return f"commit {head[:80]}" + (
		f", with {len(changed)} files changed in the working tree" if changed else ""
	)


def loadavg():
	return "{:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())


def run_size(args, size):
	url = args.url
	sessions = [login(url, user, size["password"]) for user in size["users"]]
	admin = login(url, "Administrator", args.admin_password)
	values = resolve(url, sessions[0])
	urls = []
	for label, path, kind in URLS:
		if "{rma}" in path and not values["rma"]:
			continue
		if args.only and kind != "ref" and not any(word in label for word in args.only):
			continue
		urls.append((label, path.format(**values), kind))
	# a page the user may not open (e.g. /company without the right) is reported, not timed
	reachable, refused = [], []
	for label, path, kind in urls:
		status = sessions[0].get(url + path, timeout=120).status_code
		(reachable if status == 200 else refused).append((label, path, kind, status))
	urls = [(label, path, kind) for label, path, kind, _s in reachable]
	started = time.perf_counter()
	load_before = loadavg()
	samples, errors = timed_blocks(url, sessions, urls, args.requests, args.block)
	seconds = time.perf_counter() - started
	load_after = loadavg()
	rows = []
	for label, path, kind in urls:
		rec = recorded(url, admin, sessions[0], path)
		got = samples[path]
		rows.append(
			{
				"label": label,
				"path": path,
				"kind": kind,
				"n": len(got),
				"errors": errors[path],
				"p50": statistics.median(got) if got else float("nan"),
				"p95": p95(got) if got else float("nan"),
				"queries": rec[0] if rec else None,
				"sql_ms": rec[1] if rec else None,
				"slowest_ms": rec[2] if rec else None,
				"slowest": rec[3] if rec else "",
			}
		)
		print(
			f"  {label:28} p50 {rows[-1]['p50']:7.1f}  p95 {rows[-1]['p95']:7.1f} ms  queries {rows[-1]['queries']}"
		)
	return {
		"size": size,
		"values": values,
		"rows": rows,
		"refused": [(label, path, status) for label, path, _k, status in refused],
		"seconds": seconds,
		"load_before": load_before,
		"load_after": load_after,
	}


def verdict(ok):
	return "yes" if ok else "**no**"


def fmt(value, digits=1):
	return "-" if value is None else f"{value:,.{digits}f}"


def report_header(args, started_at, load_start, commit):
	out = []
	cores = os.cpu_count() or 1
	out.append(f"Generated by `scripts/bench` on {started_at:%Y-%m-%d %H:%M} UTC against {args.url}.")
	out.append("")
	out.append(f"- Machine: {machine()}")
	out.append(f"- Web server: {args.server}")
	out.append(f"- Code: {commit}")
	out.append(f"- Load average (1 / 5 / 15 min) at the start: {load_start}; at the end: {loadavg()}")
	# the load at the start says whether other work ran: the benchmark's own server and client load
	# the machine during the run
	if float(load_start.split(" / ")[0]) > 0.5 * cores:
		out.append(
			f"- **Taken on a loaded machine** (load above half of its {cores} cores): the figures are "
			"noisy and slower than on a quiet machine; rerun `scripts/bench` there for the real ones."
		)
	out.append(
		f"- Method: {args.requests} requests per URL in alternating blocks of {args.block}, after 2 warm-up "
		"requests, spread over the customer's portal users; p50 / p95 of the wall time seen by the client "
		"(Python requests, keep-alive). SQL: one more request per URL with Frappe's recorder "
		"(`frappe.recorder`), the number of queries of that request and their total time."
	)
	return out


def sizes_table(results):
	out = ["", "### Sizes", ""]
	out.append("| customer | delivered lines (12 months) | candidates | built in | timed in |")
	out.append("| --- | ---: | ---: | ---: | ---: |")
	for result in results:
		size = result["size"]
		built = (
			f"{size['seconds']:.0f} s ({size.get('copies')} copies of {size.get('seed_lines')} seed lines)"
			if size.get("made")
			else "earlier run"
		)
		out.append(
			f"| {size['customer']} | {size['lines']:,} | {result['values']['candidates']:,} | {built} | "
			f"{result['seconds']:.0f} s (load {result['load_before']} → {result['load_after']}) |"
		)
	return out


def row_holds(row, me, orders, ping, checks):
	"""The "target holds" cell of a URL at one size (benchmarks/targets.py); the check goes to checks."""
	if row["kind"] == "page":
		missed = page_misses(row["p95"], row["queries"], me, orders)
		checks.append(not missed)
		return f"**no** ({', '.join(missed)})" if missed else "yes"
	if row["kind"] == "json":
		ok = json_holds(row["p95"], ping)
		checks.append(ok)
		return verdict(ok)
	return ""


def size_table(result, checks):
	"""One size's table of URLs, the targets, and its slowest SQL statements."""
	rows = {row["label"]: row for row in result["rows"]}
	orders, me, ping = rows[ORDERS]["p95"], rows[ME]["p95"], rows[PING]["p95"]
	out = ["", f"### {result['size']['customer']}: {result['size']['lines']:,} delivered lines", ""]
	out.append(
		"| request | p50 ms | p95 ms | SQL queries | SQL ms | slowest SQL ms | p95 ÷ /orders | p95 ÷ /me | "
		"p95 ÷ ping | target holds |"
	)
	out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
	for row in result["rows"]:
		holds = row_holds(row, me, orders, ping, checks)
		errors = ", ".join(f"{n}x HTTP {code}" for code, n in row["errors"].items())
		out.append(
			f"| {row['label']}{' (' + errors + ')' if errors else ''} | {fmt(row['p50'])} | {fmt(row['p95'])} | "
			f"{fmt(row['queries'], 0)} | {fmt(row['sql_ms'])} | {fmt(row['slowest_ms'])} | "
			f"{row['p95'] / orders:.2f} | {row['p95'] / me:.2f} | {row['p95'] / ping:.1f} | {holds} |"
		)
	if result["refused"]:
		out.append("")
		out.append(
			"Not timed (the benchmark user may not open them): "
			+ ", ".join(f"{label} (HTTP {status})" for label, _p, status in result["refused"])
		)
	out.append("")
	out.append(
		f"Targets: a page's p95 ≤ {PAGE_VS_ORDERS}x ERPNext /orders ({orders:.0f} ms) and ≤ {PAGE_VS_ME}x /me "
		f"({me:.0f} ms), ≤ {MAX_PAGE_QUERIES} SQL queries; a JSON method's p95 ≤ {JSON_VS_PING}x ping "
		f"({ping:.1f} ms)."
	)
	slow = sorted(
		(row for row in result["rows"] if row["slowest"]),
		key=lambda r: r["slowest_ms"] or 0,
		reverse=True,
	)[:5]
	out += ["", "Slowest single SQL statements of this size (recorder):", ""]
	for row in slow:
		out.append(f"- {row['label']}: {row['slowest_ms']:.1f} ms — `{row['slowest']}`")
	return out


def scaling_table(small, large, checks):
	"""Each URL's p95 and query count at the smallest size against the largest."""
	by_label = {row["label"]: row for row in large["rows"]}
	out = [
		"",
		f"### {small['size']['lines']:,} against {large['size']['lines']:,} delivered lines "
		f"(target: p95 ratio ≤ {LARGEST_VS_SMALLEST}, the same SQL query count)",
		"",
	]
	out.append("| request | p95 small ms | p95 large ms | ratio | queries small | queries large | holds |")
	out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
	for row in small["rows"]:
		other = by_label.get(row["label"])
		if not other:
			continue
		ratio = other["p95"] / row["p95"]
		holds = ""
		if has_target(row["kind"]):
			ok = scales(row["p95"], other["p95"], row["queries"], other["queries"])
			holds = verdict(ok)
			checks.append(ok)
		out.append(
			f"| {row['label']} | {fmt(row['p95'])} | {fmt(other['p95'])} | {ratio:.2f} | "
			f"{fmt(row['queries'], 0)} | {fmt(other['queries'], 0)} | {holds} |"
		)
	return out


def report(args, results, started_at, load_start):
	commit = code_version()
	out = report_header(args, started_at, load_start, commit) + sizes_table(results)
	checks = []
	for result in results:
		out += size_table(result, checks)
	if len(results) > 1:
		out += scaling_table(results[0], results[-1], checks)
	out.append("")
	out.append(f"Checks holding: {sum(checks)} of {len(checks)}.")
	out.append(data_comment(report_data(args, results, started_at, load_start, commit)))
	return "\n".join(out)


def report_data(args, results, started_at, load_start, code):
	"""The figures the verdicts need (benchmarks/verdicts.py), per size and URL."""
	return {
		"generated": f"{started_at:%Y-%m-%d %H:%M} UTC",
		"url": args.url,
		"code": code,
		"load_start": load_start,
		"requests": args.requests,
		"only": getattr(args, "only", None) or [],
		"sizes": [
			{
				"customer": result["size"]["customer"],
				"lines": result["size"]["lines"],
				"urls": [
					{
						"label": row["label"],
						"kind": row["kind"],
						"n": row["n"],
						"errors": sum(row["errors"].values()),
						"p50": finite(row["p50"]),
						"p95": finite(row["p95"]),
						"queries": row["queries"],
					}
					for row in result["rows"]
				],
				"refused": [
					{"label": label, "kind": KINDS.get(label), "status": status}
					for label, _p, status in result["refused"]
				],
			}
			for result in results
		],
	}


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--sizes", required=True, help="JSON lines from `bench rma-bench-data`")
	parser.add_argument("--requests", type=int, default=200)
	parser.add_argument("--block", type=int, default=20)
	parser.add_argument("--admin-password", default="admin")
	parser.add_argument("--server", default="gunicorn, 2 workers x 4 threads (scripts/gunicorn_conf.py)")
	parser.add_argument("--out", default="benchmarks/RESULTS.md")
	parser.add_argument(
		"--only",
		action="append",
		default=[],
		help="time only the URLs whose label has this text (and the references)",
	)
	parser.add_argument("--section", default="http", help="the section of --out to write")
	args = parser.parse_args()
	args.url = args.url.rstrip("/")
	with open(args.sizes) as f:
		sizes = [json.loads(line) for line in f if line.strip().startswith("{")]
	sizes.sort(key=lambda s: s["lines"])
	started_at = datetime.now(timezone.utc)
	load_start = loadavg()
	results = []
	for size in sizes:
		print(f"{size['customer']}: {size['lines']:,} delivered lines")
		results.append(run_size(args, size))
	write_section(args.out, args.section, report(args, results, started_at, load_start))
	print(f"written: {args.out}")


if __name__ == "__main__":
	main()
