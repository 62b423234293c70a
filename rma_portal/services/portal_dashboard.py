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


def _counts(customer: str, with_projects: bool) -> dict:
	"""The overview's badges in one statement: the customer's open RMAs and warranty claims per status
	([{status, count}] in the statuses' order), the quotations awaiting an answer and the open projects
	(numbers; projects None without with_projects)."""
	values = {"customer": customer, "rma": OPEN_RMA_STATUSES, "claim": OPEN_CLAIM_STATUSES}
	parts = [
		"""select 'rma' as card, status, count(*) as count from `tabRMA`
		where customer = %(customer)s and status in %(rma)s and docstatus < 2 group by status""",
		"""select 'claim', status, count(*) from `tabCustomer Warranty Claim`
		where customer = %(customer)s and status in %(claim)s and docstatus < 2 group by status""",
		portal_quotations.awaiting_count_sql("'quotation', '', count(*)", values),
	]
	if with_projects:
		parts.append(projects.open_count_sql("'project', '', count(*)"))
	rows = frappe.db.sql(" union all ".join(f"({part})" for part in parts), values, as_dict=True)
	counts = {(row.card, row.status or ""): cint(row["count"]) for row in rows}
	return {
		"rmas": [{"status": s, "count": counts.get(("rma", s), 0)} for s in OPEN_RMA_STATUSES],
		"claims": [{"status": s, "count": counts.get(("claim", s), 0)} for s in OPEN_CLAIM_STATUSES],
		"quotations": counts.get(("quotation", ""), 0),
		"projects": counts.get(("project", ""), 0) if with_projects else None,
	}


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
	counts = _counts(customer, with_projects)
	return {
		"projects": {"rows": projects.open_projects(customer, limit=5), "total": counts["projects"]}
		if with_projects
		else None,
		"rmas": counts["rmas"],
		"claims": counts["claims"],
		"pending": portal_orders.next_deliveries(customer),
		"invoice_totals": portal_invoices.invoice_totals(customer, unpaid_only=True),
		"due_by_week": due_by_week(customer),
		"quotations": {
			"rows": portal_quotations.awaiting_rows(customer, limit=5),
			"total": counts["quotations"],
		},
	}
