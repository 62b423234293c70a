"""RMA numbers from the configured format, counted in Frappe's Series table (row-locked)."""

from frappe.model.naming import getseries
from frappe.utils import getdate, nowdate

from rma_portal.domain.numbering import format_number, series_key
from rma_portal.services.shared.settings import rma_settings


def next_rma_number(on=None, company: str | None = None) -> str:
	day = getdate(on or nowdate())
	pattern = rma_settings(company).number_format
	seq = int(getseries(series_key(pattern, day.year, day.month), 1))
	return format_number(pattern, seq, day.year, month=day.month)
