"""Records the integration tests make, written once: the company, items, a submitted sales invoice, a
service request's line; and the DocTypes our DocType tests keep Frappe's runner from building other
apps' "_Test" records for."""

import threading
import uuid
from contextlib import contextmanager

import frappe
from frappe.utils import add_days, now_datetime


def linked_doctypes(doctype: str) -> list[str]:
	"""Every DocType that `doctype` and its child tables link to.

	A DocType test module lists these as `test_ignore`: our tests make the data they need, and Frappe
	would otherwise build ERPNext's "_Test ..." records for each link, recursively (minutes, and apps
	we do not require). Computed from the meta, so a new link field is covered without an edit.
	"""
	meta = frappe.get_meta(doctype)
	links = {df.options for df in meta.get_link_fields()}
	for table in meta.get_table_fields():
		links |= {df.options for df in frappe.get_meta(table.options).get_link_fields()}
	return sorted(links - {doctype})


def company() -> str:
	"""The site's default company (the demo's), else the first one."""
	return frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")


def make_item(code: str, stock: bool = False, serial: bool = False, valuation_rate: float | None = None):
	"""A sales item `code` (kept when it exists); a serial item is a stock item."""
	if frappe.db.exists("Item", code):
		return
	item = {
		"doctype": "Item",
		"item_code": code,
		"item_name": f"Test item {code}",
		"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
		"stock_uom": "Nos",
		"is_stock_item": 1 if stock or serial else 0,
		"has_serial_no": 1 if serial else 0,
		"is_sales_item": 1,
	}
	if valuation_rate is not None:
		item["valuation_rate"] = valuation_rate
	frappe.get_doc(item).insert(ignore_permissions=True)


def submitted_invoice(customer: str, item_code: str, posting_date, qty: float = 1, rate: float = 10) -> str:
	"""A submitted Sales Invoice of one line, dated `posting_date` (due 30 days later): a purchase."""
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": company(),
			"posting_date": posting_date,
			"set_posting_time": 1,
			"due_date": add_days(posting_date, 30),
			"items": [{"item_code": item_code, "qty": qty, "rate": rate}],
		}
	)
	invoice.set_missing_values()
	invoice.payment_schedule = []
	invoice.insert(ignore_permissions=True)
	invoice.submit()
	return invoice.name


def service_line(ean: str, purchase_date, fault_type: str = "", /, **values) -> dict:
	"""One line of a service request as the portal's form sends it: one unit to repair; `values`
	replace any of its fields (the EAN, the date and the fault type too)."""
	line = {
		"ean": ean,
		"qty": 1,
		"serial_no": "",
		"purchase_date": str(purchase_date),
		"problem_description": "Stops after a minute",
		"service_expectation": "Repair",
		"fault_type": fault_type,
	}
	line.update(values)
	return line


def new_service_rma(number: str, customer: str, portal_user: str, company: str, **fields):
	"""A service RMA (Expected) of `customer` raised by `portal_user`, named RMA/<number>/2026 with a
	random part (e.g. number "8{}/MEMBERS"), not yet written: the caller adds its lines and writes it
	straight into the tables (who sees it is the point, not how it is made)."""
	rma = frappe.new_doc("RMA")
	rma.name = "RMA/" + number.format(f"{uuid.uuid4().int % 10000:04d}") + "/2026"
	rma.update(
		{
			"kind": "Service",
			"status": "Expected",
			"customer": customer,
			"customer_name": customer,
			"company": company,
			"portal_user": portal_user,
			"submitted_on": now_datetime(),
			**fields,
		}
	)
	return rma


def submitted(values: dict, fill: bool = False) -> str:
	"""A document made from `values`, inserted and submitted (`fill`: with ERPNext's missing values
	set first, as its form does); its name."""
	doc = frappe.get_doc(values)
	if fill:
		doc.set_missing_values()
	doc.insert(ignore_permissions=True)
	doc.submit()
	return doc.name


def insert_rows(doctype: str, rows: list[dict]):
	"""`rows` (dicts with the same keys) written straight into `doctype`'s table: no hooks, no
	validation, for tests that need many rows fast (and roll them back)."""
	frappe.db.bulk_insert(doctype, list(rows[0]), [tuple(row.values()) for row in rows])


def item_row(parent: str, parenttype: str, idx: int, when, **values) -> dict:
	"""A submitted document's line `idx` for insert_rows: named after its parent, in `items`."""
	return {
		"name": f"{parent}-{idx}",
		"parent": parent,
		"parenttype": parenttype,
		"parentfield": "items",
		"idx": idx,
		**values,
		"docstatus": 1,
		"creation": when,
		"modified": when,
	}


def count_queries(fn) -> int:
	"""How many SQL queries calling `fn` runs (frappe.db.sql counted while it runs)."""
	queries = []
	original = frappe.db.__class__.sql

	def counted(*args, **kwargs):
		queries.append(1)
		return original(*args, **kwargs)

	frappe.db.__class__.sql = counted
	try:
		fn()
	finally:
		frappe.db.__class__.sql = original
	return len(queries)


@contextmanager
def queries_asked():
	"""The SQL texts run inside the block (white space folded), in a list filled as they run."""
	asked, sql = [], frappe.db.sql

	def counted(query, *args, **kwargs):
		asked.append(" ".join(str(query).split()))
		return sql(query, *args, **kwargs)

	frappe.db.sql = counted
	try:
		yield asked
	finally:
		del frappe.db.sql


def in_connections(*targets, together: bool = False) -> list:
	"""Each of `targets` called at once in a thread with a database connection of its own (as
	simultaneous requests are), as Administrator, then committed, or rolled back with the exception
	as its result; released together by a barrier when `together`. The results in their order."""
	site, sites_path = frappe.local.site, frappe.local.sites_path
	results = [None] * len(targets)
	barrier = threading.Barrier(len(targets))

	def run(index, target):
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.flags.in_test = True
		frappe.set_user("Administrator")
		try:
			if together:
				barrier.wait(30)
			results[index] = target()
			frappe.db.commit()
		except Exception as e:
			frappe.db.rollback()
			results[index] = e
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run, args=(n, target)) for n, target in enumerate(targets)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(90)
	return results
