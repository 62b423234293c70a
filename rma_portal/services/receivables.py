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
(services/list_indexes.py), which holds every column the grouping reads: its cost follows the
customer's ledger rows, read from the index alone, whatever the size of the whole ledger.

Callers check access first; these functions then trust `customer`.
"""

from collections import defaultdict

import frappe
from frappe.utils import flt, getdate, today

from rma_portal.domain.portal import is_overdue

INVOICE = "Sales Invoice"
# Half a cent: a voucher whose entries sum to less is settled (ERPNext rounds outstanding to 2 places).
SETTLED_BELOW = 0.005

# An invoice's amount in the receivable account's currency (ERPNext keeps outstanding_amount in it):
# the rounded total unless rounding is off, in the company currency when the account is kept in it
# (an invoice without party_account_currency, never one ERPNext made, counts in its own currency).
ACCOUNT_CURRENCY_SQL = "ifnull(si.party_account_currency, si.currency)"
INVOICE_AMOUNT_SQL = """if(ifnull(si.party_account_currency, si.currency) = si.currency,
	if(si.disable_rounded_total = 1 or si.rounded_total = 0, si.grand_total, si.rounded_total),
	if(si.disable_rounded_total = 1 or si.base_rounded_total = 0, si.base_grand_total, si.base_rounded_total))"""

_OPEN_ITEMS_SQL = f"""
select led.currency, led.voucher_type, led.voucher_no, led.outstanding,
	coalesce(si.posting_date, pe.posting_date, je.posting_date) as posting_date,
	si.due_date, si.po_no, si.is_return, si.return_against, si.currency as invoice_currency,
	if(si.name is null, null, {INVOICE_AMOUNT_SQL}) as amount,
	pe.payment_type, pe.mode_of_payment, coalesce(pe.reference_no, je.cheque_no) as reference_no
from (
	select ple.account_currency as currency, ple.against_voucher_type as voucher_type,
		ple.against_voucher_no as voucher_no, sum(ple.amount_in_account_currency) as outstanding
	from `tabPayment Ledger Entry` ple
	where ple.party_type = 'Customer' and ple.party = %(customer)s and ple.delinked = 0
	group by ple.against_voucher_type, ple.against_voucher_no, ple.account_currency
	having abs(sum(ple.amount_in_account_currency)) >= {SETTLED_BELOW}
) led
left join `tabSales Invoice` si on led.voucher_type = 'Sales Invoice' and si.name = led.voucher_no
left join `tabPayment Entry` pe on led.voucher_type = 'Payment Entry' and pe.name = led.voucher_no
left join `tabJournal Entry` je on led.voucher_type = 'Journal Entry' and je.name = led.voucher_no
"""  # nosec B608 - only module constants are formatted in


def open_items(customer: str) -> list[frappe._dict]:
	"""Every voucher of the customer with a balance in the Payment Ledger: invoices still owed (> 0),
	credit notes, payments and advances not yet allocated (< 0); oldest due first. One query."""
	on = getdate(today())
	rows = frappe.db.sql(_OPEN_ITEMS_SQL, {"customer": customer}, as_dict=True)
	for row in rows:
		row.outstanding = flt(row.outstanding, 2)
		row.amount = flt(row.amount, 2) if row.amount is not None else None
		row.is_invoice = row.voucher_type == INVOICE
		# a voucher with no due date of its own (payment, journal) is due from its posting date
		due = getdate(row.due_date or row.posting_date) if (row.due_date or row.posting_date) else None
		row.overdue = is_overdue(due, row.outstanding, on)
	rows.sort(key=lambda r: (str(r.due_date or r.posting_date or ""), r.voucher_type, r.voucher_no))
	return rows


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


def totals(items: list[dict]) -> dict[str, frappe._dict]:
	"""Per currency, from open items: owed (invoices and debits still open), credits (unallocated
	credit notes, payments and advances, negative), balance = owed + credits (the customer's
	receivable in ERPNext), overdue, the invoice part of the balance and the invoices still owed."""
	out: dict[str, frappe._dict] = defaultdict(
		lambda: frappe._dict(
			owed=0.0, credits=0.0, balance=0.0, overdue=0.0, owed_invoices=0, invoice_balance=0.0
		)
	)
	for item in items:
		total = out[item.currency]
		total.balance += item.outstanding
		if item.outstanding > 0:
			total.owed += item.outstanding
			total.overdue += item.outstanding if item.overdue else 0
		else:
			total.credits += item.outstanding
		if item.is_invoice:
			total.owed_invoices += item.outstanding > 0
			total.invoice_balance += item.outstanding
	for currency, total in out.items():
		total.currency = currency
		for key in ("owed", "credits", "balance", "overdue", "invoice_balance"):
			total[key] = flt(total[key], 2)
	return dict(sorted(out.items()))
