"""Portal pages of commercial returns: /rma (list), /rma/new (request), /rma/view?name=... (one RMA).

Helpers shared by the three pages' get_context live here; the data comes from
rma_portal.services.returns.returns through the same checks as rma_portal.api.returns.
"""

import base64
import json
import os
from functools import lru_cache
from io import BytesIO

import frappe
from frappe import _
from frappe.utils import get_user_date_format

from rma_portal.domain.formats import format_qty
from rma_portal.www.portal_display import badge_classes

STATUS_BADGES = {
	"Draft": "secondary",
	"Requested": "secondary",  # awaiting approval (services/policy)
	"Expected": "warning",
	"Received": "info",
	"Invoiced": "success",
	"Completed": "success",
	"Rejected": "danger",
	"Cancelled": "dark",
}


def status_label(status: str | None) -> str:
	"""The status as the dealer reads it (the badge translates it): "Requested" is awaiting approval."""
	return "Awaiting approval" if status == "Requested" else status or "Draft"


status_badge_class = badge_classes(STATUS_BADGES)


@lru_cache(maxsize=2048)  # a pure function of the number: a list shows the same RMAs again and again
def barcode_data_uri(text: str) -> str | None:
	"""A small Code 128 of `text` as an SVG data URI (for the list and the RMA page); None if it fails."""
	try:
		from barcode import Code128

		out = BytesIO()
		Code128(text, writer=_svg_writer()).write(
			out, options={"module_width": 0.2, "module_height": 6, "quiet_zone": 1, "write_text": False}
		)
		return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
	except Exception:
		return None


def _svg_writer():
	"""python-barcode's SVGWriter writing the same bytes as text: its DOM (xml.dom.minidom) took 5-6 ms a
	barcode, two thirds of the /rma list's own time for 20 rows (cProfile)."""
	from barcode.writer import COMMENT, SIZE, SVGWriter

	class TextSVGWriter(SVGWriter):
		def _init(self, code):
			if len(code) != 1:
				raise NotImplementedError("Only one line of code is supported")
			width, height = self.calculate_size(len(code[0]), 1)
			nl = os.linesep
			self._parts = [
				f'<?xml version="1.0" encoding="UTF-8"?>{nl}<!DOCTYPE svg{nl}'
				f"  PUBLIC '-//W3C//DTD SVG 1.1//EN'{nl}  'http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd'>{nl}"
				f'<svg version="1.1" xmlns="http://www.w3.org/2000/svg" width="{SIZE.format(width)}" '
				f'height="{SIZE.format(height)}">{nl}'
			]
			if COMMENT:
				self._parts.append(f"    <!--{COMMENT}-->{nl}")
			self._parts.append(f'    <g id="barcode_group">{nl}')
			if self.background is not None:
				self._parts.append(
					f'        <rect width="100%" height="100%" style="fill:{self.background}"/>{nl}'
				)

		def _create_module(self, xpos, ypos, width, color):
			if color != self.background:  # the background is drawn once
				self._parts.append(
					f'        <rect x="{SIZE.format(xpos)}" y="{SIZE.format(ypos)}" '
					f'width="{SIZE.format(width)}" height="{SIZE.format(self.module_height)}" '
					f'style="fill:{color};"/>{os.linesep}'
				)

		def _finish(self):
			self._parts.append(f"    </g>{os.linesep}</svg>{os.linesep}")
			return "".join(self._parts).encode()

	return TextSVGWriter()


def script_json(value) -> str:
	"""JSON safe to put inside a <script type="application/json"> element."""
	return (
		json.dumps(value, default=str).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
	)


def common_context(context, title: str):
	context.no_cache = 1
	context.title = title
	context.status_badge_class = status_badge_class
	context.rma_status = status_label
	context.fmt_qty = format_qty
	context.date_format = get_user_date_format()  # date fields are typed and shown in it
	context.parents = [{"route": "/me", "title": _("My Account")}]
