"""Benchmark: the "new return" candidates page and sending an RMA, on a large order history.

Run with the bench's Python, as the bench user, from the bench's sites/ folder:

    cd /opt/frappe-bench/sites
    sudo -u frappe ../env/bin/python /path/to/rma_portal/benchmarks/candidates.py \
        --site rma.localhost --orders 1000 --max-lines 20

The first run builds the history for the customer "Bench Dealer" with ERPNext documents;
later runs reuse it. Lines per order are capped by the 12 demo items (about 9 a order on
average): 150 orders gave 1,345 lines in 2 minutes; 2,300 orders give about 20,000. Targets: a candidates page (filtered or not, any page) under 300 ms,
sending a 5-line RMA under 1 s. The RMA is rolled back, so runs can repeat.
"""

import argparse
import statistics
import time

import frappe
from bench_site import send_return

TARGET_PAGE_MS = 300
TARGET_SUBMIT_MS = 1000


def timed(fn, repeat=5):
	samples = []
	for _ in range(repeat):
		start = time.perf_counter()
		result = fn()
		samples.append((time.perf_counter() - start) * 1000)
	return result, statistics.median(samples)


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="rma.localhost")
	parser.add_argument("--orders", type=int, default=1000)
	parser.add_argument("--max-lines", type=int, default=20)
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	from rma_portal.demo import data
	from rma_portal.services.returns.returns import candidate_lines

	masters = data.make_masters()
	customer = "Bench Dealer"
	user = data.make_customer(customer, "bench@demo.example", "Ben", "Bench")
	made = data.make_history(customer, args.orders, masters, max_lines=args.max_lines, seed=11)
	print(f"history: {made} orders made now")

	first, ms = timed(lambda: candidate_lines(customer, page=1))
	print(f"lines in window: {first['total']}")
	results = {"page 1": ms}
	last_page = max(1, (first["total"] + 19) // 20)
	results[f"page {last_page}"] = timed(lambda: candidate_lines(customer, page=last_page))[1]
	results["filter item_code"] = timed(lambda: candidate_lines(customer, filters={"item_code": "LED"}))[1]
	results["filter qty_returnable=2"] = timed(
		lambda: candidate_lines(customer, filters={"qty_returnable": "2"})
	)[1]

	lines = [row for row in first["rows"] if row["qty_returnable"] >= 1][:5]
	reason = frappe.db.get_value("RMA Return Reason", {"enabled": 1})
	frappe.db.savepoint("bench")
	start = time.perf_counter()
	send_return(customer, user, lines, reason)
	submit_ms = (time.perf_counter() - start) * 1000
	frappe.db.rollback(save_point="bench")

	failed = False
	for name, value in results.items():
		ok = value <= TARGET_PAGE_MS
		failed |= not ok
		print(f"{name:28} {value:8.1f} ms  (target {TARGET_PAGE_MS} ms) {'ok' if ok else 'SLOW'}")
	ok = submit_ms <= TARGET_SUBMIT_MS
	failed |= not ok
	print(
		f"{'send a 5-line RMA':28} {submit_ms:8.1f} ms  (target {TARGET_SUBMIT_MS} ms) {'ok' if ok else 'SLOW'}"
	)
	frappe.destroy()
	raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
	main()
