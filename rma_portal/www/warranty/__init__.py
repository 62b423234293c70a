"""Portal pages of warranty claims: /warranty (list), /warranty/new (file a claim),
/warranty/view?name=... (one claim). Data from rma_portal.services.warranty.warranty_claims through the same
checks as rma_portal.api.warranty."""

import frappe
from frappe import _
from frappe.utils import get_user_date_format

STATUS_BADGES = {
	"Received": "info",
	"In processing": "warning",
	"Granted": "success",
	"Refused": "danger",
}


def status_badge_class(status: str | None) -> str:
	return "badge-" + STATUS_BADGES.get(status or "", "secondary")


def common_context(context, title: str):
	context.no_cache = 1
	context.title = title
	context.show_sidebar = True
	context.status_badge_class = status_badge_class
	context.date_format = get_user_date_format()  # date fields are typed and shown in it
	context.parents = [{"route": "/me", "title": _("My Account")}]
