# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

"""A user's request to become the administrator of a company (SPEC §4): company data, registration
documents, the signed authorisation; staff accept or reject it (rma_portal.services.company.authorisations)."""

from frappe.model.document import Document


class CompanyAuthorisation(Document):
	def validate(self):
		from rma_portal.services.company import authorisations

		authorisations.validate(self)
