"""Benchmark: what the RMA Approval Rules add to sending a 50-line RMA (issue 24: at most 5 ms).

For the benchmark customer (`bench --site S rma-bench-data --lines 20000`: "Bench Dealer 20k"), with
RULES rules that read every fact a rule can (item group, brand, serial numbers, customer group, values,
days since delivery) and none of which matches, so every rule is tried on every line (the worst case;
the request is then approved as without rules):

- the decision alone (services/policy/approval.decide_new_rma on the 50-line RMA before its insert),
  which is all the rules add to sending;
- sending the whole 50-line RMA (services.returns.create_return_rma) without rules and with them.

Everything made here is rolled back. Run with the bench's Python, as the bench user, from the bench's
sites/ folder:

    sudo -u frappe ../env/bin/python /path/to/rma_portal/benchmarks/approval_rules.py --site rma.localhost

Prints a Markdown section for benchmarks/RESULTS.md.
"""

import os
import statistics
import time

import frappe
from bench_site import connect, send_return, site_parser

LINES = 50
RULES = 12
TARGET_MS = 5.0


def timed(fn, repeat: int) -> list[float]:
	"""Wall times in ms; what `fn` writes is rolled back after each run."""
	samples = []
	for _ in range(repeat):
		frappe.db.savepoint("bench_rules")
		start = time.perf_counter()
		fn()
		samples.append((time.perf_counter() - start) * 1000)
		frappe.db.rollback(save_point="bench_rules")
	return samples


def candidate_rows(customer: str) -> list[dict]:
	from rma_portal.services.returns.returns import candidate_lines

	rows = [r for r in candidate_lines(customer, page_size=100)["rows"] if r["qty_returnable"] >= 1][:LINES]
	assert len(rows) == LINES, f"{customer} has fewer than {LINES} returnable lines on its first page"
	return rows


def make_rules(reason: str) -> None:
	"""RULES enabled rules reading every fact, none matching this customer's requests."""
	leaf_group = frappe.db.get_value("Item Group", {"is_group": 0}, "name", order_by="lft desc")
	other_group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name", order_by="lft desc")
	for n in range(RULES):
		frappe.get_doc(
			{
				"doctype": "RMA Approval Rule",
				"rule_name": f"Bench rule {n:02d}",
				"priority": n,
				"outcome": "Decline" if n % 2 else "Review",
				"decline_message": "Benchmark",
				"return_reason": reason,
				"item_group": leaf_group,
				"brand": None,
				"serial_required": "Yes",  # the benchmark items have no serial numbers: never holds
				"customer_group": other_group if n % 3 == 0 else None,
				"min_line_value": 0.01,
				"max_days_since_delivery": 10_000,
			}
		).insert(ignore_permissions=True)


def new_rma(customer: str, user: str, rows: list[dict], reason: str):
	"""The 50-line RMA as sending builds it, not inserted."""
	return frappe.get_doc(
		{
			"doctype": "RMA",
			"kind": "Return",
			"status": "Expected",
			"customer": customer,
			"company": frappe.defaults.get_global_default("company"),
			"submitted_on": frappe.utils.now_datetime(),
			"portal_user": user,
			"status_log": [{"status": "Expected"}],
			"items": [
				{
					"item_code": row["item_code"],
					"qty_requested": 1,
					"rate": row["rate"],
					"return_reason": reason,
					"delivery_date": row["delivery_date"],
				}
				for row in rows
			],
		}
	)


def main():
	parser = site_parser("Bench Dealer 20k")
	parser.add_argument("--repeat", type=int, default=7)
	args = parser.parse_args()
	connect(args.site)
	frappe.flags.mute_emails = True
	from rma_portal.services.policy import approval

	user = frappe.db.get_value("Portal User", {"parent": args.customer, "parenttype": "Customer"}, "user")
	reason = frappe.db.get_value("RMA Return Reason", {"enabled": 1})
	rows = candidate_rows(args.customer)
	history = frappe.db.count("RMA Delivered Line", {"customer": args.customer})

	def send():
		send_return(args.customer, user, rows, reason)

	frappe.db.savepoint("bench_no_rules")
	frappe.db.delete("RMA Approval Rule")
	approval.clear_rules_cache()
	send_without = timed(send, args.repeat)
	rma = new_rma(args.customer, user, rows, reason)  # built once: building it is not the decision
	decide_without = timed(lambda: approval.decide_new_rma(rma), 30)
	make_rules(reason)
	assert approval.decide_new_rma(rma).rule is None, "a benchmark rule matched"
	decide_with = timed(lambda: approval.decide_new_rma(rma), 30)
	send_with = timed(send, args.repeat)
	frappe.db.rollback(save_point="bench_no_rules")
	frappe.db.rollback()
	approval.clear_rules_cache()  # the benchmark's rules are gone with the rollback
	frappe.destroy()

	added = statistics.median(decide_with)  # all of it is new: without rules it is one query
	load = "{:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())
	print(
		f"### RMA Approval Rules ({args.customer}, {history:,} delivered lines; in-process, rolled back; load {load})"
	)
	print()
	print("| measured | median ms | runs ms |")
	print("| --- | ---: | --- |")
	for label, samples in (
		(f"decide a {LINES}-line request, no rules", decide_without),
		(f"decide a {LINES}-line request, {RULES} rules tried on every line", decide_with),
		(f"send a {LINES}-line RMA, no rules", send_without),
		(f"send a {LINES}-line RMA, {RULES} rules", send_with),
	):
		runs = ", ".join(f"{s:.1f}" for s in samples[:10])
		print(f"| {label} | {statistics.median(samples):,.1f} | {runs} |")
	verdict = "yes" if added <= TARGET_MS else "**no**"
	print()
	print(f"The rules add {added:.1f} ms to sending (target ≤ {TARGET_MS:g} ms): {verdict}.")


if __name__ == "__main__":
	main()
