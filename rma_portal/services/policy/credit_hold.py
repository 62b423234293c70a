"""Credit hold: the portal actions RMA Credit Hold Settings block while a customer has overdue
invoices (the Payment Ledger as the portal reads it: services/portal/receivables.open_items, named in
hooks.py `rma_portal_open_items`), is frozen or is over its credit limit
in ERPNext, unless staff lifted the hold for that customer until a date (RMA Credit Hold Lift).

`check` runs in each action's service right before its write (sending a return, a service request
or its CSV import, a quote request, accepting an offer); the pages ask `page_hold` to show why
instead of the form. With the settings untouched nothing is held (an upgrade changes nothing).
"""

from html import escape
from urllib.parse import quote

import frappe
from frappe import _
from frappe.query_builder.functions import Max
from frappe.utils import flt, fmt_money, formatdate, getdate, today

from rma_portal.domain import credit_hold as rules

INVOICES_URL = "/portal/invoices?unpaid=1"
INVOICE_PDF_URL = "/api/method/rma_portal.api.invoices.download_invoice?name="

ACTION_FIELDS = {
	rules.RETURN: "block_returns",
	rules.SERVICE: "block_service",
	rules.QUOTE_REQUEST: "block_quote_requests",
	rules.OFFER_ACCEPT: "block_offers",
}


class CreditHoldError(frappe.ValidationError):
	"""The customer is on credit hold for this action; the message says why and what to do."""


def settings() -> rules.HoldSettings:
	doc = frappe.get_cached_doc("RMA Credit Hold Settings")
	return rules.HoldSettings(
		actions=frozenset(action for action, field in ACTION_FIELDS.items() if doc.get(field)),
		overdue_days=int(doc.overdue_days or 0) if doc.get("hold_overdue_days") else None,
		overdue_amount=flt(doc.overdue_amount) if doc.get("hold_overdue_amount") else None,
		frozen=bool(doc.get("hold_frozen")),
		credit_limit=bool(doc.get("hold_credit_limit")),
	)


def hold_for(customer: str, action: str) -> rules.Hold | None:
	"""The customer's hold on `action` today, or None: the action is not blocked, nothing holds, or
	staff lifted the hold."""
	policy = settings()
	if not policy.blocks(action):
		return None
	on = getdate(today())
	lifted = lifted_until(customer)
	if rules.is_lifted(lifted, on):
		return None
	found = rules.hold(
		policy,
		_overdue_invoices(customer)
		if policy.overdue_days is not None or policy.overdue_amount is not None
		else [],
		on,
		frozen=policy.frozen and bool(frappe.db.get_value("Customer", customer, "is_frozen")),
		over_credit_limit=policy.credit_limit and over_credit_limit(customer),
		lifted_until=lifted,
	)
	return found or None


def lifted_until(customer: str):
	"""The latest day up to which staff lifted the customer's hold (None: never)."""
	lift = frappe.qb.DocType("RMA Credit Hold Lift")
	rows = frappe.qb.from_(lift).select(Max(lift.lifted_until)).where(lift.customer == customer).run()
	return getdate(rows[0][0]) if rows and rows[0][0] else None


def _overdue_invoices(customer: str) -> list[rules.OverdueInvoice]:
	"""The customer's invoices past due with a balance, from the Payment Ledger (one query)."""
	return [
		rules.OverdueInvoice(row.voucher_no, getdate(row.due_date), flt(row.outstanding), row.currency)
		for row in _open_items(customer)
		if row.is_invoice and row.overdue and row.due_date and flt(row.outstanding) > 0
	]


def _open_items(customer: str) -> list[frappe._dict]:
	"""The customer's open vouchers in the Payment Ledger, read by the function hooks.py names
	(services/portal/receivables.open_items, what /portal/invoices shows): the hold and the page read
	the same figures, and policy, below portal in the packages' order, does not import it."""
	return frappe.get_attr(frappe.get_hooks("rma_portal_open_items")[-1])(customer)


def over_credit_limit(customer: str) -> bool:
	"""ERPNext's own reckoning: for a company with a credit limit for the customer (or its group), the
	outstanding (ledger, open orders, unbilled deliveries) above it."""
	from erpnext.selling.doctype.customer.customer import get_credit_limit, get_customer_outstanding

	group = frappe.get_cached_value("Customer", customer, "customer_group")
	companies = frappe.get_all(
		"Customer Credit Limit",
		filters={"parent": ["in", [customer, group]], "credit_limit": [">", 0]},
		pluck="company",
		distinct=True,
	)
	for company in companies:
		limit = flt(get_credit_limit(customer, company))
		if limit > 0 and flt(get_customer_outstanding(customer, company)) > limit:
			return True
	return False


def check(customer: str, action: str):
	"""Refuse `action` while the customer is on credit hold for it (before the action's write)."""
	found = hold_for(customer, action)
	if found:
		frappe.throw(message(found, action), exc=CreditHoldError, title=_("Your account is on credit hold"))


def action_label(action: str) -> str:
	return {
		rules.RETURN: _("New returns"),
		rules.SERVICE: _("Service requests"),
		rules.QUOTE_REQUEST: _("Quote requests"),
		rules.OFFER_ACCEPT: _("Accepting offers"),
	}[action]


def reason_texts(found: rules.Hold) -> list[str]:
	policy = settings()
	company_currency = frappe.db.get_default("currency")
	texts = {
		rules.OVERDUE_DAYS: _("An invoice is overdue by more than {0} days.").format(policy.overdue_days),
		rules.OVERDUE_AMOUNT: _("Your overdue invoices total more than {0}.").format(
			fmt_money(policy.overdue_amount or 0, currency=company_currency)
		),
		rules.FROZEN: _("Your customer account is frozen in our books."),
		rules.CREDIT_LIMIT: _("Your credit limit is exceeded."),
	}
	return [texts[reason] for reason in found.reasons]


def next_step(found: rules.Hold) -> str:
	if found.invoices:
		return _(
			"Please pay the overdue invoices listed here; the hold ends as soon as the payment is "
			"booked. Questions about an invoice: contact our accounts department."
		)
	return _("Please contact our accounts department to settle your account.")


def invoice_rows(found: rules.Hold) -> list[dict]:
	on = getdate(today())
	return [
		{
			"name": inv.name,
			"due_date": formatdate(inv.due_date),
			"days": rules.days_overdue(inv, on),
			"outstanding": fmt_money(inv.outstanding, currency=inv.currency),
			"url": INVOICE_PDF_URL + quote(inv.name, safe=""),
		}
		for inv in found.invoices
	]


def message(found: rules.Hold, action: str) -> str:
	"""The refusal an API answer carries: why, the overdue invoices linked, what to do next."""
	parts = [
		escape(_("On hold until your account is settled: {0}.").format(action_label(action))),
		*(escape(text) for text in reason_texts(found)),
	]
	rows = invoice_rows(found)
	if rows:
		links = ", ".join(
			'<a href="{}">{}</a> ({}, {})'.format(
				escape(row["url"]),
				escape(row["name"]),
				escape(_("due {0}").format(row["due_date"])),
				escape(row["outstanding"]),
			)
			for row in rows
		)
		parts.append(escape(_("Overdue invoices:")) + " " + links)
		parts.append('<a href="{}">{}</a>'.format(INVOICES_URL, escape(_("Your open invoices"))))
	parts.append(escape(next_step(found)))
	return "<br>".join(parts)


def staff_view(customer: str) -> dict | None:
	"""The hold as staff see it on the Customer form: the actions it would block, whether it holds now
	(the lift aside), the overdue invoices, and the day up to which staff lifted it. None when the
	settings block nothing."""
	policy = settings()
	blocked = [action for action in rules.ACTIONS if policy.blocks(action)]
	if not blocked:
		return None
	on = getdate(today())
	lifted = lifted_until(customer)
	found = rules.hold(
		policy,
		_overdue_invoices(customer),
		on,
		frozen=policy.frozen and bool(frappe.db.get_value("Customer", customer, "is_frozen")),
		over_credit_limit=policy.credit_limit and over_credit_limit(customer),
	)
	return {
		"actions": [action_label(action) for action in blocked],
		"held": bool(found),
		"overdue_invoices": len(found.invoices),
		"lifted_until": lifted if rules.is_lifted(lifted, on) else None,
	}


def page_hold(customer: str, action: str) -> dict | None:
	"""What a page shows instead of its form while the customer is on hold for `action`."""
	found = hold_for(customer, action)
	if not found:
		return None
	return {
		"action": action_label(action),
		"reasons": reason_texts(found),
		"invoices": invoice_rows(found),
		"invoices_url": INVOICES_URL,
		"next_step": next_step(found),
	}
