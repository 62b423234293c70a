"""RMA Settings with the defaults the portal relies on when a field is empty."""

import frappe
from frappe.utils import flt

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
