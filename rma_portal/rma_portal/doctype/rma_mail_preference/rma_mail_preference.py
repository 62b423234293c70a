# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

from frappe.model.document import Document


class RMAMailPreference(Document):
	"""Which kinds of e-mail a portal user switched off (services/shared/mail_preferences.py)."""

	pass
