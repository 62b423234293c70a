"""The demo's books as a European distributor keeps them (issue 28).

- Dutch VAT: a default Sales Taxes and Charges Template "Dutch VAT 21%" on every demo order, with
  Item Tax Templates so a few items are charged 9% (the 9% row is 0% for the others, and the other
  way round); the return fee item carries 21% and books to its own income account "Return Fees".
- Serial and batch numbers: a Voltra hammer drill and a Voltra 8.0Ah battery with serial numbers and
  a Lumio adhesive with batch numbers, kept out of the 12 ITEMS (their stock would need 100,000
  serials) and sold to Demo Dealer in a few orders of their own, delivered with their serials.
- A customer invoiced in USD ("Atlantic Tools Inc.", portal user usd@demo.example) at 0.92 EUR a USD.
- A second company ("RMA Demo Benelux", abbreviation RDB) with a few orders of Demo Dealer.

Everything is looked up before it is made, so running it again keeps what exists.
"""

import frappe
from frappe.utils import add_days, today

from rma_portal.demo.catalogue import ITEMS, gtin13_for, make_customer, make_item

VAT_TEMPLATE = "Dutch VAT 21%"
ITEM_TAX_21, ITEM_TAX_9 = "NL VAT 21%", "NL VAT 9%"
LOW_RATE_ITEMS = ("LUM-BULB-E27", "KER-LID-GRN")  # the demo's 9% lines
FEE_INCOME = "Return Fees"

# item code, name, brand, price, kind
TRACKED_ITEMS = [
	("VOL-HDRILL-18", "Voltra hammer drill 18V (serial-numbered)", "Voltra", 219.0, "serial"),
	("VOL-BATT-80", "Voltra battery pack 8.0Ah (serial-numbered)", "Voltra", 119.0, "serial"),
	("LUM-GLUE-310", "Lumio LED strip adhesive 310 ml (batch)", "Lumio", 8.5, "batch"),
]
SERIAL_PREFIX = {"VOL-HDRILL-18": "VHD-", "VOL-BATT-80": "VB8-"}
DEMO_BATCH = "GLUE-2026-01"
TRACKED_STOCK = 60  # serials per serial item in the demo warehouse

USD_CUSTOMER = ("Atlantic Tools Inc.", "usd@demo.example", "Una", "Atlantic")
USD_RATE = 0.92
SECOND_COMPANY, SECOND_ABBR = "RMA Demo Benelux", "RDB"


def make_books(masters: dict):
	"""VAT, tracked items with their stock and the fee's income account, for the main company."""
	company = masters["company"]
	masters["vat"] = vat_for(company)
	fee_income_account(company)
	for index, (code, name, brand, price, kind) in enumerate(TRACKED_ITEMS, start=101):
		make_item(code, name, brand, price, gtin13_for(index), kind=kind)
	stock_tracked(company, masters["warehouse"])
	frappe.db.commit()


# ---------------------------------------------------------------------------------------------
# VAT


def ledger_account(
	company: str, name: str, root_type: str, account_type: str = "", parent_like: str | None = None
) -> str:
	"""The company's ledger account `name`, made once: under the group named like `parent_like`, else
	the last group of that root and account type, else the root's first group. The demo's books and the
	credit note tests (tests/test_credit_matrix.py) make theirs here."""
	abbr = frappe.get_cached_value("Company", company, "abbr")
	full = f"{name} - {abbr}"
	if frappe.db.exists("Account", full):
		return full
	groups = {"company": company, "is_group": 1}
	parent = (
		(parent_like and frappe.db.get_value("Account", {**groups, "account_name": ["like", parent_like]}))
		or frappe.db.get_value(
			"Account",
			{**groups, "root_type": root_type, "account_type": account_type or ""},
			"name",
			order_by="lft desc",
		)
		or frappe.db.get_value("Account", {**groups, "root_type": root_type})
	)
	frappe.get_doc(
		{
			"doctype": "Account",
			"account_name": name,
			"company": company,
			"parent_account": parent,
			"root_type": root_type,
			"account_type": account_type,
			"is_group": 0,
		}
	).insert(ignore_permissions=True)
	return full


def item_tax_template(company: str, title: str, rates: dict[str, float]) -> str:
	"""The company's Item Tax Template `title` with a rate per tax account, made once."""
	taxes = [{"tax_type": account, "tax_rate": rate} for account, rate in rates.items()]
	return _tax_template("Item Tax Template", company, title, taxes)


def _tax_template(doctype: str, company: str, title: str, taxes: list[dict], **values) -> str:
	"""The company's tax template `title` (named "<title> - <abbr>" by ERPNext), made once."""
	name = f"{title} - {frappe.get_cached_value('Company', company, 'abbr')}"
	if not frappe.db.exists(doctype, name):
		frappe.get_doc(
			{"doctype": doctype, "title": title, "company": company, "taxes": taxes, **values}
		).insert(ignore_permissions=True)
	return name


def vat_for(company: str) -> dict:
	"""The company's VAT accounts, item tax templates and default sales taxes template."""
	vat21 = ledger_account(company, "VAT 21%", "Liability", "Tax", "Duties and Taxes%")
	vat9 = ledger_account(company, "VAT 9%", "Liability", "Tax", "Duties and Taxes%")
	templates = {
		title: item_tax_template(company, title, rates)
		for title, rates in ((ITEM_TAX_21, {vat21: 21, vat9: 0}), (ITEM_TAX_9, {vat21: 0, vat9: 9}))
	}
	rows = [
		{"charge_type": "On Net Total", "account_head": vat21, "rate": 21, "description": "VAT 21%"},
		{"charge_type": "On Net Total", "account_head": vat9, "rate": 9, "description": "VAT 9%"},
	]
	template = _tax_template("Sales Taxes and Charges Template", company, VAT_TEMPLATE, rows, is_default=1)
	return frappe._dict(
		template=template, rows=rows, item_tax={21: templates[ITEM_TAX_21], 9: templates[ITEM_TAX_9]}
	)


def item_tax(vat: dict | None, item_code: str) -> str | None:
	"""The Item Tax Template of a demo line: 9% for the LOW_RATE_ITEMS, 21% for every other one."""
	if not vat:
		return None
	return vat.item_tax[9 if item_code in LOW_RATE_ITEMS else 21]


def order_taxes(vat: dict | None) -> dict:
	"""The Sales Order fields that put the VAT on an order (nothing without VAT masters)."""
	if not vat:
		return {}
	return {"taxes_and_charges": vat.template, "taxes": [dict(row) for row in vat.rows]}


def fee_income_account(company: str) -> str:
	"""The return fee's own income account, set on the fee item for the company."""
	account = ledger_account(company, FEE_INCOME, "Income", "Income Account", "Direct Income%")
	fee_item = frappe.db.get_single_value("RMA Settings", "fee_item") or "RMA-FEE"
	if frappe.db.exists("Item", fee_item):
		item = frappe.get_doc("Item", fee_item)
		row = next((row for row in item.item_defaults if row.company == company), None)
		if not row:
			warehouse = frappe.db.get_value("Warehouse", {"company": company, "is_group": 0})
			row = item.append("item_defaults", {"company": company, "default_warehouse": warehouse})
		row.income_account = row.income_account or account
		template = vat_for(company).item_tax[21]  # the fee is charged 21%, whatever the invoice's rows
		if not any(row.item_tax_template == template for row in item.taxes):
			item.append("taxes", {"item_tax_template": template})
		item.save(ignore_permissions=True)
	return account


# ---------------------------------------------------------------------------------------------
# Serial- and batch-numbered items


def stock_tracked(company: str, warehouse: str):
	"""Serials and a batch in stock before the demo history starts."""
	remark = "rma_portal demo serial and batch stock"
	if frappe.db.exists("Stock Entry", {"remarks": remark, "docstatus": 1}):
		return
	if not frappe.db.exists("Batch", DEMO_BATCH):
		frappe.get_doc({"doctype": "Batch", "batch_id": DEMO_BATCH, "item": "LUM-GLUE-310"}).insert(
			ignore_permissions=True
		)
	rows = []
	for code, _name, _brand, price, kind in TRACKED_ITEMS:
		row = {"item_code": code, "t_warehouse": warehouse, "basic_rate": round(price * 0.6, 2)}
		row["use_serial_batch_fields"] = 1
		if kind == "serial":
			row.update(qty=TRACKED_STOCK, serial_no="\n".join(_serials(code, 1, TRACKED_STOCK)))
		else:
			row.update(qty=1000, batch_no=DEMO_BATCH)
		rows.append(row)
	_material_receipt(company, remark, rows, "08:30:00")


def _serials(code: str, first: int, count: int) -> list[str]:
	return [f"{SERIAL_PREFIX[code]}{n:05d}" for n in range(first, first + count)]


def make_tracked_history(customer: str, masters: dict, orders: int = 3):
	"""Orders of the serial and batch items, delivered with their serials and invoiced."""
	plan = [
		{"VOL-HDRILL-18": 2, "VOL-BATT-80": 3, "LUM-GLUE-310": 10},
		{"VOL-HDRILL-18": 3, "VOL-BATT-80": 2},
		{"VOL-BATT-80": 4, "LUM-GLUE-310": 6},
	][:orders]
	for n, lines in enumerate(plan):
		po_no = f"PO-SN-{n + 1:03d}"
		if frappe.db.exists("Sales Order", {"customer": customer, "po_no": po_no, "docstatus": 1}):
			continue
		sell(customer, lines, masters, add_days(today(), -90 + 30 * n), po_no)
	frappe.db.commit()


def _next_serials(code: str, warehouse: str, qty: int) -> list[str]:
	return frappe.get_all(
		"Serial No",
		filters={"item_code": code, "warehouse": warehouse, "status": "Active"},
		pluck="name",
		order_by="name asc",
		limit=qty,
	)


def sell(customer: str, lines: dict, masters: dict, on, po_no: str, extra: dict | None = None) -> str:
	"""One order delivered and invoiced on `on`, serials and batches named on the delivery."""
	from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

	prices = {code: price for code, _n, _b, price, _k in TRACKED_ITEMS}
	prices.update({code: price for code, _n, _b, price in ITEMS})
	vat = masters.get("vat")
	so = frappe.get_doc(
		{
			"doctype": "Sales Order",
			"customer": customer,
			"company": masters["company"],
			"transaction_date": on,
			"delivery_date": add_days(on, 2),
			"po_no": po_no,
			"set_warehouse": masters["warehouse"],
			"items": [
				{
					"item_code": code,
					"qty": qty,
					"price_list_rate": prices[code],
					"rate": prices[code],
					"delivery_date": add_days(on, 2),
					"item_tax_template": item_tax(vat, code),
				}
				for code, qty in lines.items()
			],
			**order_taxes(vat),
			**(extra or {}),
		}
	)
	so.insert(ignore_permissions=True)
	so.submit()
	dn = make_delivery_note(so.name)
	dn.posting_date, dn.set_posting_time = on, 1
	dn.posting_time = "10:00:00"
	for row in dn.items:
		if row.item_code in SERIAL_PREFIX:
			row.use_serial_batch_fields = 1
			row.serial_no = "\n".join(_next_serials(row.item_code, row.warehouse, int(row.qty)))
		elif row.item_code == "LUM-GLUE-310":
			row.use_serial_batch_fields, row.batch_no = 1, DEMO_BATCH
	return deliver_and_invoice(dn, on).name


def deliver_and_invoice(dn, on=None):
	"""Submit the Delivery Note `dn`, then its Sales Invoice, dated `on` when given, due 30 days
	after (without ERPNext's payment schedule); the invoice."""
	from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_invoice

	dn.insert(ignore_permissions=True)
	dn.submit()
	si = make_sales_invoice(dn.name)
	if on:
		si.posting_date, si.set_posting_time = on, 1
	si.due_date = add_days(on or today(), 30)
	si.payment_schedule = []
	si.insert(ignore_permissions=True)
	si.submit()
	return si


# ---------------------------------------------------------------------------------------------
# A customer in USD, a second company


def make_usd_customer(masters: dict, orders: int = 3):
	name, email, first, last = USD_CUSTOMER
	make_customer(name, email, first, last)
	usd_receivable(name, masters["company"])
	plan = [
		{"VOL-DRILL-18": 4, "LUM-LED-30W": 10},
		{"VOL-BATT-40": 6, "LUM-BULB-E27": 20},
		{"KER-BIN-120": 5},
	]
	for n, lines in enumerate(plan[:orders]):
		po_no = f"PO-US-{n + 1:03d}"
		if frappe.db.exists("Sales Order", {"customer": name, "po_no": po_no, "docstatus": 1}):
			continue
		extra = {"currency": "USD", "conversion_rate": USD_RATE, "selling_price_list": "Standard Selling"}
		sell(name, lines, masters, add_days(today(), -120 + 40 * n), po_no, extra)
	frappe.db.commit()


def usd_receivable(customer: str, company: str, currency: str = "USD"):
	"""The customer invoiced in USD (or `currency`), with a receivable account in that currency
	(ERPNext wants the party account in the invoice's currency when that is not the company's)."""
	abbr = frappe.get_cached_value("Company", company, "abbr")
	account = f"Debtors {currency} - {abbr}"
	if not frappe.db.exists("Account", account):
		parent = frappe.db.get_value(
			"Account", {"company": company, "is_group": 1, "account_name": ["like", "Accounts Receivable%"]}
		)
		frappe.get_doc(
			{
				"doctype": "Account",
				"account_name": f"Debtors {currency}",
				"company": company,
				"parent_account": parent,
				"root_type": "Asset",
				"account_type": "Receivable",
				"account_currency": currency,
				"is_group": 0,
			}
		).insert(ignore_permissions=True)
	doc = frappe.get_doc("Customer", customer)
	doc.default_currency = currency
	if not any(row.company == company for row in doc.accounts):
		doc.append("accounts", {"company": company, "account": account})
	doc.save(ignore_permissions=True)


def make_second_company(customer: str, orders: int = 3) -> str:
	"""A second company of the group, with stock and a few orders of `customer`."""
	masters = ensure_second_company()
	plan = [
		{"KER-BIN-60": 6, "KER-WHEEL-SET": 4},
		{"LUM-LED-10W": 12},
		{"VOL-GRIND-125": 2, "KER-LID-GRN": 8},
	]
	for n, lines in enumerate(plan[:orders]):
		po_no = f"PO-BNL-{n + 1:03d}"
		if frappe.db.exists("Sales Order", {"customer": customer, "po_no": po_no, "docstatus": 1}):
			continue
		sell(customer, lines, masters, add_days(today(), -60 + 20 * n), po_no)
	frappe.db.commit()
	return SECOND_COMPANY


def ensure_second_company() -> dict:
	"""The second company with its VAT, fee account and stock: {company, warehouse, vat}."""
	if not frappe.db.exists("Company", SECOND_COMPANY):
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": SECOND_COMPANY,
				"abbr": SECOND_ABBR,
				"default_currency": "EUR",
				"country": "Netherlands",
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
	warehouse = frappe.db.get_value(
		"Warehouse", {"company": SECOND_COMPANY, "is_group": 0, "warehouse_name": "Stores"}
	) or frappe.db.get_value("Warehouse", {"company": SECOND_COMPANY, "is_group": 0})
	masters = {"company": SECOND_COMPANY, "warehouse": warehouse, "vat": vat_for(SECOND_COMPANY)}
	fee_income_account(SECOND_COMPANY)
	receive_stock(SECOND_COMPANY, warehouse, 500, "rma_portal demo stock, second company")
	_company_settings(SECOND_COMPANY)
	frappe.db.commit()
	return masters


def _company_settings(company: str):
	"""The second company's own RMA numbers and return address (RMA Settings, Per Company)."""
	settings = frappe.get_single("RMA Settings")
	if any(row.company == company for row in settings.get("company_settings") or []):
		return
	settings.append(
		"company_settings",
		{
			"company": company,
			"number_format": "BNL/{seq}/{year}",
			"return_address": "RMA Demo Benelux Returns\nHavenweg 3\n2000 Antwerpen\nBelgium",
		},
	)
	settings.save(ignore_permissions=True)


def receive_stock(company: str, warehouse: str, qty: float, remark: str):
	"""`qty` of every demo item into `warehouse`, made once (known by its `remark`)."""
	rows = [
		{"item_code": code, "qty": qty, "t_warehouse": warehouse, "basic_rate": round(price * 0.6, 2)}
		for code, _name, _brand, price in ITEMS
	]
	_material_receipt(company, remark, rows, "08:00:00")


def _material_receipt(company: str, remark: str, rows: list[dict], posting_time: str):
	"""A submitted Material Receipt of `rows` dated 400 days ago, before the demo history starts;
	made once, the Stock Entry known by its `remark`."""
	if frappe.db.exists("Stock Entry", {"remarks": remark, "docstatus": 1}):
		return
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company,
			"posting_date": add_days(today(), -400),
			"posting_time": posting_time,
			"set_posting_time": 1,
			"remarks": remark,
			"items": rows,
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()
