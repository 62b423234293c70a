"""Profile of the return candidates: each SQL statement of a page, its median time, per size.

Run with the bench's Python, as the bench user, from the bench's sites/ folder, after
`bench --site S rma-bench-data` made the benchmark customers:

    sudo -u frappe ../env/bin/python /path/to/rma_portal/benchmarks/candidates_profile.py \\
        --site rma.localhost --customer "Bench Dealer 20k" --customer "Bench Dealer 200k"

For the first page, an item-code search and the last page: the statements in the order they run,
median ms over --repeat calls, and the share of the call's time they take (the rest is Python).
"""

import argparse
import statistics
import time

import frappe


def profile(call, repeat):
	"""[(statement, [ms per call])], [total ms per call] (history_profile.py uses it too)"""
	real_sql = frappe.db.sql
	runs, totals = [], []
	for _ in range(repeat):
		seen = []

		def timed_sql(query, *args, _seen=seen, **kwargs):
			start = time.perf_counter()
			try:
				return real_sql(query, *args, **kwargs)
			finally:
				_seen.append((" ".join(str(query).split()), (time.perf_counter() - start) * 1000))

		frappe.db.sql = timed_sql
		start = time.perf_counter()
		try:
			call()
		finally:
			frappe.db.sql = real_sql
		totals.append((time.perf_counter() - start) * 1000)
		runs.append(seen)
	# the statements every run made (a later run can make fewer: caches filled by the first)
	count = min(len(run) for run in runs)
	statements = [(runs[0][i][0], [run[i][1] for run in runs]) for i in range(count)]
	return statements, totals


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="rma.localhost")
	parser.add_argument("--customer", action="append", default=[])
	parser.add_argument("--repeat", type=int, default=7)
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from rma_portal.services.returns.returns import candidate_lines

	for customer in args.customer or ["Bench Dealer 20k"]:
		total = candidate_lines(customer)["total"]
		last = max(1, (total + 19) // 20)
		print(f"## {customer}: {total:,} candidate lines")
		for label, call in (
			("page 1", lambda c=customer: candidate_lines(c, page=1)),
			("item code search", lambda c=customer: candidate_lines(c, filters={"item_code": "LED"})),
			(f"page {last}", lambda c=customer, p=last: candidate_lines(c, page=p)),
		):
			statements, totals = profile(call, args.repeat)
			whole = statistics.median(totals)
			print(f"\n{label}: {whole:.1f} ms a call (median of {args.repeat})")
			for query, samples in statements:
				ms = statistics.median(samples)
				print(f"  {ms:7.1f} ms {ms / whole:4.0%}  {query[:150]}")
		print()
	frappe.destroy()


if __name__ == "__main__":
	main()
