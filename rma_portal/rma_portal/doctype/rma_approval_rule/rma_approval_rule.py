# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class RMAApprovalRule(Document):
	"""One line of the returns policy: conditions and an outcome (services/policy/approval.py applies
	them, domain/approval_rules.py matches them)."""

	def validate(self):
		if self.outcome == "Decline" and not (self.decline_message or "").strip():
			frappe.throw(_("Message to the Dealer: say why the request is declined."))
		if self.max_request_value and flt(self.min_request_value) > flt(self.max_request_value):
			frappe.throw(_("Request Value at Least: cannot be more than the value at most."))
		if (
			self.max_days_since_delivery
			and (self.min_days_since_delivery or 0) > self.max_days_since_delivery
		):
			frappe.throw(_("Days Since Delivery at Least: cannot be more than the days at most."))

	def on_update(self):
		from rma_portal.services.policy import approval

		approval.clear_rules_cache()

	def on_trash(self):
		from rma_portal.services.policy import approval

		approval.clear_rules_cache()
