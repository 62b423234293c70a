"""Composite indexes of the portal's own lists (a DocType can declare single-column indexes only).

Each index is in exactly the order of its list, after the customer: a page is read from the index
and stops at its last row instead of sorting all of the customer's documents (9,306 RMAs and 3,102
claims at 200,000 delivered lines), and a count reads the index alone. Created on install and on
every migrate (install.py).
"""

import frappe

INDEXES = {
	# services/rma_lists.list_rmas: newest first, all kinds or one; the overview's counts per status;
	# the service landing page's newest requests and the search by number or serial (newest first:
	# it stops at its 20th match)
	"RMA": {
		"customer_submitted_on": ["customer", "submitted_on", "creation", "docstatus"],
		"customer_kind_submitted_on": ["customer", "kind", "submitted_on", "creation", "docstatus"],
		"customer_status": ["customer", "status", "docstatus"],
		"customer_kind_creation": ["customer", "kind", "creation", "docstatus"],
		# (with the numbers the service search looks in: it reads the newest requests on the index alone)
		"customer_creation": ["customer", "creation", "docstatus", "customer_rma_no", "customer_reference"],
		# service_lookups.search_rmas: the whole reference / PO number among all of a customer's requests
		"customer_reference": ["customer", "customer_reference"],
		# service_list.brands_of: the newest change of a customer's requests (its kept brands)
		"customer_modified": ["customer", "modified"],
	},
	# service_lookups.search_rmas: a request's serial numbers read on the index alone
	"RMA Item": {"parent_serial_no": ["parent", "parenttype", "serial_no"]},
	# services/warranty_claims.list_claims: newest first; the overview's counts per status
	"Customer Warranty Claim": {
		"customer_submitted_on": ["customer", "submitted_on", "name"],
		"customer_status": ["customer", "status", "docstatus"],
		# warranty_claims.claim_brands: the newest change of a customer's claims (its kept brands)
		"customer_modified": ["customer", "modified"],
	},
	# ERPNext's tables (named rma_portal_*, removed on uninstall): a customer's invoices with the
	# columns of their amount in the receivable account's currency, so the invoice totals per
	# currency read the index alone; a customer's invoices and delivery notes by date: counted on the
	# index alone (the shipments), read newest or oldest first until one has an item
	# (purchased_items.on_cancel)
	"Sales Invoice": {
		"rma_portal_customer_amounts": [
			"customer",
			"docstatus",
			"party_account_currency",
			"currency",
			"grand_total",
			"rounded_total",
			"disable_rounded_total",
			"base_grand_total",
			"base_rounded_total",
		],
		"rma_portal_customer_posting": ["customer", "docstatus", "is_return", "posting_date"],
		# receivables.open_invoices: the open ones newest first (outstanding_amount filtered on the
		# index); receivables.kept: the newest change of a customer's invoices
		"rma_portal_customer_open": ["customer", "docstatus", "posting_date", "name", "outstanding_amount"],
		"rma_portal_customer_modified": ["customer", "modified"],
	},
	"Delivery Note": {
		"rma_portal_customer_posting": ["customer", "docstatus", "is_return", "posting_date"],
		# shipments.list_shipments: the newest change of a customer's delivery notes (its kept count)
		"rma_portal_customer_modified": ["customer", "modified"],
	},
	# services/receivables.open_items: a customer's ledger entries grouped per open voucher, read from
	# the index alone (every column the grouping reads; 5 text columns fit InnoDB's 3072-byte key)
	"Payment Ledger Entry": {
		"rma_portal_party_balance": [
			"party_type",
			"party",
			"delinked",
			"against_voucher_type",
			"against_voucher_no",
			"account_currency",
			"amount_in_account_currency",
		],
		# receivables.kept: the newest change of a customer's ledger entries
		"rma_portal_party_modified": ["party_type", "party", "modified"],
	},
}

# Indexes earlier versions of the app added to ERPNext's tables: dropped on migrate and uninstall.
OBSOLETE = {"Sales Invoice": ["rma_portal_customer_outstanding"]}


def ensure_indexes():
	for doctype, indexes in INDEXES.items():
		for name, columns in indexes.items():
			ensure_index(doctype, name, columns)
	_drop(OBSOLETE)


def _drop(indexes: dict):
	for doctype, names in indexes.items():
		for name in names:
			if name.startswith("rma_portal_") and frappe.db.has_index(f"tab{doctype}", name):
				frappe.db.sql_ddl(f"alter table `tab{doctype}` drop index `{name}`")


def ensure_index(doctype: str, name: str, columns: list[str]):
	"""Index `name` of `doctype` on `columns` ("field" or "field desc"): made when missing, made again
	when an earlier version of the app made it on other columns."""
	table = f"tab{doctype}"
	wanted = [(c.split()[0], c.lower().endswith(" desc")) for c in columns]
	have = [
		(row.Column_name, row.Collation == "D")
		for row in sorted(
			frappe.db.sql(f"show index from `{table}` where Key_name = %s", name, as_dict=True),
			key=lambda row: row.Seq_in_index,
		)
	]
	if have == wanted:
		return
	if have:
		frappe.db.sql_ddl(f"alter table `{table}` drop index `{name}`")
	frappe.db.add_index(doctype, columns, index_name=name)


def drop_erpnext_indexes():
	"""Uninstall: the indexes the app added to ERPNext's tables (its own tables go with the app)."""
	_drop({doctype: list(indexes) for doctype, indexes in INDEXES.items()})
	_drop(OBSOLETE)
