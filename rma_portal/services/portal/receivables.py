"""The customer's receivable as ERPNext's Payment Ledger says it (SPEC §5): the source of every amount
owed that the portal shows (/portal, /portal/invoices, the chart, the statement).

ERPNext v15 books every invoice, credit note, payment and journal entry of a customer as Payment
Ledger Entries (PLE) against the voucher they settle (`against_voucher_*`): an invoice's own entry,
the payments allocated to it and the credit notes made against it share its `against_voucher_no`;
an unallocated payment, advance or credit note is its own open voucher. The sum per open voucher is
ERPNext's outstanding (Sales Invoice.outstanding_amount and the Accounts Receivable report are built
from the same entries), and the sum of all of them is the customer's balance, per account currency.
Cancelled vouchers' entries are delinked and left out, as ERPNext does.

The open items are one grouped range of the index `rma_portal_party_balance` on Payment Ledger Entry
(services/history/list_indexes.py), which holds every column the grouping reads: its cost follows the
customer's ledger rows, read from the index alone, whatever the size of the whole ledger.

The figures over the whole of a customer's ledger and invoices that every page view needs (the
summary, the invoices' count and amounts) are computed once per change of them, not once per view
(`kept`): at 200,000 delivered lines the summary groups about 100,000 ledger rows (benchmarks/
RESULTS.md, section http-ledger). They are kept in the cache under the newest `modified` of the
customer's ledger entries and of their invoices, which ERPNext sets on every entry it makes,
delinks or re-points and on every invoice it submits, cancels or settles: two one-row reads of an
index. Any change gives a new key, read in the same transaction as the figures, so what a page shows
is the ledger as the request sees it (a rolled-back change leaves a key nobody asks for again).

Callers check access first; these functions then trust `customer`.
"""

import hashlib

import frappe
from frappe.utils import flt, getdate, today

from rma_portal.domain.portal import is_overdue

INVOICE = "Sales Invoice"
# Half a cent: a voucher whose entries sum to less is settled (ERPNext rounds outstanding to 2 places).
SETTLED_BELOW = 0.005
# Seconds a kept figure lives at most: bounds what a change that leaves `modified` alone (none known;
# hosts whose clocks differ by more than the time between two changes) could keep showing.
KEPT_FOR = 600

# The newest change of the customer's ledger and invoices: one row of each index (list_indexes.py)
_CHANGED_SQL = """select
	(select max(modified) from `tabPayment Ledger Entry`
		where party_type = 'Customer' and party = %(customer)s),
	(select max(modified) from `tabSales Invoice` where customer = %(customer)s)"""

# An invoice's amount in the receivable account's currency (ERPNext keeps outstanding_amount in it):
# the rounded total unless rounding is off, in the company currency when the account is kept in it
# (an invoice without party_account_currency, never one ERPNext made, counts in its own currency).
ACCOUNT_CURRENCY_SQL = "ifnull(si.party_account_currency, si.currency)"
INVOICE_AMOUNT_SQL = """if(ifnull(si.party_account_currency, si.currency) = si.currency,
	if(si.disable_rounded_total = 1 or si.rounded_total = 0, si.grand_total, si.rounded_total),
	if(si.disable_rounded_total = 1 or si.base_rounded_total = 0, si.base_grand_total, si.base_rounded_total))"""

# The customer's open vouchers, grouped from the index alone ({where}: which kinds).
_LEDGER_SQL = f"""
	select ple.account_currency as currency, ple.against_voucher_type as voucher_type,
		ple.against_voucher_no as voucher_no, sum(ple.amount_in_account_currency) as outstanding
	from `tabPayment Ledger Entry` ple
	where ple.party_type = 'Customer' and ple.party = %(customer)s and ple.delinked = 0 {{where}}
	group by ple.against_voucher_type, ple.against_voucher_no, ple.account_currency
	having abs(sum(ple.amount_in_account_currency)) >= {SETTLED_BELOW}
"""  # nosec B608 - only module constants are formatted in

# Each open voucher's documents: the invoice, payment or journal entry it is.
_DOCUMENTS = """
left join `tabSales Invoice` si on led.voucher_type = 'Sales Invoice' and si.name = led.voucher_no
left join `tabPayment Entry` pe on led.voucher_type = 'Payment Entry' and pe.name = led.voucher_no
left join `tabJournal Entry` je on led.voucher_type = 'Journal Entry' and je.name = led.voucher_no
"""

_OPEN_ITEMS_SQL = f"""
select led.currency, led.voucher_type, led.voucher_no, led.outstanding,
	coalesce(si.posting_date, pe.posting_date, je.posting_date) as posting_date,
	si.due_date, si.po_no, si.is_return, si.return_against, si.currency as invoice_currency,
	if(si.name is null, null, {INVOICE_AMOUNT_SQL}) as amount,
	pe.payment_type, pe.mode_of_payment, coalesce(pe.reference_no, je.cheque_no) as reference_no
from ({_LEDGER_SQL}) led
{_DOCUMENTS}
"""  # nosec B608 - only module constants are formatted in

# One row per currency, due week (-1 overdue, `weeks` later, null for credits) and kind (invoice or
# not): the count, balance and invoice amount of its open vouchers. The totals and the chart of a
# page are sums of these rows: the customer's ledger is read once, whatever the number of vouchers.
_SUMMARY_SQL = f"""
select summary.currency, summary.bucket, summary.is_invoice, count(*) as vouchers,
	sum(summary.outstanding) as outstanding, sum(summary.amount) as amount
from (
	select items.currency, items.outstanding, items.amount, items.voucher_type = 'Sales Invoice' as is_invoice,
		case when items.outstanding < 0 then null
			when items.due < %(today)s then -1
			when datediff(items.due, %(today)s) div 7 >= %(weeks)s then %(weeks)s
			else datediff(items.due, %(today)s) div 7 end as bucket
	from (
		select led.currency, led.voucher_type, led.outstanding,
			if(si.name is null, 0, {INVOICE_AMOUNT_SQL}) as amount,
			coalesce(si.due_date, pe.posting_date, je.posting_date, %(today)s) as due
		from ({_LEDGER_SQL.format(where="")}) led
		{_DOCUMENTS}
	) items
) summary
group by summary.currency, summary.bucket, summary.is_invoice
"""  # nosec B608 - only module constants are formatted in


def _clean(rows: list[dict]) -> list[frappe._dict]:
	on = getdate(today())
	for row in rows:
		row.outstanding = flt(row.outstanding, 2)
		row.amount = flt(row.amount, 2) if row.amount is not None else None
		row.is_invoice = row.voucher_type == INVOICE
		# a voucher with no due date of its own (payment, journal) is due from its posting date
		due = getdate(row.due_date or row.posting_date) if (row.due_date or row.posting_date) else None
		row.overdue = is_overdue(due, row.outstanding, on)
	return rows


def open_items(customer: str) -> list[frappe._dict]:
	"""Every voucher of the customer with a balance in the Payment Ledger: invoices still owed (> 0),
	credit notes, payments and advances not yet allocated (< 0); oldest due first (the statement).
	One query."""
	rows = _clean(frappe.db.sql(_OPEN_ITEMS_SQL.format(where=""), {"customer": customer}, as_dict=True))
	rows.sort(key=lambda r: (str(r.due_date or r.posting_date or ""), r.voucher_type, r.voucher_no))
	return rows


def open_invoices(customer: str, limit: int, offset: int = 0) -> list[str]:
	"""One page of the customer's Sales Invoices (credit notes included) with a ledger balance, newest
	first: their names. ERPNext keeps each invoice's outstanding_amount equal to its Payment Ledger
	balance (it recomputes it from the ledger at every entry, test_customer_credit checks it), so the
	page is read from the index rma_portal_customer_open newest first until it is full, whatever the
	number of the customer's invoices; the amounts shown are the ledger's (balances_of)."""
	return frappe.db.sql_list(
		"""select si.name from `tabSales Invoice` si
		where si.customer = %(customer)s and si.docstatus = 1 and si.outstanding_amount != 0
		order by si.posting_date desc, si.name desc limit %(limit)s offset %(offset)s""",
		{"customer": customer, "limit": limit, "offset": offset},
	)


def unallocated(customer: str) -> list[frappe._dict]:
	"""The open vouchers that are not invoices: payments, advances and journal entries not (fully)
	allocated, oldest first. One query (a range of the index: few rows)."""
	return _clean(
		frappe.db.sql(
			_OPEN_ITEMS_SQL.format(where="and ple.against_voucher_type != 'Sales Invoice'")
			+ " order by posting_date, led.voucher_no",
			{"customer": customer},
			as_dict=True,
		)
	)


def changes(customer: str) -> tuple:
	"""The newest change of the customer's ledger entries and of their invoices: what `kept` figures
	are keyed by. A page that shows several kept figures reads it once and passes it on."""
	return tuple(frappe.db.sql(_CHANGED_SQL, {"customer": customer})[0])


def kept(customer: str, name: str, compute, *args, changed: tuple | None = None):
	"""compute(customer, *args), computed once per change of the customer's ledger or invoices;
	`changed`: changes(customer) read by the caller in this request."""
	changed = changes(customer) if changed is None else changed
	fingerprint = repr((customer, name, args, *changed)).encode()
	key = "rma_portal:ledger:" + hashlib.sha256(fingerprint).hexdigest()
	value = frappe.cache.get_value(key, expires=True)
	if value is None:
		value = compute(customer, *args)
		frappe.cache.set_value(key, value, expires_in_sec=KEPT_FOR)
	return value


def summary(customer: str, weeks: int = 8, changed: tuple | None = None) -> dict[str, frappe._dict]:
	"""Per account currency, from one grouped read of the ledger: balance (the customer's receivable
	in ERPNext) = owed (open invoices and debits) + credits (unallocated credit notes, payments and
	advances, negative); overdue; the invoices still owed; the open invoices (credit notes included)
	with their balance and amount; and `buckets`, what is owed per due week (overdue, the next
	`weeks` weeks from today, later). Kept between changes of the ledger (`kept`, `changed` as there)."""
	return kept(customer, "summary", _summary, weeks, getdate(today()), changed=changed)


def _summary(customer: str, weeks: int, on) -> dict[str, frappe._dict]:
	rows = frappe.db.sql(_SUMMARY_SQL, {"customer": customer, "today": on, "weeks": weeks}, as_dict=True)
	out: dict[str, frappe._dict] = {}
	for row in rows:
		total = out.setdefault(row.currency, _empty(row.currency, weeks))
		balance = flt(row.outstanding)
		total.balance += balance
		if row.bucket is None:
			total.credits += balance
		else:
			total.owed += balance
			total.buckets[int(row.bucket) + 1] += balance
			total.overdue += balance if int(row.bucket) < 0 else 0
			total.owed_invoices += int(row.vouchers) if row.is_invoice else 0
		if row.is_invoice:
			total.open_invoices += int(row.vouchers)
			total.invoice_balance += balance
			total.invoice_amount += flt(row.amount)
	for total in out.values():
		for key in ("owed", "credits", "balance", "overdue", "invoice_balance", "invoice_amount"):
			total[key] = flt(total[key], 2)
		total.buckets = [flt(value, 2) for value in total.buckets]
	return dict(sorted(out.items()))


def _empty(currency: str, weeks: int) -> frappe._dict:
	return frappe._dict(
		currency=currency,
		owed=0.0,
		credits=0.0,
		balance=0.0,
		overdue=0.0,
		owed_invoices=0,
		open_invoices=0,
		invoice_balance=0.0,
		invoice_amount=0.0,
		buckets=[0.0] * (weeks + 2),
	)


def balances_of(names: list[str]) -> dict[str, float]:
	"""The Payment Ledger balance of each of the given Sales Invoices (0 when settled); one query on
	ERPNext's own index (against_voucher_no, against_voucher_type)."""
	if not names:
		return {}
	rows = frappe.db.sql(
		"""select against_voucher_no, sum(amount_in_account_currency)
		from `tabPayment Ledger Entry`
		where against_voucher_type = 'Sales Invoice' and against_voucher_no in %(names)s and delinked = 0
		group by against_voucher_no""",
		{"names": tuple(names)},
	)
	out = dict.fromkeys(names, 0.0)
	out.update({name: flt(balance, 2) for name, balance in rows})
	return out
