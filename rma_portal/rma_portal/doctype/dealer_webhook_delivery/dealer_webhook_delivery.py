# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

"""One event sent (or being sent) to a dealer's webhook endpoint: the signed body, the attempts and the answer. Written by rma_portal.services.dealer_api, never by hand."""

from frappe.model.document import Document


class DealerWebhookDelivery(Document):
	pass
