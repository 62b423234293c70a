# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

from frappe.model.document import Document

from rma_portal.services import account_requests


class DealerAccountRequest(Document):
	def validate(self):
		account_requests.validate(self)
