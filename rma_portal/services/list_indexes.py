"""Composite indexes of the portal's own lists (a DocType can declare single-column indexes only).

Each index is in exactly the order of its list, after the customer: a page is read from the index
and stops at its last row instead of sorting all of the customer's documents (9,306 RMAs and 3,102
claims at 200,000 delivered lines). Created on install and on every migrate (install.py).
"""

import frappe

INDEXES = {
	# services/rma_lists.list_rmas: newest first, all kinds or one
	"RMA": {
		"customer_submitted_on": ["customer", "submitted_on", "creation", "docstatus"],
		"customer_kind_submitted_on": ["customer", "kind", "submitted_on", "creation", "docstatus"],
	},
	# services/warranty_claims.list_claims: newest first
	"Customer Warranty Claim": {
		"customer_submitted_on": ["customer", "submitted_on", "name"],
	},
}


def ensure_indexes():
	for doctype, indexes in INDEXES.items():
		for name, columns in indexes.items():
			frappe.db.add_index(doctype, columns, index_name=name)
