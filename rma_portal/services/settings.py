"""RMA Settings with the defaults the portal relies on when a field is empty."""

import frappe
from frappe import _
from frappe.utils import flt, strip_html_tags

from rma_portal.domain.numbering import DEFAULT_PATTERN


def rma_settings() -> frappe._dict:
	doc = frappe.get_cached_doc("RMA Settings")
	return frappe._dict(
		fee_amount=flt(doc.fee_amount),
		fee_item=doc.fee_item,
		history_months=doc.history_months or 12,
		number_format=doc.number_format or DEFAULT_PATTERN,
		return_address=doc.return_address or "",
		terms=doc.terms or "",
	)


def translated_terms(terms: str) -> str:
	"""The return terms in the user's language when staff translated them in the Translation list;
	as saved otherwise. Frappe keeps a Translation's source text without HTML, so look it up so."""
	source = strip_html_tags(terms or "").strip()
	if not source:
		return ""
	translated = _(source)
	return terms if translated == source else translated
