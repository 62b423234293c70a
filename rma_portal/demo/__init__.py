"""Demo data for a fresh site, the tests and the benchmarks.

    bench --site S execute rma_portal.demo.make_demo --kwargs '{"orders": 60}'

`orders` is per the main demo customer ("Demo Dealer"); benchmarks ask for more
(lines per order are capped by the 12 demo items: orders=2300, max_lines=20 gives about 20,000).
"""

import frappe

from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD


def make_demo(
	orders: int = 60, max_lines: int = 8, second_customer_orders: int = 6, with_requests: bool = True
) -> dict:
	from rma_portal.demo import data
	from rma_portal.demo.mailbox import make_outgoing_account

	mail_problem = make_outgoing_account()  # before muting: Frappe checks the account's connection
	frappe.flags.mute_emails = True
	masters = data.make_masters()
	made = data.make_history("Demo Dealer", int(orders), masters, max_lines=int(max_lines))
	data.make_history("Second Dealer", int(second_customer_orders), masters, max_lines=4)
	for customer in CUSTOMERS:
		data.settle_history(customer)
	data.make_earlier_return("Demo Dealer")
	from rma_portal.demo import books

	books.make_tracked_history("Demo Dealer", masters)  # serial- and batch-numbered sales
	books.make_usd_customer(masters)
	books.make_second_company("Demo Dealer")
	frappe.db.commit()
	from rma_portal.demo.portal import make_portal_demo

	make_portal_demo(list(CUSTOMERS), masters["company"])
	from rma_portal.demo.customer_pages import make_customer_pages_demo

	make_customer_pages_demo(list(CUSTOMERS), masters["company"])
	if with_requests:
		from rma_portal.demo.requests import make_demo_requests

		make_demo_requests("Demo Dealer", CUSTOMERS["Demo Dealer"][0])
		from rma_portal.demo.account_requests import make_demo_account_requests

		make_demo_account_requests("Demo Dealer", CUSTOMERS["Demo Dealer"][0])
	return {"company": masters["company"], "orders_made": made, "mail_problem": mail_problem}


def print_logins() -> str:
	from rma_portal.demo.books import USD_CUSTOMER

	lines = [
		f"  Portal:   {email} / {DEMO_PASSWORD}   (customer {customer})"
		for customer, (email, *_n) in CUSTOMERS.items()
	]
	lines.append(
		f"  Portal:   {USD_CUSTOMER[1]} / {DEMO_PASSWORD}   (customer {USD_CUSTOMER[0]}, invoiced in USD)"
	)
	return "\n".join(lines)
