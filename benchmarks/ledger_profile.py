"""Profile: what the ledger figures of /portal and /portal/invoices cost per customer size, in-process.

For each benchmark customer (`bench rma-bench-data`): how many Payment Ledger Entries and Sales
Invoices it has, and the median time of each read the pages make, computed from the ledger as every
view did before (services/portal/receivables.py `_summary`, portal_invoices `_invoice_amounts`, the
unpaid page from the ledger's grouping) against the same figures kept between changes
(`receivables.kept`: the two index reads of the change fingerprint and the cache) and the unpaid
page read from ERPNext's outstanding_amount on an index. Run by `scripts/bench --ledger-profile`;
by hand with the bench's Python from the bench's sites/ folder, as the bench user:

    ../env/bin/python /path/to/rma_portal/benchmarks/ledger_profile.py --site rma-bench.localhost \\
        --customer "Bench Dealer 2k" --customer "Bench Dealer 200k"

Reads only. Prints a Markdown table (and writes it to --out's "ledger-profile" section).
"""

import argparse
import os
import statistics
import sys
import time

import frappe

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_bench import write_section

LEDGER_OPEN_INVOICES = """select led.voucher_no from ({ledger}) led
	left join `tabSales Invoice` si on si.name = led.voucher_no
	order by si.posting_date desc, led.voucher_no desc limit 20"""


def timed(fn, repeat):
	times = []
	for _ in range(repeat):
		started = time.perf_counter()
		fn()
		times.append((time.perf_counter() - started) * 1000)
	return statistics.median(times)


def profile(customer: str, repeat: int) -> dict:
	from frappe.utils import getdate, today

	from rma_portal.services.portal import portal_invoices, receivables

	ledger_sql = receivables._LEDGER_SQL.format(where="and ple.against_voucher_type = 'Sales Invoice'")
	on = getdate(today())
	values = {"customer": customer}
	receivables.summary(customer)  # kept from here
	portal_invoices.invoice_amounts(customer)
	return {
		"customer": customer,
		"ledger rows": frappe.db.sql(
			"select count(*) from `tabPayment Ledger Entry` where party_type = 'Customer' and party = %s "
			"and delinked = 0",
			customer,
		)[0][0],
		"invoices": frappe.db.count("Sales Invoice", {"customer": customer, "docstatus": 1}),
		"open invoices": frappe.db.count(
			"Sales Invoice", {"customer": customer, "docstatus": 1, "outstanding_amount": ["!=", 0]}
		),
		"summary from the ledger": timed(lambda: receivables._summary(customer, 8, on), repeat),
		"summary kept": timed(lambda: receivables.summary(customer), repeat),
		"invoice amounts from the invoices": timed(
			lambda: portal_invoices._invoice_amounts(customer), repeat
		),
		"invoice amounts kept": timed(lambda: portal_invoices.invoice_amounts(customer), repeat),
		"unpaid page from the ledger": timed(
			lambda: frappe.db.sql(LEDGER_OPEN_INVOICES.format(ledger=ledger_sql), values), repeat
		),
		"unpaid page from the index": timed(lambda: receivables.open_invoices(customer, 20), repeat),
	}


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--customer", action="append", required=True)
	parser.add_argument("--repeat", type=int, default=15)
	parser.add_argument("--out", help="write the table to this file's ledger-profile section")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		rows = [profile(customer, args.repeat) for customer in args.customer]
	finally:
		frappe.destroy()
	columns = list(rows[0])
	lines = [
		f"In-process, median of {args.repeat} runs each (ms), load average {os.getloadavg()[0]:.2f} at the "
		"end: the ledger figures computed as every view did before `receivables.kept`, and kept.",
		"",
		"| " + " | ".join(columns[1:]) + " | customer |",
		"|" + " ---: |" * (len(columns) - 1) + " --- |",
	]
	for row in rows:
		cells = [f"{row[c]:,.1f}" if isinstance(row[c], float) else f"{row[c]:,}" for c in columns[1:]]
		lines.append("| " + " | ".join(cells) + f" | {row['customer']} |")
	text = "\n".join(lines)
	print(text)
	if args.out:
		write_section(args.out, "ledger-profile", "### Ledger figures, in-process\n\n" + text)


if __name__ == "__main__":
	main()
