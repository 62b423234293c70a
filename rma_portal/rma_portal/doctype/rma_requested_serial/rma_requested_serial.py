# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Rows written by services/returns/requested_serials.py only (SQL), never through this controller."""

from frappe.model.document import Document


class RMARequestedSerial(Document):
	pass
