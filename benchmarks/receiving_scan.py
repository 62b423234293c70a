"""Benchmark: server time per scan on the desk page RMA Receiving, at a large history.

Run with the bench's Python, as the bench user, from the bench's sites/ folder, after
`bench --site S rma-bench-data --lines 200000` made the customer "Bench Dealer 200k":

    cd /opt/frappe-bench/sites
    sudo -u frappe ../env/bin/python /path/to/rma_portal/benchmarks/receiving_scan.py --site S \
        --customer "Bench Dealer 200k"

Takes an Expected return RMA of the customer and times the page's server methods in-process (as
the web worker runs them once the request is parsed; api/receiving.py as the RMA Manager calls it):
- the label (open_parcel): the RMA with its lines, what is expected and what was booked before;
- an item scan that counts (the item's EAN, else its code);
- an unknown code ("not on the RMA");
- a serial scan (the line awaiting its serial): is the serial in another open request, one index
  lookup in the requested serials (RMA Requested Serial, one row per serial an open RMA names).
Nothing is written (a scan books nothing). Target: each scan <= 50 ms (median and p95).
"""

import statistics
import time

import frappe
from bench_site import connect, site_parser
from frappe.database import database

TARGET_MS = 50


def _count_queries():
	"""Counts the SQL statements each call makes (Database.sql wrapped once)."""
	original = database.Database.sql
	counter = {"n": 0}

	def counting(self, *args, **kwargs):
		counter["n"] += 1
		return original(self, *args, **kwargs)

	database.Database.sql = counting
	return counter


def _rma_of(customer: str) -> str:
	"""An Expected return RMA of the customer, the one with the most lines."""
	rows = frappe.db.sql(
		"""select r.name from `tabRMA` r join `tabRMA Item` ri on ri.parent = r.name and ri.parenttype = 'RMA'
		where r.customer = %s and r.status = 'Expected' and r.kind = 'Return'
		group by r.name order by count(*) desc, r.name limit 1""",
		customer,
	)
	if not rows:
		raise SystemExit(f"{customer} has no Expected return RMA: make it with bench rma-bench-data")
	return rows[0][0]


def _sizes(customer: str) -> dict:
	return {
		"delivered lines": frappe.db.sql(
			"""select count(*) from `tabDelivery Note Item` dni join `tabDelivery Note` dn on dn.name = dni.parent
			where dn.customer = %s and dn.docstatus = 1 and dn.is_return = 0""",
			customer,
		)[0][0],
		"RMAs (all customers)": frappe.db.count("RMA"),
		"open RMA lines (all customers)": frappe.db.sql(
			"""select count(*) from `tabRMA Item` ri join `tabRMA` r on r.name = ri.parent
			where r.status in ('Draft', 'Requested', 'Expected', 'Received')"""
		)[0][0],
		"requested serials (all customers)": frappe.db.count("RMA Requested Serial"),
	}


def _time(call, rounds: int, counter: dict) -> tuple[list, int]:
	samples, queries = [], 0
	for _round in range(rounds):
		counter["n"] = 0
		start = time.perf_counter()
		call()
		samples.append((time.perf_counter() - start) * 1000)
		queries = counter["n"]
		frappe.db.rollback()
	return samples, queries


def main():
	parser = site_parser("Bench Dealer 200k")
	parser.add_argument("--rounds", type=int, default=50)
	args = parser.parse_args()
	connect(args.site)
	from rma_portal.api import receiving as api

	rma = _rma_of(args.customer)
	line = frappe.get_doc("RMA", rma).items[0]
	ean = frappe.db.get_value("Item Barcode", {"parent": line.item_code}, "barcode") or line.item_code
	calls = {
		"label (open_parcel)": lambda: api.open_parcel(rma),
		"item scan, counted": lambda: api.scan(rma, ean, counts={}),
		"unknown code, refused": lambda: api.scan(rma, "0000000000017", counts={}),
		"serial scan (open requests)": lambda: api.scan(rma, "BENCH-SN-1", counts={}, awaiting=line.name),
	}
	print(
		f"site {args.site}, customer {args.customer}, RMA {rma} ({len(frappe.get_doc('RMA', rma).items)} lines)"
	)
	for label, size in _sizes(args.customer).items():
		print(f"  {label}: {size:,}")
	for call in calls.values():  # warm the caches (DocType meta, translations) once
		call()
	counter = _count_queries()
	for label, call in calls.items():
		samples, queries = _time(call, args.rounds, counter)
		median = statistics.median(samples)
		p95 = sorted(samples)[int(0.95 * (len(samples) - 1))]
		verdict = "ok" if p95 <= TARGET_MS else "SLOW"
		print(
			f"{label:30} median {median:6.1f} ms  p95 {p95:6.1f} ms  {queries:2d} queries  "
			f"({args.rounds} runs; target {TARGET_MS} ms) {verdict}"
		)
	frappe.destroy()


if __name__ == "__main__":
	main()
