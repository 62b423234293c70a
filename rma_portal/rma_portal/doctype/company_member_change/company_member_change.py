# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

"""One change of a company member's rights, supervisor, enabled state or administrator: who made it,
when, before and after (SPEC §4). Written by rma_portal.services.company.members, never by hand."""

from frappe.model.document import Document


class CompanyMemberChange(Document):
	pass
