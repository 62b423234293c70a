"""Fill the app's history tables for every customer, on install and migrate, on a site with years of
history: in batches of customers that commit as they go, with progress output, resumable.

The tables (delivered lines, items bought, open order lines) are copies the app keeps of ERPNext's
documents; each module's `rebuild(customer)` writes one customer's rows again from those documents
(idempotent). Filling them in one statement for a whole site is one transaction over all of its
history: nothing to show meanwhile, and an interruption loses everything. Here the customers are
taken in name order, in batches of about `batch_lines` document lines; after each batch the rows and
a marker (the table and the last customer done, a global default) are committed together, and a
line of progress is printed (customers and lines done, time spent, time left). A fill that is
interrupted (a killed `install-app` or `migrate`) starts again after the marked customer: run the
same command again. The customers already done are kept current meanwhile by the documents' own
hooks (hooks.py doc_events), as after a full fill.

    bench --site S execute rma_portal.services.history.fill.fill_all
"""

import time
from collections.abc import Callable

import frappe

from rma_portal.services.history import delivered_lines, open_order_lines, purchased_items

BATCH_LINES = 20_000
MARKER = "rma_portal_history_fill:{table}"
DONE = "__done__"  # a table's marker once it is complete and others of the same fill_all are not

# The document lines each customer's rows are made from, per customer: the batches' sizes and the
# progress figures
_DELIVERY_LINES = """select dn.customer, count(*) from `tabDelivery Note Item` dni
	join `tabDelivery Note` dn on dn.name = dni.parent and dni.parenttype = 'Delivery Note'
	where dn.docstatus = 1 and dn.is_return = 0 group by dn.customer"""
_INVOICE_LINES = """select si.customer, count(*) from `tabSales Invoice Item` sii
	join `tabSales Invoice` si on si.name = sii.parent and sii.parenttype = 'Sales Invoice'
	where si.docstatus = 1 and si.is_return = 0 group by si.customer"""
_ORDER_LINES = """select so.customer, count(*) from `tabSales Order Item` soi
	join `tabSales Order` so on so.name = soi.parent and soi.parenttype = 'Sales Order'
	where so.docstatus = 1 group by so.customer"""

# table key -> (module with rebuild(customer) and DOCTYPE, what its rows are, its source lines)
TABLES = {
	"delivered_lines": (delivered_lines, "delivered lines", (_DELIVERY_LINES,)),
	"purchased_items": (purchased_items, "items bought", (_DELIVERY_LINES, _INVOICE_LINES)),
	"open_order_lines": (open_order_lines, "open order lines", (_ORDER_LINES,)),
}


def fill_all(
	batch_lines: int = BATCH_LINES,
	progress: Callable[[str], None] | None = None,
	after_batch: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
	"""Fill every table (install-app); resumes an interrupted fill. Rows per table."""
	rows = {}
	for table in TABLES:
		rows[table] = fill_table(table, batch_lines, progress, after_batch, keep_done=True)
	forget_markers()
	frappe.db.commit()
	return rows


def forget_markers():
	"""Drop the markers of an unfinished fill (uninstall: nothing of the app stays behind)."""
	for table in TABLES:
		frappe.db.set_global(MARKER.format(table=table), None)


def fill_table(
	table: str,
	batch_lines: int = BATCH_LINES,
	progress: Callable[[str], None] | None = None,
	after_batch: Callable[[str, int], None] | None = None,
	keep_done: bool = False,
) -> int:
	"""Fill one table for every customer in batches (a migrate patch); resumes after the marked
	customer. `after_batch(table, batches done)` runs after each commit. The rows now there."""
	module, _what, sources = TABLES[table]
	say = progress or _print
	marker = MARKER.format(table=table)
	after = frappe.db.get_global(marker)
	if after != DONE:
		lines = _lines_per_customer(sources, module.DOCTYPE)
		_fill_customers(table, lines, after, batch_lines, say, after_batch)
		frappe.db.set_global(marker, DONE if keep_done else None)
		frappe.db.commit()
	return frappe.db.count(module.DOCTYPE)


def _fill_customers(table, lines: dict[str, int], after, batch_lines, say, after_batch):
	module, what, _sources = TABLES[table]
	customers = sorted(lines)
	todo = [customer for customer in customers if after is None or customer > after]
	clock = Progress(what, len(customers), sum(lines.values()), say)
	done = customers[: len(customers) - len(todo)]
	clock.skip(len(done), sum(lines[customer] for customer in done))
	clock.start(resumed_after=after)
	for number, batch in enumerate(_batches(todo, lines, batch_lines), start=1):
		for customer in batch:
			module.rebuild(customer)
		frappe.db.set_global(MARKER.format(table=table), batch[-1])
		frappe.db.commit()
		clock.done(len(batch), sum(lines[c] for c in batch))
		if after_batch:
			after_batch(table, number)


def _lines_per_customer(sources, doctype: str) -> dict[str, int]:
	"""customer -> document lines to read; also the customers with rows but no documents any more
	(their rows go)."""
	lines: dict[str, int] = {}
	for sql in sources:
		for customer, count in frappe.db.sql(sql):  # nosec B608 - fixed statements of this module
			if customer:
				lines[customer] = lines.get(customer, 0) + int(count)
	for customer in frappe.db.sql_list(f"select distinct customer from `tab{doctype}`"):  # nosec B608
		if customer:
			lines.setdefault(customer, 0)
	return lines


def _batches(customers: list[str], lines: dict[str, int], batch_lines: int):
	"""Consecutive customers, about `batch_lines` lines a batch (a larger customer is a batch alone)."""
	batch, size = [], 0
	for customer in customers:
		batch.append(customer)
		size += lines[customer]
		if size >= batch_lines:
			yield batch
			batch, size = [], 0
	if batch:
		yield batch


class Progress:
	"""Customers and lines done of one table, the time spent and the time left, one line a batch."""

	def __init__(self, what: str, customers: int, lines: int, say: Callable[[str], None]):
		self.what, self.customers, self.lines, self.say = what, customers, lines, say
		self.customers_done = self.lines_done = self.lines_skipped = 0
		self.started = time.monotonic()

	def skip(self, customers: int, lines: int):
		self.customers_done, self.lines_done, self.lines_skipped = customers, lines, lines

	def start(self, resumed_after: str | None):
		again = f", resumed after {resumed_after}" if resumed_after else ""
		self.say(f"Filling {self.what}: {self.customers:,} customers, {self.lines:,} document lines{again}")
		self.started = time.monotonic()

	def done(self, customers: int, lines: int):
		self.customers_done += customers
		self.lines_done += lines
		spent = time.monotonic() - self.started
		made = self.lines_done - self.lines_skipped
		left = spent / made * (self.lines - self.lines_done) if made else 0.0
		self.say(
			f"  {self.what}: {self.customers_done:,}/{self.customers:,} customers, "
			f"{self.lines_done:,}/{self.lines:,} lines, {duration(spent)} spent, about {duration(left)} left"
		)


def duration(seconds: float) -> str:
	seconds = round(seconds)
	if seconds < 60:
		return f"{seconds} s"
	if seconds < 3600:
		return f"{seconds // 60} min {seconds % 60:02d} s"
	return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def _print(message: str):
	print(message, flush=True)
