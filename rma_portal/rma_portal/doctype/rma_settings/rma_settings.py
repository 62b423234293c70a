# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from rma_portal.domain.numbering import validate_pattern


class RMASettings(Document):
	def validate(self):
		for error in validate_pattern(self.number_format or ""):
			frappe.throw(_("RMA Number Format: {0}").format(_(error.message).format(**error.kwargs)))
		if (self.fee_amount or 0) < 0:
			frappe.throw(_("Fee per Return: must not be negative"))
		if (self.fee_amount or 0) > 0 and not self.fee_item:
			frappe.throw(_("Fee Item: required when a fee per return is set"))
		for row in self.get("company_settings") or []:
			if row.number_format:
				for error in validate_pattern(row.number_format):
					frappe.throw(
						_("Per Company, row {0}: {1}").format(
							row.idx, _(error.message).format(**error.kwargs)
						)
					)
			if (row.fee_amount or 0) < 0:
				frappe.throw(_("Per Company, row {0}: the fee must not be negative").format(row.idx))
		if (self.history_months or 0) < 1:
			frappe.throw(_("Months of Order History Shown: must be at least 1"))
