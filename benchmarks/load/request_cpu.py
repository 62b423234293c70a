"""Server CPU per request type of the load test (benchmarks/load/locustfile.py), in-process.

Each request the load test's users make is sent through Frappe's WSGI application (werkzeug's test
client, no HTTP server, one thread) as one logged-in portal user; the CPU time of this process for
each request (time.process_time: the web server's share of a request, not the database's) is
measured `--repeat` times, request types interleaved, and the median printed with the wall time.
CPU time does not count the time a request waits for a core, so it compares two versions of the code
on a machine others load. `--profile NAME` prints cProfile's top entries of one more request of that
type. Run with the bench's Python from the bench's sites/ folder, as the bench user. To measure
older code, put its checkout ahead of the installed app (PYTHONPATH=/path/to/old/checkout), give it
a cache of its own (--redis-cache redis://127.0.0.1:13000/7) and --older-code (DocTypes the site has
and the old code lacks are read as plain documents); compare with the current code on another such
cache (--redis-cache redis://127.0.0.1:13000/6).

    ../env/bin/python /path/to/benchmarks/load/request_cpu.py --site rma.localhost \\
        --user load-01-1@demo.example --password '...' [--repeat 30] [--profile '/rma/new']

Reads only (GET requests); nothing is written but the login's session. submit_return (a write) is not
among them: `--first` instead times a user's first /rma/new (a new login's, in a worker that served
other users) against the next ones.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time

import frappe

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from in_process import client_for as login
from in_process import login_arguments, profiled

API = "/api/method/rma_portal.api.returns."
CANDIDATES = API + "get_candidates"


def requests_of(client, base) -> dict[str, str]:
	"""The load test's read requests by their locust name (a page, a search word from page 1)."""
	first = client.get(CANDIDATES, base_url=base, query_string={"page": 1}, buffered=True)
	rows = (json.loads(first.get_data()).get("message") or {}).get("rows") or []
	item = (rows[0]["item_code"] if rows else "ITEM")[:4]

	def candidates(page=1, filters=None):
		query = f"page={page}" + (f"&filters={json.dumps(filters)}" if filters else "")
		return CANDIDATES + "?" + query

	return {
		"/rma/new": "/rma/new",
		"candidates, page 1": candidates(),
		"candidates, another page": candidates(page=57),
		"candidates, searched": candidates(filters={"item_code": item}),
		"candidates, searched by returnable qty": candidates(filters={"qty_returnable": "1"}),
		"/rma": "/rma",
		"list_rmas": API + "list_rmas?page=1",
		"list_rmas, searched": API + "list_rmas?page=1&search=load",
		"/portal": "/portal",
		"/portal/orders": "/portal/orders",
		"/portal/orders?page=N": "/portal/orders?page=3",
		"/portal/invoices": "/portal/invoices",
		"/portal/invoices?unpaid=1": "/portal/invoices?unpaid=1",
		"/portal/shipments": "/portal/shipments",
		"/service": "/service",
		"/warranty": "/warranty",
		# not a load-test request: Frappe's own page, what any logged-in page costs at the least
		"Frappe's /me (reference)": "/me",
	}


def timed(client, base, path) -> tuple[float, float, int]:
	"""CPU ms and wall ms of one request, and its status."""
	cpu, wall = time.process_time(), time.perf_counter()
	answer = client.get(path, base_url=base, buffered=True)
	answer.get_data()
	return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000, answer.status_code


def first_rma_new(site, users, password) -> list[tuple[float, float]]:
	"""Per user: a new login's first /rma/new and its second, CPU ms (the worker already warm)."""
	out = []
	for user in users:
		client, base = login(site, user, password)
		first = timed(client, base, "/rma/new")[0]
		second = timed(client, base, "/rma/new")[0]
		out.append((first, second))
	return out


def read_newer_doctypes_as_documents():
	"""Older code on the site's newer schema: a DocType whose controller the old checkout lacks (a child
	table added since) loads as a plain Document, so the old pages read the documents they know."""
	import types

	import frappe.model.base_document as base_document
	from frappe.model.document import Document

	plain = types.ModuleType("request_cpu_plain_controllers")  # importable by name: cached documents pickle
	sys.modules[plain.__name__] = plain
	import_controller = base_document.import_controller

	def controller(doctype):
		try:
			return import_controller(doctype)
		except ImportError:
			cls = type(doctype.replace(" ", ""), (Document,), {"__module__": plain.__name__})
			setattr(plain, cls.__name__, cls)
			return cls

	base_document.import_controller = controller


def main():
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	login_arguments(parser)
	parser.add_argument("--repeat", type=int, default=30)
	parser.add_argument("--profile", action="append", default=[], help="a request's locust name")
	parser.add_argument("--top", type=int, default=30)
	parser.add_argument("--first", nargs="*", default=[], help="other users: their first /rma/new")
	parser.add_argument(
		"--redis-cache",
		help="a cache of its own (e.g. redis://127.0.0.1:13000/7, emptied first): older code must not"
		" read or write the cached hooks and documents of the code the site runs",
	)
	parser.add_argument(
		"--older-code", action="store_true", help="the site's newer DocTypes as plain documents"
	)
	args = parser.parse_args()
	if args.older_code:
		read_newer_doctypes_as_documents()
	if args.redis_cache:
		from frappe.utils.redis_wrapper import RedisWrapper

		frappe.cache = RedisWrapper.from_url(args.redis_cache)
		frappe.cache.flushdb()

	client, base = login(args.site, args.user, args.password)
	paths = requests_of(client, base)
	cpu = {name: [] for name in paths}
	wall = {name: [] for name in paths}
	for round_no in range(args.repeat + 2):  # two warm-up rounds: caches, compiled templates
		for name, path in paths.items():
			c, w, status = timed(client, base, path)
			if status != 200:
				sys.exit(f"{name}: HTTP {status}")
			if round_no >= 2:
				cpu[name].append(c)
				wall[name].append(w)
	print(f"{args.repeat} requests of each type, in-process, as {args.user} ({frappe.__file__})\n")
	print("| request | CPU ms median | CPU ms p90 | wall ms median |")
	print("| --- | ---: | ---: | ---: |")
	for name in paths:
		c = sorted(cpu[name])
		print(
			f"| {name} | {statistics.median(c):.1f} | {c[int(len(c) * 0.9)]:.1f} |"
			f" {statistics.median(wall[name]):.1f} |"
		)
	for user_first, user_second in first_rma_new(args.site, args.first, args.password):
		print(f"first /rma/new of a user: {user_first:.1f} ms CPU, the next {user_second:.1f} ms")
	for name in args.profile:
		print(f"\n## profile of {name}\n")
		path = paths[name]
		print(profiled(lambda: client.get(path, base_url=base, buffered=True), args.top))


if __name__ == "__main__":
	main()
