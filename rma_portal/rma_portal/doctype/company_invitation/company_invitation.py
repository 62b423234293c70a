# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

"""An invitation to act for a customer company: the invited person accepts or declines it from their
portal (/company); it expires and can be sent again (SPEC §4). The rules: rma_portal.services.company.members."""

from frappe.model.document import Document


class CompanyInvitation(Document):
	pass
