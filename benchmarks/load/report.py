"""The load test's section of benchmarks/RESULTS.md, from locust's CSV statistics and the consistency
check's JSON (run by `scripts/load-test`):

    python benchmarks/load/report.py --csv WORK/load --check WORK/check.json --customers WORK/customers.jsonl \\
        --users 50 --duration 5m --started 2026-12-02T07:00 --load-start "1.2 / 1.0 / 0.9" --url ... --out ... \\
        [--section load]

The section (`load`, or e.g. `load-100` for the 100-user run) ends with its raw figures as one
invisible `<!-- data: {...} -->` line, from which `benchmarks/verdicts.py` computes the load targets.
"""

import argparse
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from http_bench import code_version, loadavg, machine
from results_file import data_comment, finite, write_section

REFUSED = "submit_return, refused: no longer returnable"
FIRST_NEW_RETURN = "/rma/new, a user's first"  # the locustfile's name for it


def read_csv(path):
	try:
		with open(path, newline="") as f:
			return list(csv.DictReader(f))
	except FileNotFoundError:
		return []


def number(value, digits=0):
	try:
		return f"{float(value):,.{digits}f}"
	except (TypeError, ValueError):
		return "-"


def worker_share(server_cpu: float, worker_cpu: float, total: dict, filed: int) -> str:
	"""The web server's CPU a request and the RQ worker's a return filed: the figure a request follows
	the share of requests that file a return, each with its documents job (RQ forks a process a job)."""
	requests = float(total["Request Count"])
	per_return = f", {1000 * worker_cpu / filed:,.0f} ms a return filed ({filed:,})" if filed else ""
	return (
		f" Of it the web server {1000 * (server_cpu - worker_cpu) / requests:,.0f} ms a request and the RQ "
		f"worker (the RMA documents jobs) {worker_cpu:,.0f} CPU seconds{per_return}."
	)


def load_data(args, total, by_name, check, filed, code):
	"""The figures the load targets need (benchmarks/verdicts.py)."""
	requests = float(total.get("Request Count") or 0)
	first, later = by_name.get(FIRST_NEW_RETURN, {}), by_name.get("/rma/new", {})
	web_cpu = None
	if args.server_cpu is not None and args.worker_cpu is not None:
		web_cpu = args.server_cpu - args.worker_cpu

	def per_request(seconds):
		return finite(1000 * seconds / requests) if seconds is not None and requests else None

	first_p50, later_p50 = finite(first.get("50%")), finite(later.get("50%"))
	return {
		"generated": f"{args.started} UTC",
		"url": args.url,
		"code": code,
		"load_start": args.load_start,
		"users": args.users,
		"spawn_rate": args.spawn_rate,
		"duration": args.duration,
		"requests": int(requests),
		"requests_per_s": finite(total.get("Requests/s")),
		"failures": int(float(total.get("Failure Count") or 0)),
		"p50": finite(total.get("50%")),
		"p95": finite(total.get("95%")),
		"cpu_ms_per_request": per_request(args.server_cpu),
		"web_cpu_ms_per_request": per_request(web_cpu),
		"worker_cpu_ms_per_request": per_request(args.worker_cpu),
		"worker_cpu_ms_per_return": finite(1000 * args.worker_cpu / filed)
		if args.worker_cpu is not None and filed
		else None,
		"returns_filed": filed,
		"first_new_p50": first_p50,
		"later_new_p50": later_p50,
		"first_vs_later": finite(first_p50 / later_p50, 2) if first_p50 and later_p50 else None,
		"consistent": bool(check.get("ok")),
	}


CHECKS = {
	"delivered copy": "the app's copy of the delivered lines (RMA Delivered Line, per-day counts) "
	"equals a rebuild from ERPNext's Delivery Notes",
	"candidate lines": "the candidates pages list exactly the lines delivered in the window",
	"page quantities": "returned / requested / returnable on the candidates pages equal the figures "
	"rebuilt from ERPNext's returns, credit notes and the open RMAs",
	"locked quantities": "the figures a request is checked against under locks equal them too",
	"over-returned": "no line has requested + returned above delivered",
	"lost RMAs": "every RMA answered 200 exists with its customer, lines and quantities",
	"RMAs made but not answered 200": "no RMA was made without its answer reaching the user",
}


def parse_args():
	parser = argparse.ArgumentParser()
	parser.add_argument("--csv", required=True, help="locust's --csv prefix")
	parser.add_argument("--check", required=True, help="the consistency check's JSON")
	parser.add_argument("--customers", required=True)
	parser.add_argument("--users", type=int, required=True)
	parser.add_argument("--spawn-rate", default="10")
	parser.add_argument("--duration", required=True)
	parser.add_argument("--wait", default="1,5")
	parser.add_argument("--started", required=True)
	parser.add_argument("--load-start", required=True)
	parser.add_argument("--load-end", required=True, help="load average at the end of the locust run")
	parser.add_argument("--url", required=True)
	parser.add_argument("--server", required=True)
	parser.add_argument("--server-cpu", type=float, help="CPU seconds the web server and RQ worker used")
	parser.add_argument("--worker-cpu", type=float, help="of them, the RQ worker's (the RMA documents jobs)")
	parser.add_argument("--out", default="benchmarks/RESULTS.md")
	parser.add_argument("--section", default="load", help="the section of --out to write (e.g. load-100)")
	return parser.parse_args()


def read_check(path):
	try:
		with open(path) as f:  # the last JSON line (the bench may print before it)
			return json.loads([line for line in f if line.startswith("{")][-1])
	except (FileNotFoundError, ValueError, IndexError):
		return {"ok": False, "problems": {"consistency check": {"count": 1, "first": ["it did not run"]}}}


def cpu_line(args, total, filed):
	if args.server_cpu is None or not total.get("Request Count"):
		return None
	cpu = (
		f"- Server CPU: the web server and RQ worker used {args.server_cpu:,.0f} CPU seconds during the run, "
		f"{1000 * args.server_cpu / float(total['Request Count']):,.0f} ms a request on average (what "
		"the requests cost, apart from waiting for a core); the database's share is not in it."
	)
	if args.worker_cpu is not None:
		cpu += worker_share(args.server_cpu, args.worker_cpu, total, filed)
	return cpu


def summary(args, customers, total, by_name, check, commit):
	"""The run's lines above the table: machine, users, requests, returns, CPU, first page."""
	filed, refused = by_name.get("submit_return", {}), by_name.get(REFUSED, {})
	cores = os.cpu_count() or 1
	lines = [c.get("lines", 0) for c in customers]
	sizes = f"{min(lines):,}" if min(lines) == max(lines) else f"{min(lines):,} to {max(lines):,}"
	timed = int(float(filed.get("Request Count") or 0))
	accepted = check.get("filed", timed)
	late = (
		f", {accepted - timed} of them answered after the timed run, in the time locust gives running "
		"actions to finish (not in the table)"
		if accepted > timed
		else ""
	)
	out = [
		f"Generated by `scripts/load-test` on {args.started} UTC against {args.url}.",
		"",
		f"- Machine: {machine()}",
		f"- Web server: {args.server}",
		f"- Code: {commit}",
		f"- Load average (1 / 5 / 15 min) at the start: {args.load_start}; at the end of the run: "
		f"{args.load_end}; after the check: {loadavg()}",
		f"- Users: {args.users} simulated portal users (locust, headless, {args.spawn_rate} started a second), "
		f"each logged in once as one of the {sum(len(c['users']) for c in customers)} portal users of "
		f"{len(customers)} customers ({sizes} delivered lines each); think time "
		f"{args.wait.replace(',', ' to ')} s between actions; duration {args.duration}.",
		f"- Requests: {number(total.get('Request Count'))}, throughput **{number(total.get('Requests/s'), 1)} "
		f"requests/s**, failures **{number(total.get('Failure Count'))}** (any answer but 200, except "
		"the expected refusals below); p50 / p95 over all requests "
		f"{number(total.get('50%'))} / {number(total.get('95%'))} ms.",
		f"- Returns filed: {accepted} sent and accepted (HTTP 200){late}; refused "
		f"because another user of the customer had just requested the quantity: "
		f"{number(refused.get('Request Count', 0))} (HTTP 417 'more than the quantity still returnable', "
		"expected under competition, not counted as failures).",
	]
	cpu = cpu_line(args, total, accepted)
	if cpu:
		out.append(cpu)
	first, later = by_name.get(FIRST_NEW_RETURN), by_name.get("/rma/new")
	if first and later and float(later.get("50%") or 0):
		out.append(
			f"- A user's first `/rma/new` (right after the login): p50 / p95 {number(first.get('50%'))} / "
			f"{number(first.get('95%'))} ms, the later ones {number(later.get('50%'))} / "
			f"{number(later.get('95%'))} ms: **{float(first['50%']) / float(later['50%']):.1f} times** "
			"theirs at the median."
		)
	# the load at the start says whether other work ran: the run's own server and locust load it after
	if float(args.load_start.split(" / ")[0]) > 0.5 * cores:
		out.append(
			f"- **Taken on a machine shared with other work** (load above half of its {cores} cores at the "
			"start, the load generator itself on the same cores): the figures are modest and noisy."
		)
	return out


def requests_table(rows, failures):
	out = [
		"",
		"| request | requests | failures | p50 ms | p95 ms | p99 ms | max ms | req/s |",
		"| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
	]
	for row in sorted(rows, key=lambda r: -float(r["Request Count"] or 0)):
		out.append(
			f"| {row['Type']} {row['Name']} | {number(row['Request Count'])} | {number(row['Failure Count'])} | "
			f"{number(row['50%'])} | {number(row['95%'])} | {number(row['99%'])} | "
			f"{number(row['Max Response Time'])} | {number(row['Requests/s'], 2)} |"
		)
	if failures:
		out += ["", "Failures:", ""]
		for row in failures:
			out.append(f"- {row['Occurrences']}x {row['Method']} {row['Name']}: `{row['Error'][:200]}`")
	return out


def consistency(check):
	out = ["", "### Consistency after the run", ""]
	out.append(
		f"Checked on the site (benchmarks/load/consistency.py): {check.get('lines', 0):,} delivered lines "
		f"of {check.get('customers', 0)} customers ({check.get('candidate_lines', 0):,} of them in the "
		f"candidates window), {number(check.get('delivered_qty'))} units delivered, "
		f"{number(check.get('requested_qty'))} requested in open RMAs, {number(check.get('returned_qty'))} "
		f"returned through ERPNext; {check.get('filed', 0)} RMAs answered 200 in the run, "
		f"{check.get('made_in_run', 0)} made by it."
	)
	out.append("")
	problems = check.get("problems") or {}
	for key, text in CHECKS.items():
		found = problems.get(key)
		out.append(f"- {text}: {'**no**, ' + str(found['count']) + ' cases' if found else 'yes'}")
		for sample in (found or {}).get("first", []):
			out.append(f"  - `{sample}`")
	for key, found in problems.items():
		if key not in CHECKS:
			out.append(f"- {key}: **{found['count']}** — " + "; ".join(found.get("first", [])))
	out += ["", f"Consistent: {'yes' if check.get('ok') else '**no**'}."]
	return out


def main():
	args = parse_args()
	stats = read_csv(args.csv + "_stats.csv")
	failures = read_csv(args.csv + "_failures.csv")
	with open(args.customers) as f:
		customers = [json.loads(line) for line in f if line.strip().startswith("{")]
	check = read_check(args.check)
	rows = [row for row in stats if row["Name"] != "Aggregated"]
	total = next((row for row in stats if row["Name"] == "Aggregated"), {})
	by_name = {row["Name"]: row for row in rows}
	timed = int(float(by_name.get("submit_return", {}).get("Request Count") or 0))
	commit = code_version()
	out = summary(args, customers, total, by_name, check, commit)
	out += requests_table(rows, failures) + consistency(check)
	out.append(data_comment(load_data(args, total, by_name, check, check.get("filed", timed), commit)))
	write_section(args.out, args.section, "\n".join(out))
	print("\n".join(out))


if __name__ == "__main__":
	main()
