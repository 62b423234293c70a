"""Invoices and payments (SPEC §5): the customer's submitted Sales Invoices (credit notes included), the
payments made against them (Payment Entry references), totals per currency and the statement of the
unpaid ones.

A page is four queries whatever the history: its rows, the count, the totals per currency (all of them
aggregated in SQL) and the payments of the rows shown. Overdue follows domain.portal.is_overdue: from
the day after the due date while something is owed.

Callers (api/, www/) check access first; these functions then trust `customer`.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, today

from rma_portal.domain.portal import is_overdue, totals_per_currency
from rma_portal.services.query import page_bounds

STATEMENT_TEMPLATE = "rma_portal/templates/portal/statement.html"

# The invoice's amount as ERPNext owes it: the rounded total unless rounding is off for it.
_AMOUNT = "if(si.disable_rounded_total = 1 or si.rounded_total = 0, si.grand_total, si.rounded_total)"

_INVOICES_SQL = """
select {select}
from `tabSales Invoice` si
where si.customer = %(customer)s and si.docstatus = 1 {unpaid}
"""

_ROW_FIELDS = f"""si.name, si.posting_date, si.due_date, si.currency, si.is_return, si.return_against, si.po_no,
	si.status, {_AMOUNT} as amount, si.outstanding_amount as outstanding,
	{_AMOUNT} - si.outstanding_amount as paid"""

_TOTALS_FIELDS = f"""si.currency, count(*) as invoices, sum({_AMOUNT}) as amount,
	sum({_AMOUNT} - si.outstanding_amount) as paid,
	sum(if(si.outstanding_amount > 0, si.outstanding_amount, 0)) as outstanding,
	sum(if(si.outstanding_amount > 0 and si.due_date < %(today)s, si.outstanding_amount, 0)) as overdue"""


def _values(customer: str, **extra) -> dict:
	return {"customer": customer, "today": getdate(today()), **extra}


def _unpaid(unpaid_only: bool) -> str:
	return "and si.outstanding_amount > 0" if unpaid_only else ""


def _clean(row: dict, on) -> frappe._dict:
	row = frappe._dict(row)
	for key in ("amount", "paid", "outstanding"):
		row[key] = flt(row[key], 2)
	row.overdue = is_overdue(getdate(row.due_date) if row.due_date else None, row.outstanding, on)
	return row


def invoice_list(customer: str, unpaid_only: bool = False, page: int = 1, page_size: int = 20) -> dict:
	"""One page of the customer's invoices, newest first, each with its payments; the totals per
	currency of every invoice the filter keeps. Four queries."""
	page, page_size = page_bounds(page, page_size)
	values = _values(customer, limit=page_size, offset=(page - 1) * page_size)
	unpaid = _unpaid(unpaid_only)
	rows = frappe.db.sql(
		_INVOICES_SQL.format(select=_ROW_FIELDS, unpaid=unpaid)
		+ " order by si.posting_date desc, si.name desc limit %(limit)s offset %(offset)s",
		values,
		as_dict=True,
	)
	total = frappe.db.sql(_INVOICES_SQL.format(select="count(*)", unpaid=unpaid), values)[0][0]
	totals = invoice_totals(customer, unpaid_only)
	on = values["today"]
	rows = [_clean(row, on) for row in rows]
	payments = payments_of(customer, [row.name for row in rows])
	for row in rows:
		row.payments = payments.get(row.name, [])
	return {"rows": rows, "total": cint(total), "page": page, "page_size": page_size, "totals": totals}


def invoice_totals(customer: str, unpaid_only: bool = False) -> list[dict]:
	"""Per currency: invoices, amount, paid, outstanding and overdue outstanding; one query."""
	rows = frappe.db.sql(
		_INVOICES_SQL.format(select=_TOTALS_FIELDS, unpaid=_unpaid(unpaid_only))
		+ " group by si.currency order by si.currency",
		_values(customer),
		as_dict=True,
	)
	return [
		frappe._dict(
			currency=row.currency,
			invoices=cint(row.invoices),
			**{key: flt(row[key], 2) for key in ("amount", "paid", "outstanding", "overdue")},
		)
		for row in rows
	]


def payments_of(customer: str, invoices: list[str]) -> dict[str, list]:
	"""The submitted Payment Entries of the customer allocated to `invoices`, per invoice; one query."""
	if not invoices:
		return {}
	rows = frappe.db.sql(
		"""select ref.reference_name as invoice, pe.name as payment_entry, pe.posting_date,
			pe.mode_of_payment, pe.reference_no, ref.allocated_amount
		from `tabPayment Entry Reference` ref
		join `tabPayment Entry` pe on pe.name = ref.parent and ref.parenttype = 'Payment Entry'
		where pe.docstatus = 1 and pe.party_type = 'Customer' and pe.party = %(customer)s
			and ref.reference_doctype = 'Sales Invoice' and ref.reference_name in %(invoices)s
		order by pe.posting_date, pe.name""",
		{"customer": customer, "invoices": tuple(invoices)},
		as_dict=True,
	)
	out = defaultdict(list)
	for row in rows:
		row.allocated_amount = flt(row.allocated_amount, 2)
		out[row.invoice].append(row)
	return dict(out)


def unpaid_invoices(customer: str) -> list[frappe._dict]:
	"""Every invoice with something still owed, oldest due first (the statement's lines); one query."""
	on = getdate(today())
	rows = frappe.db.sql(
		_INVOICES_SQL.format(select=_ROW_FIELDS, unpaid=_unpaid(True))
		+ " order by si.due_date asc, si.posting_date asc, si.name asc",
		_values(customer),
		as_dict=True,
	)
	return [_clean(row, on) for row in rows]


def statement(customer: str) -> dict:
	"""The statement's content: the unpaid invoices and their totals per currency (Decimal sums of
	the same lines, so the totals always equal the sum of the outstanding amounts printed)."""
	rows = unpaid_invoices(customer)
	on = getdate(today())
	totals = totals_per_currency(rows, ("amount", "paid", "outstanding"))
	overdue = totals_per_currency([row for row in rows if row.overdue], ("outstanding",))
	overdue_by_currency = {row["currency"]: row["outstanding"] for row in overdue}
	for total in totals:
		total["overdue"] = overdue_by_currency.get(total["currency"], 0)
	return {"customer": customer, "date": on, "rows": rows, "totals": totals}


def customer_of_invoice(name: str) -> str | None:
	return frappe.db.get_value("Sales Invoice", {"name": name, "docstatus": 1}, "customer") if name else None


def statement_pdf(customer: str) -> bytes:
	"""The statement of the unpaid invoices as a PDF (Jinja template + Frappe's wkhtmltopdf)."""
	from frappe.utils import fmt_money, formatdate
	from frappe.utils.pdf import get_pdf

	data = statement(customer)
	company = frappe.defaults.get_user_default("company") or frappe.db.get_single_value(
		"Global Defaults", "default_company"
	)
	html = frappe.render_template(
		STATEMENT_TEMPLATE,
		{
			**data,
			"customer_name": frappe.db.get_value("Customer", customer, "customer_name") or customer,
			"company": company,
			"fmt_money": fmt_money,
			"formatdate": formatdate,
			"_": _,
		},
	)
	from rma_portal.services.portal_print import PDF_OPTIONS

	return get_pdf(html, {"page-size": "A4", **PDF_OPTIONS})
