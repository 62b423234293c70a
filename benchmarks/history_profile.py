"""Pages and JSON methods of the portal at each history size, in-process: median ms, SQL queries and
the slowest statements of each, to find what grows with the history.

Run with the bench's Python, as the bench user, from the bench's sites/ folder, after
`bench --site S rma-bench-data` made the benchmark customers:

    sudo -u frappe ../env/bin/python /path/to/rma_portal/benchmarks/history_profile.py \\
        --site rma.localhost --lines 2000 --lines 20000 --lines 200000 [--only orders] [--repeat 7]

Each request runs as the customer's first portal user, as the HTTP request would (the page's
get_context or the whitelisted method, with its form arguments), after one warm-up call. For each:
the median of --repeat calls, the number of SQL statements, and the statements that take most of
its time (median ms). The HTTP figures (the web server, the website shell) are http_bench.py's.
"""

import argparse
import importlib
import json
import statistics

import frappe
from candidates_profile import profile as timed_statements  # this script's folder is on the path

# (label, kind, target, form arguments): kind "page" = www module's get_context, "api" = method
REQUESTS = [
	("/portal (overview)", "page", "rma_portal.www.portal.index", {}),
	("/portal/orders", "page", "rma_portal.www.portal.orders.index", {}),
	("/portal/orders, page 3", "page", "rma_portal.www.portal.orders.index", {"page": "3"}),
	("/portal/orders, searched", "page", "rma_portal.www.portal.orders.index", {"f_item_code": "LED"}),
	("/portal/orders, by order date", "page", "rma_portal.www.portal.orders.index", {"sort": "order"}),
	("/warranty/new", "page", "rma_portal.www.warranty.new", {}),
	("warranty form options", "api", "rma_portal.api.warranty.get_form_options", {}),
	("/warranty", "page", "rma_portal.www.warranty.index", {}),
	("list_claims", "api", "rma_portal.api.warranty.list_claims", {"page": 1}),
	("/rma", "page", "rma_portal.www.rma.index", {}),
	("list_rmas", "api", "rma_portal.api.returns.list_rmas", {"page": 1}),
	("list_rmas, service", "api", "rma_portal.api.returns.list_rmas", {"page": 1, "kind": "Service"}),
	("/service", "page", "rma_portal.www.service.index", {}),
	("/service/new", "page", "rma_portal.www.service.new", {}),
	("service search", "api", "rma_portal.api.service.search", {"text": "LED"}),
	("/portal/invoices", "page", "rma_portal.www.portal.invoices.index", {}),
	("/portal/invoices, unpaid", "page", "rma_portal.www.portal.invoices.index", {"unpaid": "1"}),
	("/portal/offers", "page", "rma_portal.www.portal.offers.index", {}),
	("/portal/shipments", "page", "rma_portal.www.portal.shipments.index", {}),
	("/portal/tickets", "page", "rma_portal.www.portal.tickets.index", {}),
	("/portal/projects", "page", "rma_portal.www.portal.projects.index", {}),
	("/portal/contracts", "page", "rma_portal.www.portal.contracts.index", {}),
	("/portal/files", "page", "rma_portal.www.portal.files.index", {}),
	("/portal/quotes", "page", "rma_portal.www.portal.quotes.index", {}),
]


def call_of(kind, target, form):
	from rma_portal import access

	if kind == "page":
		module = importlib.import_module(target)

		def call():
			frappe.local.form_dict = frappe._dict(form)
			access.clear_cache()
			module.get_context(frappe._dict(parents=[]))

	else:
		method = frappe.get_attr(target)

		def call():
			frappe.local.form_dict = frappe._dict(form)
			frappe.local.response = frappe._dict()
			access.clear_cache()
			method(**form)

	return call


def profile(call, repeat):
	"""median ms per call, statements per call, [(median ms, statement)] slowest first"""
	call()  # warm-up: Frappe's caches (meta, settings)
	statements, totals = timed_statements(call, repeat)
	slowest = sorted(((statistics.median(ms), query) for query, ms in statements), reverse=True)
	return statistics.median(totals), len(statements), slowest


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="rma.localhost")
	parser.add_argument("--lines", type=int, action="append", default=[])
	parser.add_argument("--only", default="")
	parser.add_argument("--repeat", type=int, default=7)
	parser.add_argument("--top", type=int, default=2)
	parser.add_argument("--json", help="write the figures to this file")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	from rma_portal.demo.bench_data import customer_for

	out = {}
	for lines in args.lines or [2000, 20000, 200000]:
		customer, users = customer_for(lines)
		print(f"## {customer}")
		frappe.set_user(users[0])
		for label, kind, target, form in REQUESTS:
			if args.only and args.only not in label:
				continue
			try:
				ms, queries, statements = profile(call_of(kind, target, form), args.repeat)
			except Exception as e:
				print(f"{label:34} failed: {e!r}")
				frappe.db.rollback()
				continue
			out.setdefault(label, {})[lines] = {"ms": round(ms, 1), "queries": queries}
			print(f"{label:34} {ms:8.1f} ms  {queries:3d} queries")
			for stmt_ms, statement in statements[: args.top]:
				print(f"{'':36}{stmt_ms:7.1f} ms  {statement[:110]}")
			frappe.db.rollback()
	if args.json:
		with open(args.json, "w") as f:
			json.dump(out, f, indent=1)


if __name__ == "__main__":
	main()
