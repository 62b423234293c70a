# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

from frappe.model.document import Document


class RMAReceiptPhoto(Document):
	pass
