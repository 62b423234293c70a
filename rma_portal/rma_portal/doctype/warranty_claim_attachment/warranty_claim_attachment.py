# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

from frappe.model.document import Document


class WarrantyClaimAttachment(Document):
	"""A file of a Customer Warranty Claim: the customer's (uploaded with the claim) or the staff's."""

	pass
