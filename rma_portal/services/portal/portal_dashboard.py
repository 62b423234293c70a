"""The customer's overview (SPEC §5): open RMAs and warranty claims by status, pending order lines with
the next expected deliveries (late ones marked), the balance and what is overdue per currency and the
amounts falling due per week (from ERPNext's Payment Ledger, services/portal/receivables.py), the quotations
awaiting an answer and the open projects with their progress. A fixed number of queries, whatever the
history.

Callers (www/) check access first; these functions then trust `customer`.
"""

import frappe
from frappe.utils import add_days, cint, now_datetime

from rma_portal.services.portal import (
	portal_invoices,
	portal_orders,
	portal_quotations,
	projects,
	receivables,
)

OPEN_RMA_STATUSES = ("Requested", "Expected", "Received")  # Requested: awaiting approval
UPDATE_DAYS = 14  # the overview's latest updates reach this far back
OPEN_CLAIM_STATUSES = ("Received", "In processing")
CHART_WEEKS = 8


def _counts(customer: str, with_projects: bool, project_user: str | None = None) -> dict:
	"""The overview's badges in one statement: the customer's open RMAs and warranty claims per status
	([{status, count}] in the statuses' order), the quotations awaiting an answer and the open projects
	(numbers; projects None without with_projects)."""
	values = {"customer": customer, "rma": OPEN_RMA_STATUSES, "claim": OPEN_CLAIM_STATUSES}
	values["project_user"] = project_user  # a member without PRO counts the projects they follow
	parts = [
		"""select 'rma' as card, status, count(*) as count from `tabRMA`
		where customer = %(customer)s and status in %(rma)s and docstatus < 2 group by status""",
		"""select 'claim', status, count(*) from `tabCustomer Warranty Claim`
		where customer = %(customer)s and status in %(claim)s and docstatus < 2 group by status""",
		portal_quotations.awaiting_count_sql("'quotation', '', count(*)", values),
	]
	if with_projects:
		parts.append(projects.open_count_sql("'project', '', count(*)", of_project_user=bool(project_user)))
	rows = frappe.db.sql(" union all ".join(f"({part})" for part in parts), values, as_dict=True)
	counts = {(row.card, row.status or ""): cint(row["count"]) for row in rows}
	return {
		"rmas": [{"status": s, "count": counts.get(("rma", s), 0)} for s in OPEN_RMA_STATUSES],
		"claims": [{"status": s, "count": counts.get(("claim", s), 0)} for s in OPEN_CLAIM_STATUSES],
		"quotations": counts.get(("quotation", ""), 0),
		"projects": counts.get(("project", ""), 0) if with_projects else None,
	}


def due_by_week(customer: str, weeks: int = CHART_WEEKS, ledger: dict | None = None) -> list[dict]:
	"""What is owed per currency (the ledger's open vouchers with a balance due): overdue, then due in
	each of the next `weeks` weeks (week 0 starts today), then later."""
	ledger = receivables.summary(customer, weeks) if ledger is None else ledger
	return [{"currency": currency, "buckets": figures.buckets} for currency, figures in ledger.items()]


def overview(customer: str, with_projects: bool = True, project_user: str | None = None) -> dict:
	counts = _counts(customer, with_projects, project_user)
	ledger = receivables.summary(customer, CHART_WEEKS)  # the totals and the chart: one read of the ledger
	return {
		"projects": {
			"rows": projects.open_projects(customer, limit=5, project_user=project_user),
			"total": counts["projects"],
		}
		if with_projects
		else None,
		"rmas": counts["rmas"],
		"claims": counts["claims"],
		"pending": portal_orders.next_deliveries(customer),
		"invoice_totals": portal_invoices.invoice_totals(customer, unpaid_only=True, ledger=ledger),
		"due_by_week": due_by_week(customer, ledger=ledger),
		"quotations": {
			"rows": portal_quotations.awaiting_rows(customer, limit=5),
			"total": counts["quotations"],
		},
		"updates": latest_updates(customer),
	}


def latest_updates(customer: str, limit: int = 5) -> list[dict]:
	"""The overview's notifications: the latest status changes of the customer's returns, service
	requests and warranty claims of the last UPDATE_DAYS days, newest first (the same steps the
	e-mails tell, services/shared/notify.py)."""
	values = {"customer": customer, "since": add_days(now_datetime(), -UPDATE_DAYS), "limit": limit}
	return frappe.db.sql(
		"""(select 'RMA' as doctype, p.name, p.kind, log.status, log.changed_on
			from `tabRMA` p join `tabRMA Status Log` log on log.parent = p.name and log.parenttype = 'RMA'
			where p.customer = %(customer)s and log.changed_on >= %(since)s)
		union all
		(select 'Customer Warranty Claim', p.name, 'Claim', log.status, log.changed_on
			from `tabCustomer Warranty Claim` p
			join `tabRMA Status Log` log on log.parent = p.name and log.parenttype = 'Customer Warranty Claim'
			where p.customer = %(customer)s and log.changed_on >= %(since)s)
		order by changed_on desc limit %(limit)s""",
		values,
		as_dict=True,
	)
