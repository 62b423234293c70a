# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

from frappe.model.document import Document

from rma_portal.services.accounts import account_requests


class DealerAccountRequest(Document):
	def validate(self):
		account_requests.validate(self)

	def onload(self):
		if self.status == "Open":  # the desk form warns when the requester has nothing to do with the account
			self.set_onload("requester_relation", account_requests.relation_note(self))
