# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class RMACreditHoldLift(Document):
	def before_insert(self):
		self.lifted_by = frappe.session.user
