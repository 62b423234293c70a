"""Files customers and staff exchange about RMAs and claims: always private, attached to their document."""

import frappe

from rma_portal.domain.uploads import safe_file_name


def save_private_file(
	doctype: str, name: str, file_name: str | None, content: bytes, field: str | None = None
):
	"""A private File attached to `doctype` `name` (and its Attach/Table `field`); returns the File."""
	file_doc = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": safe_file_name(file_name),
			"attached_to_doctype": doctype,
			"attached_to_name": name,
			"attached_to_field": field,
			"is_private": 1,
			"content": content,
		}
	)
	file_doc.insert(ignore_permissions=True)
	return file_doc
