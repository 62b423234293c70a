"""Profile: what a portal page costs on the server beyond Frappe's own page floor (/me), in-process.

Each URL is requested through Frappe's WSGI application (werkzeug's test client, no HTTP server) as a
logged-in portal user. For each page: the SQL statements of one request, with the app's line that
asked for each (`--queries`; statements that /me does not run are marked +), the median time of a
request over `--repeat` runs and the median ratio to a request of /me made just before each (robust
on a busy machine); `--profile` adds cProfile's top entries of one more request. Run with
the bench's Python from the bench's sites/ folder, as the bench user:

    ../env/bin/python /path/to/rma_portal/benchmarks/page_profile.py --site rma-bench.localhost \\
        --user bench-2k@demo.example --password '...' --queries /me /portal /rma/view?name=...

Reads only (GET requests); nothing is written but the login's session.
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
import traceback

import frappe
import frappe.database.database as database
from in_process import client_for, login_arguments, profiled

RECORDING: list | None = None
HERE = os.path.dirname(os.path.abspath(__file__))
APP_MARK = os.sep + "rma_portal" + os.sep


STACK_OF: re.Pattern | None = None


def _caller(query: str = "", values=None) -> str:
	"""The innermost frame of the app (else of Frappe/ERPNext outside the database layer)."""
	frames = traceback.extract_stack()[:-3]
	if STACK_OF and STACK_OF.search(query):
		print("--- stack of", query[:100], values)
		for frame in frames[-25:]:
			print(f"    {frame.filename.split('/apps/', 1)[-1]}:{frame.lineno} {frame.name}")
	for frame in reversed(frames):
		if APP_MARK in frame.filename and "benchmarks" not in frame.filename:
			return f"{frame.filename.split(APP_MARK, 1)[1]}:{frame.lineno} {frame.name}"
	for frame in reversed(frames):
		path = frame.filename
		if (os.sep + "frappe" + os.sep) in path or (os.sep + "erpnext" + os.sep) in path:
			if any(
				part in path
				for part in ("/database/", "/query_builder/", "/model/db_query", "/utils/caching")
			):
				continue
			return f"{path.split('/apps/', 1)[-1]}:{frame.lineno} {frame.name}"
	return "?"


_original_sql = database.Database.sql


def _recording_sql(self, query, *args, **kwargs):
	if RECORDING is None:
		return _original_sql(self, query, *args, **kwargs)
	start = time.perf_counter()
	try:
		return _original_sql(self, query, *args, **kwargs)
	finally:
		text = " ".join(str(query).split())
		RECORDING.append((text, (time.perf_counter() - start) * 1000, _caller(text, args[:1])))


database.Database.sql = _recording_sql


def signature(query: str) -> str:
	"""A statement with its literal values left out, to compare one page's statements with another's."""
	query = re.sub(r"'[^']*'", "?", query)
	return re.sub(r"\b\d+\b", "?", query)[:200]


SAVE_TO: str | None = None


def get(client, base, path):
	answer = client.get(path, base_url=base, buffered=True)  # closes: frappe.destroy()
	if SAVE_TO:
		name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
		with open(os.path.join(SAVE_TO, name + ".html"), "wb") as f:
			f.write(answer.get_data())
	return answer.status_code, len(answer.get_data())


def recorded(client, base, path):
	global RECORDING
	RECORDING = []
	try:
		status, size = get(client, base, path)
		return status, size, RECORDING
	finally:
		RECORDING = None


def main():
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	login_arguments(parser)
	parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (median)")
	parser.add_argument("--queries", action="store_true", help="list each page's SQL statements")
	parser.add_argument("--profile", action="store_true", help="cProfile's top entries of each page")
	parser.add_argument("--top", type=int, default=25)
	parser.add_argument("--stack", help="print the call stack of statements matching this regex")
	parser.add_argument("--save", help="write each page's HTML into this folder (to compare two versions)")
	parser.add_argument("paths", nargs="+")
	args = parser.parse_args()
	global STACK_OF, SAVE_TO
	STACK_OF = re.compile(args.stack) if args.stack else None
	SAVE_TO = args.save

	client, base = client_for(args.site, args.user, args.password)
	paths = args.paths if "/me" in args.paths else ["/me", *args.paths]
	floor = set()
	rows = []
	for path in paths:
		for _ in range(2):  # warm caches (Redis, compiled templates)
			get(client, base, path)
		status, _size, calls = recorded(client, base, path)
		if path == "/me":
			floor = {signature(q) for q, _ms, _c in calls}
		times, ratios = [], []
		for _ in range(args.repeat):  # each request beside one of /me: the ratio holds on a busy machine
			start = time.perf_counter()
			get(client, base, "/me")
			me_ms = (time.perf_counter() - start) * 1000
			start = time.perf_counter()
			get(client, base, path)
			times.append((time.perf_counter() - start) * 1000)
			ratios.append(times[-1] / me_ms)
		sql_ms = sum(ms for _q, ms, _c in calls)
		rows.append((path, status, len(calls), sql_ms, statistics.median(times), statistics.median(ratios)))
		if args.queries:
			print(f"\n## {path}: {status}, {len(calls)} queries, {sql_ms:.1f} ms SQL")
			for query, ms, caller in calls:
				mark = " " if signature(query) in floor else "+"
				print(f"{mark} {ms:6.2f} ms  {caller:60.60}  {query[:150]}")
		if args.profile:
			print(f"\n## profile of {path}\n")
			print(profiled(lambda: get(client, base, path), args.top))

	print(f"\n{args.repeat} requests a page, each after one of /me, in-process ({args.user})\n")
	print("| page | status | queries | SQL ms | median ms | median of page ÷ /me |")
	print("| --- | ---: | ---: | ---: | ---: | ---: |")
	for path, status, queries, sql_ms, median, ratio in rows:
		print(f"| {path} | {status} | {queries} | {sql_ms:.1f} | {median:.1f} | {ratio:.2f} |")


if __name__ == "__main__":
	main()
