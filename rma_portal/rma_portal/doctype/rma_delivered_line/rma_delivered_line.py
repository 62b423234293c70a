# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Rows written by services/history/delivered_lines.py only (SQL), never through this controller."""

from frappe.model.document import Document


class RMADeliveredLine(Document):
	pass
