# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CustomerPortalSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		order_delivery_days: DF.Int
		quotation_acceptance: DF.Literal["Make the Sales Order", "Mark accepted for staff to convert"]
		quote_request_creates: DF.Literal["Opportunity", "Draft Quotation"]
	# end: auto-generated types

	pass
