"""Whitelisted methods of support tickets (ERPNext Issue): list, open, read, reply, download a file.

Every method asks the access point first; an Issue of another customer gets the same 404 as one that
does not exist. Opening and replying are multipart POSTs (the files as `files`)."""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import format_datetime

from rma_portal import access
from rma_portal.api import display_dates, download_url, list_args, per_user_limit, send_file, text_arg
from rma_portal.services.portal import tickets
from rma_portal.services.shared.files import MAX_FILE_BYTES

PAGE_SIZE = 20


def view_url(name: str) -> str:
	return "/portal/tickets/view?name=" + quote(name, safe="")


def file_url(name: str, file_id: str) -> str:
	return download_url("tickets.download", name=name, file=file_id)


def request_uploads(field: str = "files") -> list[dict]:
	"""The files of a multipart request: [{"filename", "content"}], each read to one byte past the
	limit so an oversized file is recognised without reading it all."""
	request = getattr(frappe, "request", None)
	storages = getattr(request, "files", None) if request else None
	uploads = []
	for storage in storages.getlist(field) if storages else []:
		if storage and storage.filename:
			uploads.append({"filename": storage.filename, "content": storage.stream.read(MAX_FILE_BYTES + 1)})
	return uploads


@frappe.whitelist(methods=["GET"])
@per_user_limit()
@frappe.read_only()
def list_tickets(search: str | None = None, status: str | None = None, page: str | int = 1) -> dict:
	"""One page of the caller's tickets, last changed first."""
	customer = access.customer_for("ticket.read")
	result = tickets.list_tickets(customer, **list_args(search, page, PAGE_SIZE, status=status))
	for row in result["rows"]:
		row["url"] = view_url(row["name"])
		row["status_display"] = _(row["status"])
		display_dates(row, opening_date="opened_display")
		row["changed_display"] = (
			format_datetime(row.modified, "dd-MM-yyyy HH:mm") if row.get("modified") else ""
		)
	return result


@frappe.whitelist(methods=["GET"])
@per_user_limit()
def get_ticket(name: str) -> dict:
	"""One ticket of the caller's customer with its conversation and files."""
	customer = access.customer_for("ticket.read")
	name = text_arg(name, "name")
	ticket = tickets.get_ticket(customer, name)
	out = {field: ticket.get(field) for field in ("name", "subject", "status", "opening_date", "modified")}
	out["status_display"] = _(ticket.status)
	out["messages"] = [
		{
			"text": m.text,
			"from_staff": m.from_staff,
			"sender": m.sender_full_name or m.sender,
			"on": format_datetime(m.creation, "dd-MM-yyyy HH:mm"),
		}
		for m in tickets.conversation(name)
	]
	out["files"] = [
		{"file_name": f.file_name, "url": file_url(name, f.name), "size": f.file_size}
		for f in tickets.ticket_files(name)
	]
	out["can_reply"] = ticket.status != "Closed" and access.can("ticket.create", customer)
	return out


@frappe.whitelist(methods=["POST"])
def open_ticket(subject: str | None = None, message: str | None = None) -> dict:
	"""Open a ticket for the caller's customer; multipart with the attachments as `files` (JPG, PNG
	or PDF, at most 10 MB each, up to 5), stored privately on the Issue."""
	customer = access.customer_for("ticket.create")
	name = tickets.open_ticket(
		customer,
		frappe.session.user,
		text_arg(subject, "subject"),
		text_arg(message, "message"),
		request_uploads(),
	)
	return {"name": name, "url": view_url(name)}


@frappe.whitelist(methods=["POST"])
def reply(name: str, message: str | None = None) -> dict:
	"""The caller's reply to a ticket of their customer, with attachments as `files`."""
	customer = access.customer_for("ticket.create")
	name = text_arg(name, "name")
	tickets.reply(customer, frappe.session.user, name, text_arg(message, "message"), request_uploads())
	return {"name": name, "url": view_url(name)}


@frappe.whitelist(methods=["GET"])
def download(name: str, file: str | None = None):
	"""A file of the caller's ticket (theirs or staff's), as a download."""
	customer = access.customer_for("ticket.read")
	file_name, content = tickets.ticket_file(customer, text_arg(name, "name"), text_arg(file, "file"))
	send_file(file_name, content)
