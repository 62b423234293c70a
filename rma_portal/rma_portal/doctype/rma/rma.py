# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from rma_portal.domain import outcomes
from rma_portal.domain.transitions import RMA_SETTLED
from rma_portal.services.returns import requested_serials
from rma_portal.services.returns.numbering import next_rma_number
from rma_portal.services.shared.plain_text import keep_plain_text


class RMA(Document):
	def autoname(self):
		self.name = next_rma_number(company=self.company)

	def validate(self):
		self.guard_status()
		self.guard_settled()
		keep_plain_text(self)
		self.total_qty_requested = sum(flt(row.qty_requested) for row in self.items)
		self.total_qty_received = sum(flt(row.qty_received) for row in self.items)
		self.set_outcomes()

	def on_update(self):
		# the serials this RMA holds while it is open, for "already in another open request"
		requested_serials.sync(self)

	def on_trash(self):
		requested_serials.forget(self.name)

	def set_outcomes(self):
		"""Each line's outcome (domain.outcomes) for the desk grid and the portal."""
		from rma_portal.services.returns.lifecycle import outcome_lines

		for row, line in zip(self.items, outcome_lines(self), strict=True):
			row.outcome = outcomes.outcome(line)

	def guard_settled(self):
		"""Once invoiced (or closed) the lines are in ERPNext's books: a save from the form is refused
		(the form is read-only then); the named actions save with ignore_permissions."""
		if self.is_new() or self.flags.ignore_permissions or self.flags.status_change_allowed:
			return
		status = frappe.db.get_value("RMA", self.name, "status")
		if status in RMA_SETTLED:
			frappe.throw(
				_("{0} is {1}: it can no longer be changed, only through its actions.").format(
					self.name, _(status)
				),
				title=_("Not allowed in this status"),
			)

	def guard_status(self):
		"""Status moves only through the named actions in services/returns/lifecycle.py (which set the flag)."""
		if self.is_new() or self.flags.status_change_allowed:
			return
		if self.has_value_changed("status"):
			frappe.throw(_("Status: change it with the actions (Receive, Make Credit Note, Reject, Cancel)."))
