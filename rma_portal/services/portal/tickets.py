"""Support tickets: ERPNext Issues of the customer (Issue.customer), their conversation and files.

A ticket opened in the portal is an Issue "via customer portal": ERPNext makes its first
Communication from the description. Replies are Communications (Received) on the Issue, as an
e-mail reply would be; staff answer from the Issue in the desk. Text the customer types is stored as
escaped plain text with line breaks; what staff write (HTML e-mail) is shown as plain text.

Attachments are private Files attached to the Issue (type and size checked like warranty claim
attachments); the customer downloads them, and files staff attach to the Issue or to its e-mails,
through api/tickets.download, never by their /private/files URL.

Callers check access first (api/tickets.py); nothing here commits.
"""

import html
import re

import frappe
from frappe import _
from frappe.utils import now_datetime, today

from rma_portal.domain.inputs import plain_text
from rma_portal.services.shared import files
from rma_portal.services.shared.files import upload_errors
from rma_portal.services.shared.query import paged_list, search_condition, status_condition

DOCTYPE = "Issue"
STATUSES = ("Open", "Replied", "On Hold", "Resolved", "Closed")
# How the customer reads ERPNext's statuses: "Replied" is staff's answer waiting for the customer.
STATUS_LABELS = {"Replied": "Answered"}


def status_label(status: str | None) -> str:
	return STATUS_LABELS.get(status or "", status or "")


MAX_SUBJECT = 140
MAX_TEXT = 10000
MAX_FILES = 5

_LIST_SQL = """
select {select}
from `tabIssue` iss
where iss.customer = %(customer)s {condition}
"""
_SELECT = """iss.name, iss.subject, iss.status, iss.opening_date, iss.creation, iss.modified, iss.priority,
	(select count(*) from `tabCommunication` c where c.reference_doctype = 'Issue'
		and c.reference_name = iss.name and c.communication_type = 'Communication') as messages"""


def list_tickets(
	customer: str, search: str | None = None, status: str | None = None, page: int = 1, page_size: int = 20
) -> dict:
	values = {"customer": customer}
	condition = status_condition(
		status, values, "iss.status", STATUSES, _("Status: {0} is not a ticket status.")
	) + search_condition(search, values, ("iss.name", "iss.subject"))
	result = paged_list(_LIST_SQL, _SELECT, condition, "iss.modified desc", values, page, page_size)
	for row in result["rows"]:
		row["status_label"] = status_label(row["status"])
	return result


def get_ticket(customer: str, name: str | None) -> frappe._dict:
	"""The Issue's header if it is the customer's; the same 404 for another customer's and none."""
	ticket = (
		frappe.db.get_value(
			DOCTYPE,
			name,
			[
				"name",
				"subject",
				"status",
				"customer",
				"opening_date",
				"creation",
				"modified",
				"resolution_details",
			],
			as_dict=True,
		)
		if name
		else None
	)
	if not ticket or ticket.customer != customer:
		raise frappe.DoesNotExistError(_("This ticket was not found among your tickets."))
	ticket.status_label = status_label(ticket.status)
	return ticket


def staff_replied(communication, method=None):
	"""Communication after_insert: staff's message on an open ticket (an e-mail sent from the Issue)
	moves it to ERPNext's "Replied", which the customer reads as "Answered". Frappe itself only moves a
	ticket back to Open when the customer writes (its Communication update of the parent)."""
	if (
		communication.reference_doctype == DOCTYPE
		and communication.reference_name
		and communication.communication_type == "Communication"
		and communication.sent_or_received == "Sent"
		and frappe.db.get_value(DOCTYPE, communication.reference_name, "status") == "Open"
	):
		frappe.db.set_value(DOCTYPE, communication.reference_name, "status", "Replied")


def to_stored_text(text: str) -> str:
	"""Typed text as the HTML of a Text Editor field: escaped, line breaks kept."""
	return html.escape(plain_text(text)).replace("\r\n", "\n").replace("\n", "<br>")


_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/tr|/h\d)\s*/?\s*>", re.IGNORECASE)


def display_text(value: str | None) -> str:
	"""A message as plain text for the portal (which escapes it again): tags dropped, breaks kept."""
	text = _BREAKS.sub("\n", value or "")
	text = html.unescape(plain_text(text))
	return re.sub(r"\n{3,}", "\n\n", text).strip()


def conversation(name: str) -> list[frappe._dict]:
	"""The ticket's messages, oldest first: the opening one and every reply of either side."""
	rows = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": DOCTYPE,
			"reference_name": name,
			"communication_type": "Communication",
		},
		fields=["name", "content", "sender", "sender_full_name", "sent_or_received", "creation"],
		order_by="creation asc",
	)
	for row in rows:
		row["text"] = display_text(row.pop("content"))
		row["from_staff"] = row.sent_or_received == "Sent"
	return rows


def ticket_files(name: str) -> list[frappe._dict]:
	"""Files of the ticket: attached to the Issue or to one of its e-mails (Communications)."""
	return frappe.db.sql(
		"""select f.name, f.file_name, f.file_size, f.creation, f.owner
		from `tabFile` f
		where f.is_folder = 0 and (
			(f.attached_to_doctype = 'Issue' and f.attached_to_name = %(name)s)
			or (f.attached_to_doctype = 'Communication' and f.attached_to_name in (
				select c.name from `tabCommunication` c
				where c.reference_doctype = 'Issue' and c.reference_name = %(name)s)))
		order by f.creation""",
		{"name": name},
		as_dict=True,
	)


def ticket_file(customer: str, name: str, file_id: str | None) -> tuple[str, bytes]:
	"""(file name, bytes) of one file of the customer's ticket; 404 for any other file."""
	get_ticket(customer, name)
	found = next((f for f in ticket_files(name) if f.name == file_id), None) if file_id else None
	if not found:
		raise frappe.DoesNotExistError(_("This file was not found on the ticket."))
	content = frappe.get_doc("File", found.name).get_content()
	return found.file_name, content.encode() if isinstance(content, str) else content


# Writing
# -------


def _text_errors(subject: str | None, message: str, with_subject: bool) -> list[str]:
	errors = []
	if with_subject:
		if not subject:
			errors.append(_("Subject: please give the ticket a subject."))
		elif len(subject) > MAX_SUBJECT:
			errors.append(_("Subject: at most {0} characters.").format(MAX_SUBJECT))
	if not message:
		errors.append(_("Message: please describe your question or problem."))
	elif len(message) > MAX_TEXT:
		errors.append(_("Message: at most {0} characters.").format(MAX_TEXT))
	return errors


def _file_errors(uploads: list[dict]) -> list[str]:
	errors = []
	if len(uploads) > MAX_FILES:
		errors.append(_("Attachments: at most {0} files at a time.").format(MAX_FILES))
	for upload in uploads:
		errors.extend(upload_errors(upload.get("filename"), upload.get("content") or b""))
	return errors


def _raise(errors: list[str]):
	if errors:
		frappe.throw(errors, exc=frappe.ValidationError, title=_("Please correct the ticket"), as_list=True)


def _attach(name: str, uploads: list[dict]):
	for upload in uploads:
		files.save_private_file(DOCTYPE, name, upload["filename"], upload["content"])


def open_ticket(customer: str, user: str, subject: str | None, message: str | None, uploads=None) -> str:
	"""A new Issue of the customer raised by `user`, with its private attachments; returns its name."""
	subject = plain_text(subject or "").strip()
	message = plain_text(message or "").strip()
	uploads = uploads or []
	_raise(_text_errors(subject, message, True) + _file_errors(uploads))
	doc = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"subject": subject,
			"description": to_stored_text(message),
			"customer": customer,
			"raised_by": user,
			"status": "Open",
			"via_customer_portal": 1,
			"opening_date": today(),
			"company": frappe.defaults.get_global_default("company"),
		}
	)
	doc.insert(ignore_permissions=True)
	_attach(doc.name, uploads)
	return doc.name


def reply(customer: str, user: str, name: str, message: str | None, uploads=None) -> str:
	"""Add the customer's message (and files) to the ticket; a closed ticket takes no reply."""
	ticket = get_ticket(customer, name)
	if ticket.status == "Closed":
		frappe.throw(
			_("Ticket {0} is closed: please open a new ticket.").format(name), frappe.ValidationError
		)
	message = plain_text(message or "").strip()
	uploads = uploads or []
	_raise(_text_errors(None, message, False) + _file_errors(uploads))
	communication = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Received",
			"subject": ticket.subject,
			"sender": user,
			"content": to_stored_text(message),
			"reference_doctype": DOCTYPE,
			"reference_name": name,
			"communication_date": now_datetime(),
		}
	)
	communication.insert(ignore_permissions=True)
	_attach(name, uploads)
	if ticket.status in ("Replied", "Resolved"):
		# the customer answered: staff have the next move again
		frappe.db.set_value(DOCTYPE, name, "status", "Open")
	return communication.name
