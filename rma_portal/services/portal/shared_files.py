"""Documents staff share with a customer: Files attached to the Customer in the desk and ticked
"Shared in the customer portal" (custom field File.portal_shared). Files attached to the Customer
without the tick stay internal. The customer's users download them through api/shared_files.download,
which checks the customer again; the /private/files URL itself stays closed to them."""

import frappe
from frappe import _

from rma_portal.services.shared.query import paged_list, search_condition

_LIST_SQL = """
select {select}
from `tabFile` f
where f.attached_to_doctype = 'Customer' and f.attached_to_name = %(customer)s
	and f.portal_shared = 1 and f.is_folder = 0 {condition}
"""
_SELECT = "f.name, f.file_name, f.file_size, f.creation, f.modified"


def list_files(customer: str, search: str | None = None, page: int = 1, page_size: int = 20) -> dict:
	values = {"customer": customer}
	condition = search_condition(search, values, ("f.file_name",))
	return paged_list(_LIST_SQL, _SELECT, condition, "f.creation desc, f.name desc", values, page, page_size)


def shared_file(customer: str, file_id: str | None) -> tuple[str, bytes]:
	"""(file name, bytes) of a file shared with the customer; the same 404 for every other file."""
	found = (
		frappe.db.get_value(
			"File",
			{
				"name": file_id,
				"attached_to_doctype": "Customer",
				"attached_to_name": customer,
				"portal_shared": 1,
				"is_folder": 0,
			},
			["name", "file_name"],
			as_dict=True,
		)
		if file_id
		else None
	)
	if not found:
		raise frappe.DoesNotExistError(_("This file was not found among the files shared with you."))
	content = frappe.get_doc("File", found.name).get_content()
	return found.file_name, content.encode() if isinstance(content, str) else content
