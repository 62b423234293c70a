"""Portal pages of warranty claims: /warranty (list), /warranty/new (file a claim),
/warranty/view?name=... (one claim). Data from rma_portal.services.warranty.warranty_claims through the same
checks as rma_portal.api.warranty."""

import frappe
from frappe import _
from frappe.utils import get_user_date_format

from rma_portal.www.portal_display import badge_classes, base_context

STATUS_BADGES = {
	"Received": "info",
	"In processing": "warning",
	"Granted": "success",
	"Refused": "danger",
}


status_badge_class = badge_classes(STATUS_BADGES)


def common_context(context, title: str):
	base_context(context, title)
	context.status_badge_class = status_badge_class
	context.date_format = get_user_date_format()  # date fields are typed and shown in it
