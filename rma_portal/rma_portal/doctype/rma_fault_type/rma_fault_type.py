# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class RMAFaultType(Document):
	def validate(self):
		seen = set()
		for row in self.items:
			if row.item_code in seen:
				frappe.throw(_("Row {0}: item {1} is listed twice.").format(row.idx, row.item_code))
			seen.add(row.item_code)
