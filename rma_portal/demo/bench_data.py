"""Benchmark customers with a large history, made fast by cloning real documents.

    bench --site S rma-bench-data --lines 2000 --lines 20000 [--lines 200000]

Submitting ERPNext documents one by one makes about 60 orders a minute on the 2-core machine
(20,000 delivered lines took 32 minutes). Instead, the seed customer's documents ("Demo Dealer"
of `rma-demo`: sales orders delivered and invoiced through ERPNext's own APIs, paid, unpaid and
overdue invoices, an ERPNext delivery note return, RMAs in every state, service requests and
warranty claims) are copied row by row with INSERT ... SELECT, as many times as the size asks:
every column is kept, except
- `name`: the seed row's name + "-B<size>-<copy>";
- any column holding the name of another copied row (parent, against_sales_order, so_detail,
  dn_detail, return_against, delivery_note_item, ...): that row's new name, so a copy's documents
  point at each other exactly as the seed's do;
- the seed customer, its name and its portal user: the benchmark customer's;
- dates: moved back by (copy mod 5) days, so the copies spread over the same 12 months.
Only the tables the measured pages read are copied (see TABLES): the Payment Ledger (the balances)
but not the stock and general ledgers (no page reads them). Each size is its own customer ("Bench Dealer 2k", ...), with a
portal user made through Frappe and ERPNext's APIs, so the sizes coexist on one site.

The load test (benchmarks/load) needs several customers of one size, each with its own users:

    bench --site S rma-bench-data --lines 2000 --customers 10 --users 5

makes "Load Dealer 01" ... "Load Dealer 10", users load-01-1@demo.example ... (make_load_customers).
"""

import math
import time

import frappe
from frappe.utils import add_months, today

SEED_CUSTOMER = "Demo Dealer"
PASSWORD = "Demo#2026"
COPIES_PER_STATEMENT = 50
USERS = 4

# (table, how its seed rows are found: a column of the seed customer, or the parent table)
TABLES = [
	("Sales Order", ("customer",)),
	("Sales Order Item", ("parent", "Sales Order")),
	("Sales Team", ("parent", "Sales Order")),
	("Delivery Note", ("customer",)),
	("Delivery Note Item", ("parent", "Delivery Note")),
	("Sales Invoice", ("customer",)),
	("Sales Invoice Item", ("parent", "Sales Invoice")),
	("Payment Schedule", ("parent", "Sales Invoice")),
	("Payment Entry", ("party",)),
	("Payment Entry Reference", ("parent", "Payment Entry")),
	# the receivable the invoice pages and the overview read (services/portal/receivables.py)
	("Payment Ledger Entry", ("party",)),
	("RMA", ("customer",)),
	("RMA Item", ("parent", "RMA")),
	("Customer Warranty Claim", ("customer",)),
]

_TEXT_TYPES = ("varchar", "text", "longtext", "mediumtext", "smalltext")
_DATE_TYPES = ("date", "datetime", "timestamp")


def label_for(lines: int) -> str:
	return f"{lines // 1000}k" if lines % 1000 == 0 else str(lines)


def customer_for(lines: int) -> tuple[str, list[str]]:
	"""The customer and its portal users: several, as in a dealer's office (each user has its own
	per-minute query allowance, so a benchmark spreads its requests over them)."""
	label = label_for(lines).lower()
	return f"Bench Dealer {label_for(lines)}", [f"bench-{label}@demo.example"] + [
		f"bench-{label}-{n}@demo.example" for n in range(2, USERS + 1)
	]


def delivered_lines(customer: str) -> int:
	"""Delivered lines in the 12-month window, as the candidates page counts them."""
	return frappe.db.sql(
		"""select count(*) from `tabDelivery Note Item` dni
		join `tabDelivery Note` dn on dn.name = dni.parent
		where dn.customer = %s and dn.docstatus = 1 and dn.is_return = 0
		and dn.posting_date >= %s and dni.qty > 0""",
		(customer, add_months(today(), -12)),
	)[0][0]


def _seed_names(seed_customer: str) -> dict[str, list[str]]:
	names: dict[str, list[str]] = {}
	for table, (key, *parent) in TABLES:
		if key == "parent":
			parents = names[parent[0]]
			names[table] = (
				frappe.db.sql_list(
					f"select name from `tab{table}` where parenttype = %s and parent in %s",
					(parent[0], parents),
				)
				if parents
				else []
			)
		else:
			names[table] = frappe.db.sql_list(
				f"select name from `tab{table}` where `{key}` = %s", (seed_customer,)
			)
	return names


def _columns(table: str) -> list[tuple[str, str]]:
	return [
		(row[0], row[1].lower())
		for row in frappe.db.sql(
			"""select column_name, data_type from information_schema.columns
			where table_schema = database() and table_name = %s order by ordinal_position""",
			(f"tab{table}",),
		)
	]


def _quote(value: str) -> str:
	return frappe.db.escape(value, percent=False)


def _select_list(table, rows, columns, all_names_sql, replace, replace_keys_sql, suffix_sql):
	"""The SELECT expressions copying one row of `table` as copy `c.k`."""

	def seed_rows_where(condition):
		return frappe.db.sql(f"select 1 from `tab{table}` t where t.name in {rows} and {condition} limit 1")

	exprs = []
	for column, data_type in columns:
		col = f"t.`{column}`"
		if column == "name":
			exprs.append(f"concat({col}, {suffix_sql})")
		elif data_type in _DATE_TYPES:
			exprs.append(f"if({col} is null, null, {col} - interval (c.k mod 5) day)")
		elif data_type in _TEXT_TYPES:
			cases = []
			if seed_rows_where(f"{col} in {all_names_sql}"):
				cases.append(f"when {col} in {all_names_sql} then concat({col}, {suffix_sql})")
			if seed_rows_where(f"{col} in {replace_keys_sql}"):
				cases.extend(f"when {col} = {_quote(old)} then {_quote(new)}" for old, new in replace.items())
			exprs.append(f"case {' '.join(cases)} else {col} end" if cases else col)
		else:
			exprs.append(col)
	return exprs


def clone_history(seed_customer: str, customer: str, user: str, copies: int, tag: str) -> dict:
	"""Copy the seed customer's documents `copies` times to `customer`; returns rows per table."""
	seed_user = frappe.db.get_value(
		"Portal User", {"parent": seed_customer, "parenttype": "Customer"}, "user"
	)
	replace = {
		seed_customer: customer,
		frappe.db.get_value("Customer", seed_customer, "customer_name"): customer,
	}
	if seed_user:
		replace[seed_user] = user
	names = _seed_names(seed_customer)
	all_names = sorted({n for rows in names.values() for n in rows})
	if not names["Delivery Note"]:
		raise frappe.ValidationError(f"{seed_customer} has no delivery notes to copy: load the demo first")
	all_names_sql = "(" + ", ".join(_quote(n) for n in all_names) + ")"
	replace_keys_sql = "(" + ", ".join(_quote(k) for k in replace) + ")"
	suffix_sql = f"concat('-{tag}-', c.k)"
	made = {}
	for table, _key in TABLES:
		if not names[table]:
			continue
		rows = "(" + ", ".join(_quote(n) for n in names[table]) + ")"
		columns = _columns(table)
		exprs = _select_list(table, rows, columns, all_names_sql, replace, replace_keys_sql, suffix_sql)
		column_list = ", ".join(f"`{c}`" for c, _t in columns)
		for first in range(1, copies + 1, COPIES_PER_STATEMENT):
			ks = range(first, min(copies, first + COPIES_PER_STATEMENT - 1) + 1)
			numbers = " union all ".join(f"select {k} as k" for k in ks)
			frappe.db.sql(
				f"insert into `tab{table}` ({column_list}) select {', '.join(exprs)} "
				f"from `tab{table}` t join ({numbers}) c where t.name in {rows}"
			)
		made[table] = len(names[table]) * copies
	return made


def make_seed_requests(seed_customer: str = SEED_CUSTOMER):
	"""Service requests and warranty claims of the seed customer, through the app's own services,
	when the demo has none (the demo makes returns only): three service requests (one product,
	two products) and two warranty claims, one of them in processing."""
	user = frappe.db.get_value("Portal User", {"parent": seed_customer, "parenttype": "Customer"}, "user")
	frappe.flags.mute_emails = True
	if not frappe.db.exists("RMA", {"customer": seed_customer, "kind": "Service"}):
		_seed_service_requests(seed_customer, user)
	if not frappe.db.exists("Customer Warranty Claim", {"customer": seed_customer}):
		_seed_warranty_claims(seed_customer, user)
	frappe.db.commit()


def _seed_service_requests(seed_customer: str, user: str):
	"""Three service requests for products the customer bought that are still under warranty."""
	from frappe.utils import getdate, today

	from rma_portal.demo.catalogue import BRANDS
	from rma_portal.domain.warranty import warranty_end
	from rma_portal.services.service import service_lookups as lookups
	from rma_portal.services.service import service_rma

	eans = frappe.get_all("Item Barcode", filters={"parenttype": "Item"}, pluck="barcode")
	products = lookups.products_by_ean(eans)
	history = lookups.purchase_history(seed_customer, [p.item_code for p in products.values()])
	usable = [
		(ean, p)
		for ean, p in sorted(products.items())
		if p.brand in BRANDS
		and p.item_code in history
		and p.warranty_days is not None
		and getdate(today()) <= warranty_end(history[p.item_code].last_purchase, period_days=p.warranty_days)
	]
	faults = lookups.fault_types_for([p for _e, p in usable])
	rma_type = frappe.db.get_value("RMA Type", {"name": ["like", "%DOA%"]}) or frappe.db.get_value(
		"RMA Type", {}
	)
	for n, picked in enumerate((usable[:1], usable[1:3], usable[3:4])):
		lines = [
			{
				"ean": ean,
				"qty": 1,
				"serial_no": f"BENCH-SEED-{n}-{i}" if product.serial_required else "",
				"purchase_date": str(history[product.item_code].last_purchase),
				"problem_description": "Stops after a minute",
				"service_expectation": "Repair",
				"fault_type": (faults.get(product.item_code) or [""])[0],
			}
			for i, (ean, product) in enumerate(picked)
		]
		if lines:
			service_rma.create_service_rma(seed_customer, user, {"rma_type": rma_type}, lines, [])


def _seed_warranty_claims(seed_customer: str, user: str):
	"""A claim on each of the two newest invoices; the second one in processing."""
	from rma_portal.services.warranty import warranty_claims

	invoices = frappe.get_all(
		"Sales Invoice",
		filters={"customer": seed_customer, "docstatus": 1, "is_return": 0},
		fields=["name"],
		order_by="posting_date desc",
		limit=2,
	)
	for n, invoice in enumerate(invoices):
		item_code = frappe.db.get_value("Sales Invoice Item", {"parent": invoice.name}, "item_code")
		name = warranty_claims.create_claim(
			seed_customer,
			user,
			item_code,
			"Stopped working after two weeks",
			serial_no=f"BENCH-CLAIM-{n}",
			sales_invoice=invoice.name,
		)
		if n:
			warranty_claims.start_processing(name)


def rebuild_derived(customer: str):
	"""Tables the app derives from ERPNext's documents are filled by doc_events, which an SQL copy
	does not fire: rebuilt here with the app's own repair, as for an existing site (the return
	candidates' delivered lines, the items bought, the pending order lines, the requested serials)."""
	import importlib

	for name in ("delivered_lines", "purchased_items", "open_order_lines"):
		module = None
		# today's path first, then the flat one of versions before the capability packages
		for path in (f"rma_portal.services.history.{name}", f"rma_portal.services.{name}"):
			try:
				module = importlib.import_module(path)
				break
			except ImportError:  # a version of the app without it
				continue
		if module:
			module.rebuild(customer)
	# the serials the copied open RMAs name (the RMA controller keeps them on every save)
	try:
		from rma_portal.services.returns import requested_serials
	except ImportError:  # a version of the app without it
		return
	requested_serials.rebuild(customer)


def load_customer_for(number: int, users: int = USERS) -> tuple[str, list[str]]:
	"""Customer `number` of the load test (benchmarks/load) and its `users` portal users."""
	return f"Load Dealer {number:02d}", [f"load-{number:02d}-{n}@demo.example" for n in range(1, users + 1)]


def make_load_customers(count: int, lines: int, users: int, seed_customer: str = SEED_CUSTOMER) -> list[dict]:
	"""`count` customers of `lines` delivered lines each, with `users` portal users each, for the
	load test: several offices whose users browse and file returns at the same time."""
	made = []
	for number in range(1, count + 1):
		customer, emails = load_customer_for(number, users)
		made.append(
			make_bench_customer(
				lines,
				seed_customer,
				customer=customer,
				emails=emails,
				tag=f"L{number:02d}",
				label=str(number),
			)
		)
	return made


def make_bench_customer(
	lines: int,
	seed_customer: str = SEED_CUSTOMER,
	customer: str | None = None,
	emails: list[str] | None = None,
	tag: str | None = None,
	label: str | None = None,
) -> dict:
	"""The customer for `lines` delivered lines, made once (kept if it has them already). By default
	the size's "Bench Dealer"; `customer`, `emails` and `tag` (the copied names' suffix, unique per
	customer) name another one, `label` its users' last name."""
	from rma_portal.demo import data

	if customer is None:
		customer, emails = customer_for(lines)
	tag = tag or f"B{label_for(lines)}"
	label = label or label_for(lines)
	started = time.perf_counter()
	if frappe.db.exists("Customer", customer) and delivered_lines(customer) >= lines:
		return {
			"customer": customer,
			"users": emails,
			"password": PASSWORD,
			"lines": delivered_lines(customer),
			"seconds": 0.0,
			"made": False,
		}
	seed_lines = delivered_lines(seed_customer)
	if not seed_lines:
		raise frappe.ValidationError(f"{seed_customer} has no delivered lines: run `rma-demo` first")
	make_seed_requests(seed_customer)
	for n, address in enumerate(emails, start=1):
		data.make_customer(customer, address, "Bench", f"{label} {n}")
	frappe.db.commit()
	copies = math.ceil(lines / seed_lines)
	clone_history(seed_customer, customer, emails[0], copies, tag)
	rebuild_derived(customer)
	frappe.db.commit()
	return {
		"customer": customer,
		"users": emails,
		"password": PASSWORD,
		"lines": delivered_lines(customer),
		"copies": copies,
		"seed_lines": seed_lines,
		"seconds": round(time.perf_counter() - started, 1),
		"made": True,
	}
