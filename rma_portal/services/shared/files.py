"""Files customers and staff exchange about RMAs and claims: always private, attached to their document."""

import io
import mimetypes
import os
import re

import frappe
from frappe import _

from rma_portal.domain.uploads import safe_file_name


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
