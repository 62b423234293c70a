"""The desk's CSV and Excel exports (report view and query reports) with formula cells escaped.

Frappe writes exported text as it is, so a customer's reference "=HYPERLINK(…)" becomes a live
formula in the clerk's spreadsheet (in Excel files openpyxl even stores it as one). These overrides
run Frappe's own export, then escape such cells in the file it made (rma_portal.domain.spreadsheet).
They apply to every DocType's export: the same text reaches staff through ERPNext's DocTypes too.
"""

import csv
from io import BytesIO, StringIO

import frappe
from frappe import _
from frappe.desk import query_report, reportview

from rma_portal import access
from rma_portal.domain.spreadsheet import escape_cell, needs_escaping


@frappe.whitelist()
@frappe.read_only()
def export_report_view(**kwargs):
	_escaped_export(reportview.export_query, "doctype")


@frappe.whitelist()
def export_query_report(**kwargs):
	_escaped_export(query_report.export_query, "report_name")


def _escaped_export(export, names_field: str):
	"""Frappe's own `export` (it reads the request itself) for a desk user, its file then escaped;
	`names_field` names what is exported (the DocType or the report)."""
	_desk_users_only()
	_require(names_field, "file_format_type")
	delimiter = _csv_delimiter()
	export()
	_escape_response(delimiter)


def _desk_users_only():
	# The originals sit behind the request guard's refusal of frappe.desk.* to portal users.
	if frappe.session.user == "Guest" or access.is_portal_user():
		frappe.throw(_("Only desk users can export reports."), frappe.PermissionError)


def _require(*fields: str):
	"""Frappe's exports read their arguments from the request themselves and fail with a KeyError
	(HTTP 500) when one is missing: a 417 naming it instead."""
	for field in fields:
		if not isinstance(frappe.form_dict.get(field), str) or not frappe.form_dict.get(field):
			frappe.throw(_("{0} is missing: this request needs it.").format(field), frappe.ValidationError)


def _csv_delimiter() -> str:
	return (str(frappe.form_dict.get("csv_delimiter") or ",") or ",")[0]


def _escape_response(delimiter: str):
	content, filename = frappe.response.get("filecontent"), frappe.response.get("filename") or ""
	if not content:
		return
	if filename.endswith(".csv"):
		frappe.response["filecontent"] = escaped_csv(content, delimiter)
	elif filename.endswith(".xlsx"):
		frappe.response["filecontent"] = escaped_xlsx(content)


def escaped_csv(content: bytes, delimiter: str) -> bytes:
	"""The CSV with formula cells escaped; untouched (byte for byte) when it has none."""
	rows = list(csv.reader(StringIO(content.decode("utf-8")), delimiter=delimiter))
	if not any(needs_escaping(cell) for row in rows for cell in row):
		return content
	out = StringIO()
	# Every cell quoted: the reader no longer knows which were numbers, and a spreadsheet reads a
	# quoted number as a number all the same.
	csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL).writerows(
		[[escape_cell(cell) for cell in row] for row in rows]
	)
	return out.getvalue().encode("utf-8")


def escaped_xlsx(content: bytes) -> bytes:
	"""The workbook with text cells that start like a formula stored as text."""
	from openpyxl import load_workbook

	workbook = load_workbook(BytesIO(content))
	changed = False
	for sheet in workbook.worksheets:
		for row in sheet.iter_rows():
			for cell in row:
				if needs_escaping(cell.value):  # openpyxl stored it as a formula ("f") or as text
					cell.value = escape_cell(cell.value)
					cell.data_type = "s"
					changed = True
	if not changed:
		return content
	out = BytesIO()
	workbook.save(out)
	return out.getvalue()
