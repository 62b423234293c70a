"""Files customers and staff exchange about RMAs and claims: always private, attached to their document;
what a customer may upload to a claim or a support ticket (upload_errors)."""

import io
import mimetypes
import os
import re

import frappe
from frappe import _

from rma_portal.domain import uploads
from rma_portal.domain.uploads import safe_file_name

# Customer uploads on warranty claims and support tickets: photos and documents only, checked by
# extension and by content.
ALLOWED_EXTENSIONS = ("jpg", "jpeg", "png", "pdf")
UPLOAD_KINDS = ("jpg", "png", "pdf")
MAX_FILE_BYTES = 10 * 1024 * 1024


def save_private_file(
	doctype: str, name: str, file_name: str | None, content: bytes, field: str | None = None
):
	"""A private File attached to `doctype` `name` (and its Attach/Table `field`); returns the File.

	Stored under a file name of its own: Frappe would otherwise point an upload whose bytes match an
	earlier one at the earlier file, so two customers uploading the same bytes would share one URL.
	"""
	display_name = safe_file_name(file_name)
	_refuse_unreadable_jpeg(display_name, content)
	stored_name = frappe.generate_hash(length=12) + "-" + re.sub(r"[^A-Za-z0-9._-]", "_", display_name)
	path = frappe.get_site_path("private", "files", stored_name)
	with open(path, "wb") as f:
		f.write(content)
	frappe.db.after_rollback.add(lambda: os.path.exists(path) and os.remove(path))
	file_doc = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": display_name,
			"file_url": f"/private/files/{stored_name}",
			"attached_to_doctype": doctype,
			"attached_to_name": name,
			"attached_to_field": field,
			"is_private": 1,
		}
	)
	file_doc.insert(ignore_permissions=True)
	if file_doc.file_url != f"/private/files/{stored_name}":
		# bytes no earlier file had: Frappe wrote them again under a name of its own (File.save_file),
		# and the copy written above would stay on disk, known to no File
		os.remove(path)
	return file_doc


def _refuse_unreadable_jpeg(display_name: str, content: bytes) -> None:
	"""Frappe re-saves an uploaded JPEG without its EXIF data (File.save_file): bytes that only start
	like a JPEG fail there inside Pillow, a 500. Refused before anything is written, naming the file."""
	if mimetypes.guess_type(display_name)[0] != "image/jpeg":
		return
	from PIL import Image

	try:
		with Image.open(io.BytesIO(content)) as image:
			image.load()
	except Exception:
		frappe.throw(
			_("{0} is not a readable JPEG image. Please upload the photo again.").format(display_name),
			title=_("Cannot upload"),
		)


def upload_errors(filename: str, content: bytes) -> list[str]:
	"""Why an uploaded file cannot be attached (empty list when it can): the name's extension must be
	JPG, PNG or PDF and agree with the content (domain.uploads), at most MAX_FILE_BYTES."""
	label = _("Attachment {0}").format(filename or "?")
	extension = uploads.extension(filename)
	if extension not in ALLOWED_EXTENSIONS:
		return [_("{0}: only JPG, PNG and PDF files are accepted.").format(label)]
	if not content:
		return [_("{0}: the file is empty.").format(label)]
	if len(content) > MAX_FILE_BYTES:
		return [_("{0}: the file is larger than {1} MB.").format(label, MAX_FILE_BYTES // (1024 * 1024))]
	if not uploads.file_kind(filename, content, UPLOAD_KINDS):
		return [_("{0}: the content is not a valid {1} file.").format(label, extension.upper())]
	return []
