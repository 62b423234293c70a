# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from rma_portal.domain.fee_rules import PERCENTAGE


class RMAFeeRule(Document):
	def validate(self):
		errors = []
		if self.basis == PERCENTAGE and not 0 < flt(self.percentage) <= 100:
			errors.append(_("Percentage: enter a percentage above 0 and at most 100."))
		if self.basis != PERCENTAGE and flt(self.amount) < 0:
			errors.append(_("Amount: the fee cannot be negative."))
		if flt(self.maximum) and flt(self.maximum) < flt(self.minimum):
			errors.append(_("Maximum Fee: it is below the minimum fee."))
		if self.max_age_days and self.max_age_days < (self.min_age_days or 0):
			errors.append(_("Delivered at Most (Days Ago): it is below 'Delivered at Least'."))
		if errors:
			frappe.throw(errors, title=_("Cannot save the fee rule"), as_list=True)
