"""Benchmark: what a user or a clerk waits for on the server, beside ERPNext's own equivalent.

- sending a 50-line RMA (services.returns.create_return_rma) against saving and submitting a
  50-line Sales Order (ERPNext), for the 20,000-line benchmark customer (`bench rma-bench-data`);
- the RMA's documents PDF (return form + label) against ERPNext's standard Sales Invoice PDF;
- then, when a worker runs, benchmarks/staff_actions.py (receive and credit 5 lines) and
  benchmarks/service_import.py (two 30-row CSV imports back to back), whose output is quoted.
  (scripts/bench adds benchmarks/service_import_browser.py: a 30-row import as the user sees it.)

Everything made here is rolled back. Run with the bench's Python, as the bench user, from the
bench's sites/ folder (scripts/bench --in-process does it):

    sudo -u frappe ../env/bin/python /path/to/rma_portal/benchmarks/actions.py --site rma.localhost

Prints a Markdown section for benchmarks/RESULTS.md.
"""

import argparse
import os
import statistics
import subprocess  # nosec B404: runs this folder's own benchmark scripts
import sys
import time

import frappe
from bench_site import send_return

LINES = 50
TARGET_RMA_VS_ORDER = 2.0
TARGET_PDF_VS_INVOICE = 1.0


def timed(fn, repeat, undo=True):
	"""Wall times in ms; what `fn` writes is rolled back after each run when `undo`."""
	samples = []
	for _ in range(repeat):
		if undo:
			frappe.db.savepoint("bench_action")
		start = time.perf_counter()
		fn()
		samples.append((time.perf_counter() - start) * 1000)
		if undo:
			frappe.db.rollback(save_point="bench_action")
	return samples


def fifty_line_rma(customer, user):
	from rma_portal.services.returns.returns import candidate_lines

	rows = [r for r in candidate_lines(customer, page_size=100)["rows"] if r["qty_returnable"] >= 1][:LINES]
	reason = frappe.db.get_value("RMA Return Reason", {"enabled": 1})
	assert len(rows) == LINES, f"{customer} has fewer than {LINES} returnable lines on its first page"

	def send():
		send_return(customer, user, rows, reason)

	return send


def fifty_line_order(customer):
	from rma_portal.demo.data import ITEMS

	company = frappe.defaults.get_global_default("company")
	warehouse = frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 0, "name": ["like", "Stores%"]}
	)
	prices = {code: price for code, _name, _brand, price in ITEMS}
	codes = list(prices)
	# 50 lines of the 12 demo items: ERPNext refuses an item twice unless Selling Settings allow it.
	# Set once, outside the timed runs (main rolls it back after them).
	frappe.db.set_single_value("Selling Settings", "allow_multiple_items", 1)

	def save_and_submit():
		so = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": customer,
				"company": company,
				"transaction_date": frappe.utils.today(),
				"delivery_date": frappe.utils.add_days(frappe.utils.today(), 5),
				"set_warehouse": warehouse,
				"items": [
					{
						"item_code": codes[n % len(codes)],
						"qty": 1 + n % 3,
						"rate": prices[codes[n % len(codes)]],
					}
					for n in range(LINES)
				],
			}
		)
		so.insert()
		so.submit()

	return save_and_submit


def pdfs(customer):
	from rma_portal.services.returns.documents import build_documents_pdf

	rma = frappe.get_all("RMA", {"customer": customer, "kind": "Return"}, pluck="name", limit=1)[0]
	invoice = frappe.get_all(
		"Sales Invoice", {"customer": customer, "docstatus": 1, "is_return": 0}, pluck="name", limit=1
	)[0]
	return (
		lambda: build_documents_pdf(frappe.get_doc("RMA", rma)),
		lambda: frappe.get_print("Sales Invoice", invoice, as_pdf=True),
		rma,
		invoice,
	)


def other_script(name, site):
	path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
	started = time.perf_counter()
	done = subprocess.run(  # nosec B603: this folder's script, the bench's Python
		[sys.executable, path, "--site", site], capture_output=True, text=True, timeout=900
	)
	out = (
		done.stdout + ("\n" + done.stderr.strip().splitlines()[-1] if done.returncode and done.stderr else "")
	).strip()
	return f"`benchmarks/{name}` ({time.perf_counter() - started:.0f} s, exit {done.returncode}):\n\n```\n{out}\n```"


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="rma.localhost")
	parser.add_argument("--customer", default="Bench Dealer 20k")
	parser.add_argument("--repeat", type=int, default=5)
	parser.add_argument(
		"--url",
		help="the running site (wkhtmltopdf fetches a print's styles and images from it; without a "
		"request, Frappe would send it to the site's name, which may not resolve)",
	)
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	if args.url:
		frappe.conf.host_name = args.url
	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
	user = frappe.db.get_value("Portal User", {"parent": args.customer, "parenttype": "Customer"}, "user")

	rma_ms = timed(fifty_line_rma(args.customer, user), args.repeat)
	order_ms = timed(fifty_line_order(args.customer), args.repeat)
	frappe.db.rollback()  # the Selling Settings change, before the PDFs' commits could keep it
	rma_pdf, invoice_pdf, rma, invoice = pdfs(args.customer)
	# Frappe's print commits (its print log); the PDFs write nothing of their own
	rma_pdf_ms = timed(rma_pdf, args.repeat, undo=False)
	invoice_pdf_ms = timed(invoice_pdf, args.repeat, undo=False)
	frappe.db.rollback()
	frappe.destroy()

	def row(label, samples, other, target, other_label):
		ratio = statistics.median(samples) / statistics.median(other)
		verdict = "yes" if ratio <= target else "**no**"
		return (
			f"| {label} | {statistics.median(samples):,.0f} | {', '.join(f'{s:.0f}' for s in samples)} | "
			f"{ratio:.2f}x {other_label} (target ≤ {target}) | {verdict} |"
		)

	load = "{:.2f} / {:.2f} / {:.2f}".format(*os.getloadavg())
	print(f"### Server-side actions ({args.customer}, in-process, rolled back; load {load})")
	print()
	print("| action | median ms | runs ms | ratio | holds |")
	print("| --- | ---: | --- | --- | --- |")
	print(row(f"send a {LINES}-line RMA", rma_ms, order_ms, TARGET_RMA_VS_ORDER, "the Sales Order"))
	print(
		f"| save + submit a {LINES}-line Sales Order (ERPNext) | {statistics.median(order_ms):,.0f} | "
		f"{', '.join(f'{s:.0f}' for s in order_ms)} | | |"
	)
	print(
		row(
			f"RMA documents PDF ({rma})", rma_pdf_ms, invoice_pdf_ms, TARGET_PDF_VS_INVOICE, "the invoice PDF"
		)
	)
	print(
		f"| Sales Invoice PDF, standard print format ({invoice}) | {statistics.median(invoice_pdf_ms):,.0f} | "
		f"{', '.join(f'{s:.0f}' for s in invoice_pdf_ms)} | | |"
	)
	print()
	print(other_script("staff_actions.py", args.site))
	print()
	print(other_script("service_import.py", args.site))


if __name__ == "__main__":
	main()
