"""Portal pages of commercial returns: /rma (list), /rma/new (request), /rma/view?name=... (one RMA).

Helpers shared by the three pages' get_context live here; the data comes from
rma_portal.services.returns through the same checks as rma_portal.api.returns.
"""

import base64
import json
from io import BytesIO

import frappe
from frappe import _
from frappe.utils import get_user_date_format

from rma_portal.domain.formats import format_qty

STATUS_BADGES = {
	"Draft": "secondary",
	"Expected": "warning",
	"Received": "info",
	"Invoiced": "success",
	"Completed": "success",
	"Rejected": "danger",
	"Cancelled": "dark",
}


def status_badge_class(status: str | None) -> str:
	return "badge-" + STATUS_BADGES.get(status or "", "secondary")


def barcode_data_uri(text: str) -> str | None:
	"""A small Code 128 of `text` as an SVG data URI (for the list and the RMA page); None if it fails."""
	try:
		from barcode import Code128
		from barcode.writer import SVGWriter

		out = BytesIO()
		Code128(text, writer=SVGWriter()).write(
			out, options={"module_width": 0.2, "module_height": 6, "quiet_zone": 1, "write_text": False}
		)
		return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
	except Exception:
		return None


def script_json(value) -> str:
	"""JSON safe to put inside a <script type="application/json"> element."""
	return (
		json.dumps(value, default=str).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
	)


def common_context(context, title: str):
	context.no_cache = 1
	context.title = title
	context.status_badge_class = status_badge_class
	context.fmt_qty = format_qty
	context.date_format = get_user_date_format()  # date fields are typed and shown in it
	context.parents = [{"route": "/me", "title": _("My Account")}]
