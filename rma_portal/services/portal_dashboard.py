"""The customer's overview (SPEC §5): open RMAs and warranty claims by status, pending order lines with
the next expected deliveries, unpaid and overdue invoices per currency, the amounts falling due per
week, the quotations awaiting an answer and the open projects with their progress. A fixed number of queries, whatever the history.

Callers (www/) check access first; these functions then trust `customer`.
"""

import frappe
from frappe.utils import cint, flt, getdate, today

from rma_portal.services import portal_invoices, portal_orders, portal_quotations, projects

OPEN_RMA_STATUSES = ("Expected", "Received")
OPEN_CLAIM_STATUSES = ("Received", "In processing")
CHART_WEEKS = 8


def _counts(doctype: str, customer: str, statuses: tuple) -> list[dict]:
	"""[{status, count}] of the customer's documents in `statuses`, in that order; one query."""
	rows = frappe.db.sql(
		f"""select status, count(*) as count from `tab{doctype}`
		where customer = %(customer)s and status in %(statuses)s and docstatus < 2
		group by status""",  # doctype: one of this module's two fixed names; nosec B608
		{"customer": customer, "statuses": statuses},
		as_dict=True,
	)
	counts = {row.status: cint(row.count) for row in rows}
	return [{"status": status, "count": counts.get(status, 0)} for status in statuses]


def due_by_week(customer: str, weeks: int = CHART_WEEKS) -> list[dict]:
	"""Outstanding amounts per currency: overdue, then due in each of the next `weeks` weeks (week 0
	starts today), then later; one query."""
	rows = frappe.db.sql(
		"""select si.currency,
			case when si.due_date < %(today)s then -1
				when datediff(si.due_date, %(today)s) div 7 >= %(weeks)s then %(weeks)s
				else datediff(si.due_date, %(today)s) div 7 end as bucket,
			sum(si.outstanding_amount) as outstanding
		from `tabSales Invoice` si
		where si.customer = %(customer)s and si.docstatus = 1 and si.outstanding_amount > 0
		group by si.currency, bucket
		order by si.currency, bucket""",
		{"customer": customer, "today": getdate(today()), "weeks": weeks},
		as_dict=True,
	)
	out = {}
	for row in rows:
		buckets = out.setdefault(row.currency, [0.0] * (weeks + 2))
		buckets[cint(row.bucket) + 1] = flt(row.outstanding, 2)
	return [{"currency": currency, "buckets": buckets} for currency, buckets in out.items()]


def overview(customer: str, with_projects: bool = True) -> dict:
	return {
		"projects": projects.list_projects(customer, status="Open", page_size=5) if with_projects else None,
		"rmas": _counts("RMA", customer, OPEN_RMA_STATUSES),
		"claims": _counts("Customer Warranty Claim", customer, OPEN_CLAIM_STATUSES),
		"pending": portal_orders.next_deliveries(customer),
		"invoice_totals": portal_invoices.invoice_totals(customer, unpaid_only=True),
		"due_by_week": due_by_week(customer),
		"quotations": portal_quotations.awaiting_answer(customer),
	}
