# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Customer Warranty Claim: a customer's claim for a warranty decision (SPEC §2).

Not ERPNext's "Warranty Claim" (support module): this one links the ERPNext records (Customer, Item,
Serial No, Sales Invoice) and carries the portal side: the customer's and staff's files, the
supplier's response and the credit document. The status moves only through the named actions in
services/warranty/warranty_claims.py (machine domain.transitions.WARRANTY_CLAIM).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from rma_portal.services.shared.plain_text import keep_plain_text

STATUS_ACTIONS = "Start processing, Grant, Refuse"


class CustomerWarrantyClaim(Document):
	def validate(self):
		self.guard_status()
		keep_plain_text(self)
		self.stamp_attachments()

	def on_update(self):
		from rma_portal.services.warranty.warranty_claims import make_claim_files_private

		make_claim_files_private(self)

	def guard_status(self):
		"""Status, decision and goods-received move only through the services' actions (which set the flag)."""
		if self.is_new() or self.flags.status_change_allowed:
			return
		for field in ("status", "goods_received", "credit_document", "credit_document_file", "decision_note"):
			if self.has_value_changed(field):
				frappe.throw(
					_("{0}: change it with the actions ({1}).").format(
						_(self.meta.get_label(field)), _(STATUS_ACTIONS)
					),
					title=_("Not allowed"),
				)

	def stamp_attachments(self):
		for row in self.attachments:
			if not row.added_by:
				row.added_by = frappe.session.user
			if not row.added_on:
				row.added_on = now_datetime()


def has_website_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""has_website_permission hook: a customer's portal users see that customer's claims (the ones they
	raised and their reports', unless they see all of the company's)."""
	from rma_portal import access

	return access.sees_raised_by("warranty.read", doc.customer, doc.get("portal_user"), user)
