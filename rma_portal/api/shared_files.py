"""Whitelisted methods of the files staff share with the customer: the list and the download."""

from urllib.parse import quote

import frappe
from frappe.utils import format_datetime

from rma_portal import access
from rma_portal.api import download_url, list_args, per_user_limit, send_file, text_arg
from rma_portal.services.portal import shared_files

PAGE_SIZE = 20


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_files(search: str | None = None, page: str | int = 1) -> dict:
	"""One page of the files shared with the caller's customer, newest first."""
	customer = access.customer_for("file.read")
	result = shared_files.list_files(customer, **list_args(search, page, PAGE_SIZE))
	for row in result["rows"]:
		row["url"] = download_url("shared_files.download", file=row["name"])
		row["shared_display"] = format_datetime(row.creation, "dd-MM-yyyy") if row.get("creation") else ""
		row["extension"] = (
			(row.file_name or "").rsplit(".", 1)[-1].upper() if "." in (row.file_name or "") else ""
		)
	return result


@frappe.whitelist(methods=["GET"])
def download(file: str):
	"""A file shared with the caller's customer, as a download; 404 for any other file."""
	customer = access.customer_for("file.read")
	file_name, content = shared_files.shared_file(customer, text_arg(file, "file"))
	send_file(file_name, content)
