"""bench commands of the app (Frappe collects `commands` from `<app>.commands`).

    bench --site S rma-demo [--orders 60] [--max-lines 8]
    bench --site S rma-bench-data [--lines 2000 --lines 20000 ...]   (benchmark customers)
    bench --site S rma-bench-data --lines 2000 --customers 10 --users 5   (load-test customers)

Unlike `bench execute`, a failure prints its own traceback (execute retries the call through
eval and reports that attempt's NameError instead) and exits non-zero.
"""

import click
import frappe
from frappe.commands import get_site, pass_context


@click.command("rma-demo")
@click.option("--orders", default=60, show_default=True, help="Sales orders of the main demo customer")
@click.option("--max-lines", default=8, show_default=True, help="At most this many lines an order")
@click.option("--second-customer-orders", default=6, show_default=True)
@click.option("--without-requests", is_flag=True, help="No demo RMAs")
@pass_context
def rma_demo(context, orders, max_lines, second_customer_orders, without_requests):
	"""Load rma_portal's demo data (kept if it exists) and print the portal logins."""
	from rma_portal.demo import make_demo, print_logins

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		result = make_demo(
			orders=orders,
			max_lines=max_lines,
			second_customer_orders=second_customer_orders,
			with_requests=not without_requests,
		)
		click.echo(f"demo data ready: company {result['company']}, {result['orders_made']} new orders")
		if result.get("mail_problem"):
			click.echo(f"warning: {result['mail_problem']} (start it with scripts/mailbox serve)", err=True)
		click.echo(print_logins())
	finally:
		frappe.destroy()


@click.command("rma-bench-data")
@click.option(
	"--lines",
	multiple=True,
	type=int,
	default=[2000, 20000],
	show_default=True,
	help="Delivered lines of one benchmark customer (repeat for several sizes)",
)
@click.option(
	"--customers",
	type=int,
	default=0,
	help="Make this many load-test customers (Load Dealer 01, ...) of the first --lines size instead",
)
@click.option(
	"--users", type=int, default=5, show_default=True, help="Portal users of each load-test customer"
)
@pass_context
def rma_bench_data(context, lines, customers, users):
	"""Benchmark customers with this many delivered lines, cloned from the demo (kept if made)."""
	import json

	from rma_portal.demo.bench_data import make_bench_customer, make_load_customers

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		if customers:
			for made in make_load_customers(customers, lines[0], users):
				click.echo(json.dumps(made))
			return
		for size in lines:
			click.echo(json.dumps(make_bench_customer(size)))
	finally:
		frappe.destroy()


commands = [rma_demo, rma_bench_data]
