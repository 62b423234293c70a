"""Invoices and payments (SPEC §5): the customer's submitted Sales Invoices (credit notes included), the
payments made against them (Payment Entry references), the credit notes, payments and advances not
yet allocated, the totals per currency and the statement of everything open.

Every amount owed comes from ERPNext's Payment Ledger (services/portal/receivables.py): an invoice's
outstanding, the unallocated credits and the balance, which equals the customer's receivable in
ERPNext to the cent. Per currency (the receivable account's), the totals always add up:
amount - paid + unallocated = balance, where paid is what was settled of the invoices listed.

"All invoices" is a page of the Sales Invoices by date (the index rma_portal_customer_posting), their
ledger balances (ERPNext's index on against_voucher_no) and their payments; "unpaid only" and the
statement are the ledger's open items. Overdue follows domain.portal.is_overdue: from the day after
the due date while something is owed.

Callers (api/, www/) check access first; these functions then trust `customer`.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, flt, getdate, today

from rma_portal.domain.portal import is_overdue, totals_per_currency
from rma_portal.services.portal import receivables
from rma_portal.services.shared.query import page_bounds

STATEMENT_TEMPLATE = "rma_portal/templates/portal/statement.html"

_INVOICES_SQL = """
select {select}
from `tabSales Invoice` si
where si.customer = %(customer)s and si.docstatus = 1 {where}
"""

# Amounts in the receivable account's currency, the ledger's (the invoice's own currency beside).
_ROW_FIELDS = f"""si.name, si.posting_date, si.due_date, {receivables.ACCOUNT_CURRENCY_SQL} as currency,
	si.currency as invoice_currency, si.is_return, si.return_against, si.po_no, si.status,
	{receivables.INVOICE_AMOUNT_SQL} as amount"""

_AMOUNT_TOTALS_FIELDS = f"""{receivables.ACCOUNT_CURRENCY_SQL} as currency, count(*) as invoices,
	sum({receivables.INVOICE_AMOUNT_SQL}) as amount"""


def _row(row: dict, outstanding: float, on) -> frappe._dict:
	row = frappe._dict(row)
	row.amount = flt(row.amount, 2)
	row.outstanding = flt(outstanding, 2)
	row.paid = flt(row.amount - row.outstanding, 2)
	row.overdue = is_overdue(getdate(row.due_date) if row.due_date else None, row.outstanding, on)
	return row


def _invoice_rows(customer: str, names: list[str]) -> list[dict]:
	if not names:
		return []
	rows = frappe.db.sql(
		_INVOICES_SQL.format(select=_ROW_FIELDS, where="and si.name in %(names)s"),
		{"customer": customer, "names": tuple(names)},
		as_dict=True,
	)
	order = {name: index for index, name in enumerate(names)}
	return sorted(rows, key=lambda row: order[row.name])


def invoice_list(customer: str, unpaid_only: bool = False, page: int = 1, page_size: int = 20) -> dict:
	"""One page of the customer's invoices, newest first (only those with a ledger balance when
	`unpaid_only`), each with its payments; the vouchers open in the ledger that are not invoices
	(`unallocated`); the totals per currency. Five queries, six for "unpaid only", while the figures
	kept by receivables.kept are unchanged (their key is read once for both)."""
	page, page_size = page_bounds(page, page_size)
	offset = (page - 1) * page_size
	changed = receivables.changes(customer)
	ledger = receivables.summary(customer, changed=changed)
	amounts = None
	if unpaid_only:
		names = receivables.open_invoices(customer, page_size, offset)
		rows = _invoice_rows(customer, names)
		total = sum(figures.open_invoices for figures in ledger.values())
	else:
		values = {"customer": customer, "limit": page_size, "offset": offset}
		rows = frappe.db.sql(
			_INVOICES_SQL.format(select=_ROW_FIELDS, where="")
			+ " order by si.posting_date desc, si.name desc limit %(limit)s offset %(offset)s",
			values,
			as_dict=True,
		)
		amounts = invoice_amounts(customer, changed)
		total = sum(count for count, _amount in amounts.values())
	on = getdate(today())
	balances = receivables.balances_of([row.name for row in rows])
	rows = [_row(row, balances.get(row.name, 0), on) for row in rows]
	payments = payments_of(customer, [row.name for row in rows])
	for row in rows:
		row.payments = payments.get(row.name, [])
	return {
		"rows": rows,
		"total": cint(total),
		"page": page,
		"page_size": page_size,
		"totals": invoice_totals(customer, unpaid_only, ledger, amounts),
		"unallocated": receivables.unallocated(customer),
	}


def invoice_totals(
	customer: str, unpaid_only: bool = False, ledger: dict | None = None, amounts: dict | None = None
) -> list[dict]:
	"""Per currency: the invoices counted (all, or those still open), their amount and what of it was
	settled (paid), the unallocated payments and advances, the balance (outstanding: the customer's
	receivable in ERPNext) and what of it is overdue. amount - paid + unallocated = outstanding.
	`ledger` and `amounts`: receivables.summary and invoice_amounts of the customer, when the caller
	has them."""
	ledger = receivables.summary(customer) if ledger is None else ledger
	if unpaid_only:
		amounts = {c: (f.open_invoices, f.invoice_amount) for c, f in ledger.items()}
	elif amounts is None:
		amounts = invoice_amounts(customer)
	out = []
	for currency in sorted(set(amounts) | set(ledger)):
		figures = ledger.get(currency) or frappe._dict()
		invoices, amount = amounts.get(currency, (0, 0.0))
		invoice_balance = flt(figures.get("invoice_balance"), 2)
		balance = flt(figures.get("balance"), 2)
		out.append(
			frappe._dict(
				currency=currency,
				invoices=cint(invoices),
				amount=flt(amount, 2),
				paid=flt(amount - invoice_balance, 2),
				unallocated=flt(balance - invoice_balance, 2),
				outstanding=balance,
				credits=flt(figures.get("credits"), 2),
				owed_invoices=cint(figures.get("owed_invoices")),
				overdue=flt(figures.get("overdue"), 2),
			)
		)
	return out


def invoice_amounts(customer: str, changed: tuple | None = None) -> dict[str, tuple[int, float]]:
	"""Per currency: the number of the customer's invoices (credit notes included) and their amount.
	Kept between changes of the customer's invoices and ledger (receivables.kept, `changed` as
	there): at 200,000 delivered lines the index range has 48,000 invoices."""
	return receivables.kept(customer, "invoice_amounts", _invoice_amounts, changed=changed)


def _invoice_amounts(customer: str) -> dict[str, tuple[int, float]]:
	rows = frappe.db.sql(
		_INVOICES_SQL.format(select=_AMOUNT_TOTALS_FIELDS, where="")
		+ f" group by {receivables.ACCOUNT_CURRENCY_SQL}",
		{"customer": customer},
		as_dict=True,
	)
	return {row.currency: (cint(row.invoices), flt(row.amount)) for row in rows}


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


def item_kind(item) -> str:
	"""What an open ledger item is, in the customer's words (translated by the page)."""
	if item.voucher_type == receivables.INVOICE:
		return "Credit note" if item.is_return else "Invoice"
	if item.voucher_type == "Payment Entry":
		return "Refund" if item.payment_type == "Pay" else "Payment"
	if item.voucher_type == "Journal Entry":
		return "Journal entry"
	return item.voucher_type


def statement_lines(customer: str) -> list[frappe._dict]:
	"""Every open item of the customer's ledger, oldest due first (the statement's lines): name, kind,
	dates, amount, paid (of invoices) and outstanding; one query."""
	lines = []
	for item in receivables.open_items(customer):
		amount = item.amount if item.is_invoice else item.outstanding
		lines.append(
			frappe._dict(
				name=item.voucher_no,
				kind=item_kind(item),
				currency=item.currency,
				posting_date=item.posting_date,
				due_date=item.due_date,
				amount=flt(amount, 2),
				paid=flt(amount - item.outstanding, 2),
				outstanding=item.outstanding,
				overdue=item.overdue,
			)
		)
	return lines


def unpaid_invoices(customer: str) -> list[frappe._dict]:
	"""The invoices (credit notes included) with a ledger balance, oldest due first."""
	return [line for line in statement_lines(customer) if line.kind in ("Invoice", "Credit note")]


def statement(customer: str) -> dict:
	"""The statement's content: every open ledger item and the totals per currency (Decimal sums of
	the same lines, so the totals always equal the sum of the amounts printed, and the balance is the
	customer's receivable in ERPNext)."""
	rows = statement_lines(customer)
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
	from rma_portal.services.portal.portal_print import PDF_OPTIONS

	return get_pdf(html, {"page-size": "A4", **PDF_OPTIONS})
