# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

"""A user's membership of a customer company: rights flags, supervisor, administrator (SPEC §4).

The rules live in rma_portal.services.company.members; this controller only calls them."""

from frappe.model.document import Document


class CompanyMember(Document):
	def validate(self):
		from rma_portal.services.company import members

		members.validate_member(self)

	def on_update(self):
		from rma_portal import access
		from rma_portal.services.company import members

		members.after_change(self)
		access.clear_cache()

	def on_trash(self):
		from rma_portal.services.company import members

		members.before_delete(self)
