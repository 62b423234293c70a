"""RMA Settings with the defaults the portal relies on when a field is empty."""

import frappe
from frappe import _
from frappe.utils import flt, strip_html_tags

from rma_portal.domain.numbering import DEFAULT_PATTERN

# What a company's row in RMA Settings "Per Company" may set for its own RMAs
COMPANY_FIELDS = ("fee_amount", "fee_item", "number_format", "return_address")


def rma_settings(company: str | None = None) -> frappe._dict:
	"""The settings; with `company`, that company's own fee, fee item, number format and return address
	where its row sets them (an RMA belongs to the company of the invoices it returns)."""
	doc = frappe.get_cached_doc("RMA Settings")
	settings = _general(doc)
	row = next((r for r in doc.get("company_settings") or [] if company and r.company == company), None)
	for field in COMPANY_FIELDS if row else ():
		if row.get(field):
			settings[field] = flt(row.get(field)) if field == "fee_amount" else row.get(field)
	return settings


def _general(doc) -> frappe._dict:
	return frappe._dict(
		fee_amount=flt(doc.fee_amount),
		fee_item=doc.fee_item,
		fee_includes_vat=bool(doc.get("fee_includes_vat")),
		fee_vat=doc.get("fee_vat") or "As on the Invoice",
		history_months=doc.history_months or 12,
		number_format=doc.number_format or DEFAULT_PATTERN,
		return_address=doc.return_address or "",
		terms=doc.terms or "",
		# paid repairs of service requests (services/service/service_desk.py)
		repair_item=doc.get("repair_item"),
		handling_charge=flt(doc.get("handling_charge")),
		handling_charge_item=doc.get("handling_charge_item"),
	)


def translated_terms(terms: str) -> str:
	"""The return terms in the user's language when staff translated them in the Translation list;
	as saved otherwise. Frappe keeps a Translation's source text without HTML, so look it up so."""
	source = strip_html_tags(terms or "").strip()
	if not source:
		return ""
	translated = _(source)
	return terms if translated == source else translated
