"""Whitelisted portal methods of the conversation on a service request or a warranty claim.

The caller must see the document (its customer's user within the supervisor rule, or staff); posting
needs the right to file such documents (RM). Files arrive as a multipart form ("files"), are read
with a size limit and checked by content in services/shared/conversation.py.
"""

from urllib.parse import quote

import frappe
from frappe import _

from rma_portal import access
from rma_portal.api import download_url, per_user_limit, send_file, text_arg
from rma_portal.api.returns import customer_of_rma
from rma_portal.api.warranty import customer_of_claim
from rma_portal.domain.uploads import MAX_ATTACHMENT_BYTES, safe_file_name
from rma_portal.services.shared import conversation

# DocType -> (the rights to read and to write on it)
RIGHTS = {"RMA": ("rma.read", "rma.create"), "Customer Warranty Claim": ("warranty.read", "warranty.create")}


def customer_of(doctype: str, name: str, write: bool = False) -> str:
	"""The document's customer if the caller may read it (and write, when asked); else one refusal."""
	access.require_login()
	if doctype not in RIGHTS:
		raise frappe.PermissionError(_("Document type: {0} has no conversation.").format(doctype))
	if doctype == "RMA":
		customer = customer_of_rma((name or "").strip())
	else:
		customer = customer_of_claim((name or "").strip())
	if write:
		access.check(RIGHTS[doctype][1], customer)
	return customer


def _uploads() -> list[dict]:
	request = getattr(frappe.local, "request", None)
	stored = getattr(request, "files", None) if request else None
	if not stored:
		return []
	return [
		{"file_name": safe_file_name(f.filename), "content": f.stream.read(MAX_ATTACHMENT_BYTES + 1)}
		for f in stored.getlist("files")
		if f and f.filename
	]


@frappe.whitelist(methods=["POST"])
@per_user_limit(limit=20)
def post_message(doctype: str, name: str, message: str | None = None) -> dict:
	"""The dealer's message (and files) on their service request or warranty claim."""
	customer_of(doctype, name, write=True)
	made = conversation.post_message(
		doctype, name.strip(), frappe.session.user, text_arg(message, "message") or "", _uploads()
	)
	return {"name": name, "message": made}


def file_url(doctype: str, name: str, file: str) -> str:
	return download_url("conversation.download_file", doctype=doctype, name=name, file=file)


@frappe.whitelist(methods=["GET"])
def download_file(doctype: str, name: str, file: str):
	"""A file of a message on the caller's service request or warranty claim."""
	customer_of(doctype, name)
	file_name, content = conversation.file_content(doctype, name.strip(), file)
	send_file(file_name, content)


def view_messages(doctype: str, name: str) -> list:
	"""The messages as the portal page shows them, each file with its download link."""
	rows = conversation.messages(doctype, name)
	for row in rows:
		for file in row.files:
			file.url = file_url(doctype, name, file.name)
	return rows
