"""The conversation on a service request (RMA) or a warranty claim: Frappe's Communication.

The dealer writes from the request's page: a Communication "Received" on the document, with its
files attached to it (private, type and size checked), and an e-mail to the desk's RMA Managers.
Staff answer with the desk's own e-mail composer on the document (New Email / Reply), which makes a
Communication "Sent" and mails the dealer; files they attach there are the Communication's. The
page lists both sides oldest first; a file is served only as part of a message of that document.

Callers check that the user may read the document (and write, to post). Nothing here commits.
"""

import frappe
from frappe import _
from frappe.utils import get_url, now_datetime

from rma_portal.domain.inputs import plain_text
from rma_portal.domain.uploads import MAX_ATTACHMENT_BYTES, file_kind, safe_file_name
from rma_portal.services.shared import files

DOCTYPES = ("RMA", "Customer Warranty Claim")
MAX_MESSAGE = 4000
MAX_FILES = 5
FILE_TYPES = ("jpg", "png", "pdf")
STAFF_ROLE = "RMA Manager"


def messages(doctype: str, name: str) -> list[frappe._dict]:
	"""Both sides' messages on the document, oldest first, each with its files (two queries)."""
	rows = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": doctype,
			"reference_name": name,
			"communication_type": "Communication",
		},
		fields=["name", "creation", "sent_or_received", "sender", "sender_full_name", "content", "subject"],
		order_by="creation asc",
	)
	by_message: dict[str, list] = {}
	if rows:
		for file in frappe.get_all(
			"File",
			filters={
				"attached_to_doctype": "Communication",
				"attached_to_name": ["in", [r.name for r in rows]],
			},
			fields=["name", "file_name", "attached_to_name"],
			order_by="creation asc",
		):
			by_message.setdefault(file.attached_to_name, []).append(file)
	for row in rows:
		row.from_us = row.sent_or_received == "Sent"
		row.text = plain_text(row.content or "").strip()
		row.files = by_message.get(row.name, [])
	return rows


def message_errors(text: str, uploads: list[dict]) -> list[str]:
	"""Why the message cannot be posted: empty, too long, too many or wrong files."""
	errors = []
	if not text and not uploads:
		errors.append(_("Message: write a message or add a file."))
	if len(text) > MAX_MESSAGE:
		errors.append(_("Message: at most {0} characters.").format(MAX_MESSAGE))
	if len(uploads) > MAX_FILES:
		errors.append(_("Files: at most {0} files in one message.").format(MAX_FILES))
	for upload in uploads:
		label = safe_file_name(upload.get("file_name"))
		content = upload.get("content") or b""
		if not content:
			errors.append(_("Files: {0} is empty.").format(label))
		elif len(content) > MAX_ATTACHMENT_BYTES:
			errors.append(
				_("Files: {0} is larger than {1} MB.").format(label, MAX_ATTACHMENT_BYTES // (1024 * 1024))
			)
		elif not file_kind(label, content, FILE_TYPES):
			errors.append(_("Files: {0} is not a JPEG, PNG or PDF file.").format(label))
	return errors


def post_message(doctype: str, name: str, user: str, text: str, uploads: list[dict] | None = None) -> str:
	"""The dealer's message (and files) on the document; the desk's RMA Managers are told by e-mail."""
	if doctype not in DOCTYPES:
		raise frappe.PermissionError
	text = plain_text(text or "").strip()
	uploads = list(uploads or [])
	errors = message_errors(text, uploads)
	if errors:
		frappe.throw(errors, frappe.ValidationError, title=_("Cannot send the message"), as_list=True)
	sender = frappe.db.get_value("User", user, ["email", "full_name"], as_dict=True) or frappe._dict()
	communication = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Other",
			"sent_or_received": "Received",
			"subject": _("Message on {0}").format(name),
			"content": frappe.utils.escape_html(text).replace("\n", "<br>"),
			"sender": sender.email or user,
			"sender_full_name": sender.full_name,
			"reference_doctype": doctype,
			"reference_name": name,
			"communication_date": now_datetime(),
			"seen": 0,
		}
	)
	communication.insert(ignore_permissions=True)
	for upload in uploads:
		files.save_private_file(
			"Communication", communication.name, upload.get("file_name"), upload["content"]
		)
	_tell_staff(doctype, name, sender, text, len(uploads))
	return communication.name


def _tell_staff(doctype: str, name: str, sender, text: str, file_count: int) -> None:
	from rma_portal.services.shared import notify

	staff = staff_emails()
	if not staff or not notify.has_outgoing_account():
		return
	link = get_url(f"/app/{frappe.scrub(doctype).replace('_', '-')}/{name}")
	body = (
		"<p>"
		+ _("{0} wrote on {1}:").format(
			frappe.utils.escape_html(sender.full_name or sender.email or ""), name
		)
		+ "</p><blockquote>"
		+ frappe.utils.escape_html(text).replace("\n", "<br>")
		+ "</blockquote>"
		+ ("<p>" + _("Files: {0}").format(file_count) + "</p>" if file_count else "")
		+ f'<p><a href="{link}">{link}</a></p>'
	)
	notify.queue_mail(staff, _("New message on {0}").format(name), body, doctype, name)


def staff_emails() -> list[str]:
	"""Enabled desk users with the RMA Manager role (Administrator left out)."""
	return frappe.db.sql_list(
		"""select distinct u.email from `tabUser` u
		join `tabHas Role` r on r.parent = u.name and r.parenttype = 'User'
		where r.role = %(role)s and u.enabled = 1 and u.user_type = 'System User'
			and u.name != 'Administrator' and ifnull(u.email, '') != ''""",
		{"role": STAFF_ROLE},
	)


def file_content(doctype: str, name: str, file_name: str) -> tuple[str, bytes]:
	"""(uploaded name, bytes) of a file of a message on the document; DoesNotExistError otherwise."""
	row = frappe.db.get_value("File", file_name, ["attached_to_doctype", "attached_to_name"], as_dict=True)
	if not row or row.attached_to_doctype != "Communication":
		raise frappe.DoesNotExistError(_("This file is not available."))
	reference = frappe.db.get_value(
		"Communication", row.attached_to_name, ["reference_doctype", "reference_name"], as_dict=True
	)
	if not reference or (reference.reference_doctype, reference.reference_name) != (doctype, name):
		raise frappe.DoesNotExistError(_("This file is not available."))
	file_doc = frappe.get_doc("File", file_name)
	content = file_doc.get_content()
	return file_doc.file_name, content.encode() if isinstance(content, str) else content
