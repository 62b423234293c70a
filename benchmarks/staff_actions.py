"""Benchmark: the staff actions on a received return, server time without the browser.

Run with the bench's Python, as the bench user, from the bench's sites/ folder:

    cd /opt/frappe-bench/sites
    sudo -u frappe ../env/bin/python /path/to/rma_portal/benchmarks/staff_actions.py --site rma.localhost

Each round sells 5 items (sales order, delivery, invoice; committed, not timed), requests a
5-line RMA, then times Receive (5 lines, with ERPNext's Delivery Note return putting the goods
back into stock) and Make Credit Note (one Sales Invoice return with the fee). Both are rolled back
after timing, so runs can repeat. Targets: receive <= 0.5 s, 5-line credit note <= 2 s.
"""

import argparse
import statistics
import time

import frappe

TARGET_RECEIVE_MS = 500
TARGET_CREDIT_MS = 2000


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="rma.localhost")
	parser.add_argument("--rounds", type=int, default=7)
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	# the integration tests' helpers make their own items, customer and sales
	from rma_portal.rma_portal.doctype.rma import test_rma as data
	from rma_portal.services.returns import credit_note, lifecycle, returns

	data.prepare_returns_data()
	customer, user = data._make_customer("Bench Staff Dealer")
	frappe.db.commit()

	receive_ms, credit_ms = [], []
	for _round in range(args.rounds):
		sale = data._sell(customer, [(code, 4, 10.0) for code in data.ITEMS[:5]])
		name = returns.create_return_rma(
			customer,
			user,
			[{"delivery_note_item": row.name, "qty": 2} for row in sale.dn.items],
			return_reason=data.REASON,
			terms_accepted=True,
		)
		frappe.db.commit()
		rows = frappe.get_doc("RMA", name).items
		start = time.perf_counter()
		lifecycle.receive(name, {row.name: 2 for row in rows}, {row.name: "Credit" for row in rows})
		receive_ms.append((time.perf_counter() - start) * 1000)
		start = time.perf_counter()
		credit_note.make_credit_note(name)
		credit_ms.append((time.perf_counter() - start) * 1000)
		frappe.db.rollback()

	for label, samples, target in (
		("receive, 5 lines", receive_ms, TARGET_RECEIVE_MS),
		("credit note, 5 lines", credit_ms, TARGET_CREDIT_MS),
	):
		median = statistics.median(samples)
		verdict = "ok" if median <= target else "SLOW"
		print(
			f"{label:24} median {median:7.0f} ms  (runs: {', '.join(f'{s:.0f}' for s in samples)}; target {target} ms) {verdict}"
		)
	frappe.destroy()


if __name__ == "__main__":
	main()
