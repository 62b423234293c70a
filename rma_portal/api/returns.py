"""Whitelisted portal methods for commercial returns (SPEC §1).

Every method resolves the caller's customer and checks access first, then calls the service in
rma_portal.services.returns.returns; nothing here queries the database for data of its own beyond the
RMA's owner check of a download.
"""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import cint, fmt_money, formatdate

from rma_portal import access
from rma_portal.api import download_url, page_arg, parse_arg, per_user_limit, rows_arg, send_file, text_arg
from rma_portal.services.returns import returns
from rma_portal.services.shared.money import money_formatter

PAGE_SIZE = 20
MAX_PREVIEW_LINES = 500


def _date_filter(text: str) -> str:
	"""The delivery date search as typed in the user's date format, turned into the ISO text searched.

	"13-10-2026" -> "2026-10-13", "10-2026" -> "2026-10"; anything else is searched as typed.
	"""
	import re

	text = text.strip()
	fmt = (frappe.utils.get_user_date_format() or "dd-mm-yyyy").lower()
	parts = re.split(r"[-./]", text)
	if not all(p.isdigit() for p in parts):
		return text
	order = [p[0] for p in re.split(r"[-./]", fmt)]  # e.g. ["d", "m", "y"]
	if len(parts) == 3:
		values = dict(zip(order, parts, strict=False))
		if len(values.get("y", "")) == 4:
			return f"{values['y']}-{int(values['m']):02d}-{int(values['d']):02d}"
	if len(parts) == 2 and len(parts[1]) == 4 and order.index("m") < order.index("y"):
		return f"{parts[1]}-{int(parts[0]):02d}"
	return text


def customer_currency(customer: str) -> str:
	return (
		frappe.get_cached_value("Customer", customer, "default_currency")
		or frappe.defaults.get_global_default("currency")
		or "EUR"
	)


def documents_url(name: str) -> str:
	"""The download link of an RMA's documents (return form + label) through download_documents."""
	return download_url("returns.download_documents", name=name)


def view_url(name: str) -> str:
	return "/rma/view?name=" + quote(name, safe="")


@frappe.whitelist(methods=["GET", "POST"])
@per_user_limit()
@frappe.read_only()
def get_candidates(filters: str | dict | None = None, page: str | int = 1) -> dict:
	"""One page of the caller's delivered lines that can be returned, filtered per column."""
	customer = access.customer_for("rma.create")
	filters = {
		key: text_arg(value, f"filters.{key}")
		for key, value in parse_arg(filters, dict, "filters").items()
		if value not in (None, "")
	}
	if filters.get("delivery_date"):
		filters["delivery_date"] = _date_filter(str(filters["delivery_date"]))
	result = returns.candidate_lines(customer, filters, page=page_arg(page), page_size=PAGE_SIZE)
	currency, money = customer_currency(customer), money_formatter()
	for row in result.get("rows", []):
		row["rate_display"] = money(row.get("rate"), currency)
		row["delivery_date_display"] = (
			formatdate(row.get("delivery_date")) if row.get("delivery_date") else ""
		)
	return result


@frappe.whitelist(methods=["GET", "POST"])
@per_user_limit()
@frappe.read_only()
def get_line_serials(lines: str | list) -> dict:
	"""The serial numbers and batches still returnable on the caller's delivered lines (by delivery
	note item; lines of items without serial or batch numbers are left out)."""
	customer = access.customer_for("rma.create")
	names = [text_arg(name, "lines") for name in parse_arg(lines, list, "lines")]
	return returns.line_choices(customer, [name for name in names if name])


@frappe.whitelist(methods=["GET", "POST"])
@per_user_limit()
@frappe.read_only()
def preview_fee(lines: str | list, return_reason: str | None = None) -> dict:
	"""The return fee the ticked lines would be charged (as sending freezes it), with its text."""
	customer = access.customer_for("rma.create")
	return_reason = text_arg(return_reason, "return_reason")
	rows = [
		{
			"delivery_note_item": text_arg(line.get("delivery_note_item"), "lines"),
			"qty": line.get("qty"),
			"return_reason": text_arg(line.get("return_reason"), "lines") or return_reason,
		}
		for line in rows_arg(lines, "lines")[:MAX_PREVIEW_LINES]
	]
	preview = returns.fee_preview(customer, rows, return_reason or None)
	amount = fmt_money(preview["total"], currency=preview["currency"])
	preview["lines"] = {
		name: fmt_money(fee, currency=preview["currency"]) if fee else ""
		for name, fee in preview["lines"].items()
	}
	preview["text"] = fee_sentence(preview["includes_vat"], amount) if preview["total"] else ""
	return preview


def fee_sentence(includes_vat: bool, amount: str) -> str:
	"""The fee as the credit note will charge it: plus VAT when the amount is net and VAT applies."""
	if not includes_vat:
		return _("A return fee of {0} plus VAT will be charged on the credit note.").format(amount)
	return _("A return fee of {0} will be charged on the credit note.").format(amount)


@frappe.whitelist(methods=["POST"])
def submit_return(
	lines: str | list,
	return_reason: str | None = None,
	customer_reference: str | None = None,
	remarks: str | None = None,
	copy_email: str | None = None,
	terms_accepted: int | bool = 0,
) -> dict:
	"""Create an RMA from the ticked lines; returns its name and the URL of its page."""
	customer = access.customer_for("rma.create")
	return_reason = text_arg(return_reason, "return_reason")
	rows = [
		{
			"delivery_note_item": line.get("delivery_note_item"),
			"qty": line.get("qty"),
			"return_reason": line.get("return_reason") or return_reason,
			# one serial number per line of text (a row's values are single values)
			"serial_nos": line.get("serial_nos"),
			"batch_no": line.get("batch_no"),
		}
		for line in rows_arg(lines, "lines")
	]
	name = returns.create_return_rma(
		customer,
		frappe.session.user,
		rows,
		return_reason=return_reason or None,
		customer_reference=(text_arg(customer_reference, "customer_reference") or "").strip() or None,
		remarks=(text_arg(remarks, "remarks") or "").strip() or None,
		copy_email=(text_arg(copy_email, "copy_email") or "").strip() or None,
		terms_accepted=bool(cint(terms_accepted)),
	)
	return {"name": name, "url": view_url(name)}


@frappe.whitelist(methods=["GET", "POST"])
@per_user_limit()
@frappe.read_only()
def list_rmas(search: str | None = None, page: str | int = 1, kind: str | None = None) -> dict:
	"""One page of the caller's RMAs, newest first, optionally searched by number or reference and
	narrowed to returns or service requests (kind "Return" / "Service")."""
	customer = access.customer_for("rma.read")
	result = returns.list_rmas(
		customer,
		search=(text_arg(search, "search") or "").strip() or None,
		page=page_arg(page),
		page_size=PAGE_SIZE,
		kind=(text_arg(kind, "kind") or "").strip() or None,
		raised_by=access.raised_by_filter("rma.read", customer),
	)
	for row in result.get("rows", []):
		row["url"] = view_url(row["name"])
		row["documents_url"] = documents_url(row["name"]) if row.get("documents") else None
	return result


def customer_of_rma(name: str) -> str:
	"""The RMA's customer, if the caller may read it (its customer's portal user, or staff)."""
	access.require_login()  # the access point before the RMA is read
	rma = frappe.db.get_value("RMA", name, ["customer", "portal_user"], as_dict=True) if name else None
	customer = rma.customer if rma else None
	if not customer or not access.sees_raised_by("rma.read", customer, rma.portal_user):
		# The same answer for "not yours" and "does not exist": RMA numbers are guessable.
		frappe.throw(_("You are not allowed to see this RMA."), frappe.PermissionError)
	return customer


@frappe.whitelist(methods=["GET"])
def download_documents(name: str):
	"""The RMA's return form and label as one PDF, for its customer's users and for staff."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in to use the after-sales portal."), frappe.PermissionError)
	customer_of_rma(name)
	from rma_portal.services.returns.documents import documents_held, get_documents_content

	if documents_held(frappe.db.get_value("RMA", name, "status")):
		frappe.throw(
			_("The return form and label of {0} are issued once the request is approved.").format(name),
			frappe.PermissionError,
		)
	filename, content = get_documents_content(name)
	if not content:
		frappe.throw(
			_("The documents of {0} are still being prepared.").format(name), frappe.DoesNotExistError
		)
	send_file(filename, content)
