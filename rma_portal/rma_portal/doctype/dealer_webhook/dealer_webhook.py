# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

"""An HTTPS endpoint a customer's administrator registered for portal events; each delivery is signed with the endpoint's secret (HMAC-SHA256). Written by rma_portal.services.dealer_api, never by hand."""

from frappe.model.document import Document


class DealerWebhook(Document):
	pass
