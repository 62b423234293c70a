# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

"""A key a dealer's system calls the portal with, as one member of one customer, with at most that member's rights; only the SHA-256 of its secret is stored. Written by rma_portal.services.dealer_api, never by hand."""

from frappe.model.document import Document


class DealerAPIKey(Document):
	pass
