"""Customer warranty claims (SPEC §2): filing, the named status actions, documents and e-mails.

A claim is filed by a customer's portal user for an item from the customer's purchase history
(submitted Sales Invoice or Delivery Note lines), optionally with a serial number, the invoice and
photos / documents (private Files attached to the claim, rows of "Warranty Claim Attachment" with
side Customer). Staff move it Received -> In processing -> Granted / Refused through the actions
here (machine domain.transitions.WARRANTY_CLAIM); refusing needs the supplier's response attached,
granting may link the credit document (a Sales Invoice of the customer, or a file).

Callers check access first (api/warranty.py: the customer boundary for portal users,
frappe.has_permission for staff actions), so documents are saved with ignore_permissions.
Nothing here commits.
"""

import html
import re
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import (
	cint,
	format_date,
	format_datetime,
	formatdate,
	get_url,
	getdate,
	now_datetime,
	today,
	validate_email_address,
)

from rma_portal import access
from rma_portal.domain import dates, transitions
from rma_portal.domain.inputs import plain_text
from rma_portal.services.history import purchased_items as purchased
from rma_portal.services.service import serial_locks, service_rules
from rma_portal.services.service.service_rules import read_date
from rma_portal.services.shared import files, history_notes, jobs, mail_preferences

# the upload rules are shared with support tickets; these names stay importable here
from rma_portal.services.shared.files import ALLOWED_EXTENSIONS, MAX_FILE_BYTES, UPLOAD_KINDS, upload_errors
from rma_portal.services.shared.notify import (
	has_outgoing_account,
	note_mail_not_sent,
	queue_mail,
	render_email_template,
)
from rma_portal.services.shared.query import kept_with_items

DOCTYPE = "Customer Warranty Claim"
ATTACHMENT_DOCTYPE = "Warranty Claim Attachment"
CLAIM_TEMPLATE = "rma_portal/templates/warranty/claim.html"
CLAIM_PDF_OPTIONS = {"page-size": "A4", "image-quality": "100"}

MAX_FILES = 5
MAX_DESCRIPTION = 5000

# setup_data.EMAIL_TEMPLATES keys of the claim mails (values are the Email Template names).
MAIL_KEYS = {"Received": "Claim Received", "Granted": "Claim Granted", "Refused": "Claim Refused"}


class StatusError(frappe.ValidationError):
	"""The action is not allowed in the claim's current status."""


class ClaimError(frappe.ValidationError):
	"""Everything wrong with a claim (or a decision) at once; `errors` holds one translated message each."""

	def __init__(self, errors=None):
		self.errors = [str(e) for e in errors] if isinstance(errors, list | tuple) else [str(errors or "")]
		super().__init__("\n".join(self.errors))


# Purchase history
# ----------------


def purchased_items(customer: str) -> list[dict]:
	"""Items the customer bought (submitted, non-return Sales Invoice or Delivery Note lines), by code,
	each with its last purchase date (for the claim form; the invoices of one item: item_invoices).
	Read from the customer's own row per item (services/history/purchased_items.py), not the history."""
	return purchased.items_of(customer)


def item_invoices(customer: str, item_code: str, limit: int = 20) -> list[dict]:
	"""The customer's latest submitted invoices (not returns) with `item_code` on them, newest first:
	asked for when the form's item is chosen, so the form never loads every invoice of the history.
	Read newest first along the posting date's index until `limit` are found (60 ms at 200,000 lines;
	joining the lines first took 2.4 s)."""
	rows = frappe.db.sql(
		"""
		select si.name, si.posting_date
		from `tabSales Invoice` si
		where si.customer = %(customer)s and si.docstatus = 1 and si.is_return = 0
			and exists (
				select 1 from `tabSales Invoice Item` sii
				where sii.parent = si.name and sii.parenttype = 'Sales Invoice'
					and sii.item_code = %(item_code)s
			)
		order by si.posting_date desc, si.name desc
		limit %(limit)s
		""",
		{"customer": customer, "item_code": item_code, "limit": limit},
		as_dict=True,
	)
	return [{"name": row.name, "posting_date": str(row.posting_date)} for row in rows]


def item_was_purchased(customer: str, item_code: str) -> bool:
	return purchased.was_purchased(customer, item_code)


# Validation
# ----------


def open_claim_errors(customer: str, serial_no: str, locking: bool = False) -> list[str]:
	"""A serial number can be in one open claim at a time. The customer's own claim is named;
	another customer's is not (its number would tell them who else has the product).
	`locking`: read the latest committed claims under a row lock (the re-check before inserting)."""
	holders = frappe.db.sql(
		f"""
		select name, customer from `tab{DOCTYPE}`
		where serial_no = %s and status in %s
		order by creation {"for update" if locking else ""}
		""",  # the doctype and the locking clause are constants; nosec B608
		(serial_no, transitions.CLAIM_OPEN),
		as_dict=True,
	)
	if not holders:
		return []
	own = [h.name for h in holders if h.customer == customer]
	if own:
		return [_("Serial number: {0} is already in your open claim {1}.").format(serial_no, own[0])]
	return [_("Serial number: {0} is already in an open warranty claim.").format(serial_no)]


def claim_errors(
	customer: str,
	item_code: str | None,
	description: str | None,
	serial_no: str | None = None,
	sales_invoice: str | None = None,
	purchase_date=None,
	files: list[dict] | None = None,
) -> list[str]:
	"""Every reason the claim cannot be filed, each naming the field; empty when it can."""
	errors = _item_errors(customer, item_code)
	item_ok = bool(item_code) and not errors
	if not (description or "").strip():
		errors.append(_("Problem description: please describe the problem."))
	elif len(description) > MAX_DESCRIPTION:
		errors.append(_("Problem description: at most {0} characters.").format(MAX_DESCRIPTION))

	if item_ok:
		# the brand's serial policy, the same as for service requests (free text by default)
		for reason in service_rules.serial_reasons_for_item(customer, item_code, serial_no):
			errors.append(_("{0}: {1}").format(_("Serial number"), reason))
	if serial_no:
		errors.extend(open_claim_errors(customer, serial_no))
	if sales_invoice:
		errors.extend(_invoice_errors(customer, sales_invoice, item_code if item_ok else None))
	if purchase_date:
		errors.extend(_purchase_date_errors(purchase_date))

	files = files or []
	if len(files) > MAX_FILES:
		errors.append(_("Attachments: at most {0} files per claim.").format(MAX_FILES))
	for upload in files:
		errors.extend(upload_errors(upload.get("filename"), upload.get("content") or b""))
	return errors


def _item_errors(customer: str, item_code: str | None) -> list[str]:
	if not item_code:
		return [_("Item: please choose the item you claim for.")]
	if not item_was_purchased(customer, item_code):
		return [_("Item: {0} is not in your purchase history.").format(item_code)]
	return []


def _invoice_errors(customer: str, sales_invoice: str, item_code: str | None) -> list[str]:
	"""The invoice must be the customer's submitted sale and, for a known item, contain it."""
	invoice = frappe.db.get_value(
		"Sales Invoice", sales_invoice, ["customer", "docstatus", "is_return"], as_dict=True
	)
	if not invoice or invoice.customer != customer or invoice.docstatus != 1 or invoice.is_return:
		# the same answer for "not yours" and "does not exist": invoice numbers are guessable
		return [_("Sales Invoice: {0} is not one of your invoices.").format(sales_invoice)]
	if item_code and not frappe.db.exists(
		"Sales Invoice Item",
		{"parent": sales_invoice, "parenttype": "Sales Invoice", "item_code": item_code},
	):
		return [_("Sales Invoice: {0} does not contain item {1}.").format(sales_invoice, item_code)]
	return []


def _purchase_date_errors(purchase_date) -> list[str]:
	try:
		day = read_date(purchase_date)
	except dates.NotADate:
		return [_("Purchase date: {0} does not exist.").format(purchase_date)]
	if not day:
		return [
			_("Purchase date: {0} is not a date; write it like {1}.").format(
				purchase_date, formatdate(today())
			)
		]
	if day > getdate(today()):
		return [_("Purchase date: cannot be in the future.")]
	return []


# Filing
# ------


def create_claim(
	customer: str,
	user: str,
	item_code: str,
	description: str,
	serial_no: str | None = None,
	sales_invoice: str | None = None,
	purchase_date=None,
	files: list[dict] | None = None,
) -> str:
	"""File a claim for `customer` by portal user `user`; returns its number.

	`files`: [{"filename", "content" (bytes), "description"?}], saved as private Files attached to
	the claim (side Customer). Everything is validated first and all errors are raised together
	(ClaimError); PermissionError when `user` does not act for `customer`."""
	if not access.can("warranty.create", customer, user):
		frappe.throw(_("You are not allowed to file claims for this customer."), frappe.PermissionError)
	item_code = (item_code or "").strip() or None
	serial_no = (serial_no or "").strip() or None
	sales_invoice = (sales_invoice or "").strip() or None
	description = (description or "").strip()
	files = files or []
	errors = claim_errors(customer, item_code, description, serial_no, sales_invoice, purchase_date, files)
	if not errors and serial_no:
		# two claims for one serial sent at the same moment: the second waits here for the first
		# to commit, then reads it (services/service/serial_locks.py)
		serial_locks.lock_serials([serial_no])
		errors = open_claim_errors(customer, serial_no, locking=True)
	if errors:
		frappe.throw(errors, exc=ClaimError, title=_("Please correct the claim"), as_list=True)

	doc = _new_claim(customer, user, item_code, description, serial_no, sales_invoice, purchase_date)
	doc.insert(ignore_permissions=True)
	_attach_customer_files(doc, user, files)
	enqueue_mail(doc.name, "Received")
	return doc.name


def _new_claim(customer, user, item_code, description, serial_no, sales_invoice, purchase_date):
	"""The claim document (not inserted), received now, with its first history row."""
	# typed in the user's date format or ISO (checked above); else the invoice's date
	purchase_date = read_date(purchase_date) if purchase_date else None
	if not purchase_date and sales_invoice:
		purchase_date = frappe.db.get_value("Sales Invoice", sales_invoice, "posting_date")
	company = (frappe.db.get_value("Sales Invoice", sales_invoice, "company") if sales_invoice else None) or (
		frappe.defaults.get_global_default("company")
	)
	doc = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"status": "Received",
			"customer": customer,
			"company": company,
			"portal_user": user,
			"item_code": item_code,
			"serial_no": serial_no,
			"sales_invoice": sales_invoice,
			"purchase_date": getdate(purchase_date) if purchase_date else None,
			"description": description,
			"submitted_on": now_datetime(),
		}
	)
	doc.append(
		"status_log",
		{
			"status": "Received",
			"changed_on": now_datetime(),
			"changed_by": user,
			**history_notes.note("claim_filed"),
		},
	)
	return doc


def _attach_customer_files(doc, user: str, uploads: list[dict]):
	"""The customer's uploads as private Files on the inserted claim, listed as its attachments."""
	for upload in uploads:
		file_url = save_private_file(doc, upload["filename"], upload["content"])
		doc.append(
			"attachments",
			{
				"file": file_url,
				"side": "Customer",
				"description": (upload.get("description") or "").strip()[:140] or None,
				"added_by": user,
				"added_on": now_datetime(),
			},
		)
	if uploads:
		doc.flags.ignore_permissions = True
		doc.save()


def save_private_file(doc, filename: str, content: bytes, fieldname: str | None = None) -> str:
	"""Save `content` as a private File attached to the claim; returns its file_url."""
	return files.save_private_file(DOCTYPE, doc.name, filename, content, fieldname).file_url


# Status actions
# --------------


def _get(name: str):
	if not name or not frappe.db.exists(DOCTYPE, name):
		frappe.throw(_("Warranty claim {0} does not exist.").format(name), exc=frappe.DoesNotExistError)
	return frappe.get_doc(DOCTYPE, name, for_update=True)


def _next(doc, action: str) -> str:
	try:
		return transitions.next_status(transitions.WARRANTY_CLAIM, doc.status, action)
	except transitions.TransitionError as e:
		frappe.throw(
			_(e.message).format(action=_(action.replace("_", " ").capitalize()), current=_(doc.status)),
			exc=StatusError,
			title=_("Not allowed in this status"),
		)


def _save(doc, note: str | None = None):
	doc.append(
		"status_log",
		{"status": doc.status, "changed_on": now_datetime(), "changed_by": frappe.session.user, "note": note},
	)
	doc.flags.status_change_allowed = True
	doc.flags.ignore_permissions = True
	doc.save()
	return doc


def start_processing(name: str, note: str | None = None):
	"""Received -> In processing."""
	doc = _get(name)
	doc.status = _next(doc, "start_processing")
	return _save(doc, (note or "").strip() or None)


def grant(
	name: str,
	note: str | None = None,
	credit_document: str | None = None,
	credit_document_file: str | None = None,
):
	"""In processing -> Granted, with the credit document (a submitted Sales Invoice of the customer,
	e.g. the credit note, and/or a file) and the decision note."""
	doc = _get(name)
	status = _next(doc, "grant")
	credit_document = (credit_document or "").strip() or None
	credit_document_file = (credit_document_file or "").strip() or None
	errors = []
	if credit_document:
		invoice = frappe.db.get_value(
			"Sales Invoice", credit_document, ["customer", "docstatus"], as_dict=True
		)
		if not invoice or invoice.customer != doc.customer or invoice.docstatus != 1:
			errors.append(
				_("Credit document: {0} is not a submitted Sales Invoice of {1}.").format(
					credit_document, doc.customer
				)
			)
	if credit_document_file:
		errors.extend(_adopt_file_errors(doc, credit_document_file, "Credit document"))
	if errors:
		frappe.throw(errors, exc=ClaimError, title=_("Cannot grant"), as_list=True)
	if credit_document_file:
		credit_document_file = _adopt_file(doc, credit_document_file, "credit_document_file")
	doc.status = status
	doc.decision_note = (note or "").strip() or None
	doc.credit_document = credit_document or doc.credit_document
	doc.credit_document_file = credit_document_file or doc.credit_document_file
	doc.handling_date = getdate(today())
	_save(doc, doc.decision_note or _("Granted"))
	enqueue_mail(doc.name, "Granted")
	return doc


def refuse(name: str, note: str, supplier_response: str | None = None):
	"""In processing -> Refused; the supplier's response must be attached (here or before) and the
	note says why."""
	doc = _get(name)
	status = _next(doc, "refuse")
	note = (note or "").strip()
	supplier_response = (supplier_response or "").strip() or None
	errors = []
	if not note:
		errors.append(_("Decision note: please say why the claim is refused."))
	if supplier_response:
		errors.extend(_adopt_file_errors(doc, supplier_response, "Supplier response"))
	elif not doc.supplier_response:
		errors.append(_("Supplier response: attach the supplier's response before refusing the claim."))
	if errors:
		frappe.throw(errors, exc=ClaimError, title=_("Cannot refuse"), as_list=True)
	if supplier_response:
		doc.supplier_response = _adopt_file(doc, supplier_response, "supplier_response")
	doc.status = status
	doc.decision_note = note
	doc.handling_date = getdate(today())
	_save(doc, note)
	enqueue_mail(doc.name, "Refused")
	return doc


def appeal(customer: str, name: str, user: str, reason: str, uploads: list[dict] | None = None):
	"""The dealer appeals a refused claim, once, with a reason and new files: Refused -> In
	processing, to be decided again. Files are checked like the claim's own."""
	doc = _get(name)
	if doc.customer != customer:
		frappe.throw(_("You are not allowed to see this warranty claim."), frappe.PermissionError)
	if doc.get("appealed_on"):
		frappe.throw(_("{0} has already been appealed once.").format(doc.name), exc=ClaimError)
	status = _next(doc, "appeal")
	reason = plain_text(reason or "").strip()
	uploads = list(uploads or [])
	errors = [] if reason else [_("Reason: say why the decision should be reviewed.")]
	if len(reason) > 2000:
		errors.append(_("Reason: at most {0} characters.").format(2000))
	if not uploads:
		errors.append(_("Files: add at least one new file (photo, report, invoice)."))
	for upload in uploads:
		errors.extend(upload_errors(upload["filename"], upload["content"]))
	if errors:
		frappe.throw(errors, exc=ClaimError, title=_("Cannot appeal"), as_list=True)
	for upload in uploads:
		doc.append(
			"attachments",
			{
				"file": save_private_file(doc, upload["filename"], upload["content"]),
				"side": "Customer",
				"description": _("Appeal"),
				"added_by": user,
				"added_on": now_datetime(),
			},
		)
	doc.status = status
	doc.appealed_on = now_datetime()
	doc.appeal_note = reason
	_save(doc, _("Appealed: {0}").format(reason))
	_tell_staff_of_appeal(doc, reason)
	return doc


def _tell_staff_of_appeal(doc, reason: str) -> None:
	"""The desk's RMA Managers hear of the appeal by e-mail (when an outgoing account exists)."""
	from rma_portal.services.shared.conversation import staff_emails

	staff = staff_emails()
	if not staff or not has_outgoing_account():
		return
	link = get_url(f"/app/customer-warranty-claim/{doc.name}")
	body = (
		"<p>"
		+ _("{0} appealed the refusal of {1}:").format(
			html.escape(doc.customer_name or doc.customer), doc.name
		)
		+ f'</p><blockquote>{html.escape(reason)}</blockquote><p><a href="{link}">{link}</a></p>'
	)
	queue_mail(staff, _("Warranty claim {0} appealed").format(doc.name), body, DOCTYPE, doc.name)


def set_goods_received(name: str, received: bool = True, received_on=None):
	"""Tick (or untick) "goods received" in any status; the status itself does not change."""
	doc = _get(name)
	doc.goods_received = 1 if received else 0
	doc.goods_received_on = getdate(received_on or today()) if received else None
	return _save(doc, _("Goods received") if received else _("Goods not received"))


def _adopt_file_errors(doc, file_url: str, label: str) -> list[str]:
	attached = frappe.get_all(
		"File", filters={"file_url": file_url}, fields=["attached_to_doctype", "attached_to_name"]
	)
	if not attached:
		return [_("{0}: the file {1} does not exist.").format(_(label), file_url)]
	if not any(
		not f.attached_to_doctype or (f.attached_to_doctype == DOCTYPE and f.attached_to_name == doc.name)
		for f in attached
	):
		return [_("{0}: the file {1} belongs to another document.").format(_(label), file_url)]
	return []


def _adopt_file(doc, file_url: str, fieldname: str) -> str:
	"""Attach a file uploaded in a desk dialog (not attached yet) to the claim, privately; its URL."""
	name = frappe.db.get_value(
		"File", {"file_url": file_url, "attached_to_doctype": DOCTYPE, "attached_to_name": doc.name}, "name"
	) or frappe.db.get_value("File", {"file_url": file_url, "attached_to_name": ("is", "not set")}, "name")
	file_doc = frappe.get_doc("File", name)
	file_doc.attached_to_doctype = DOCTYPE
	file_doc.attached_to_name = doc.name
	file_doc.attached_to_field = fieldname
	file_doc.is_private = 1
	file_doc.save(ignore_permissions=True)
	return file_doc.file_url


def make_claim_files_private(doc) -> None:
	"""After a save: every file the claim refers to is private (staff may untick "private" in the
	upload dialog); moved files get their new URL written back."""
	refs = [
		(DOCTYPE, doc.name, field, doc.get(field)) for field in ("supplier_response", "credit_document_file")
	]
	refs += [(ATTACHMENT_DOCTYPE, row.name, "file", row.file) for row in doc.get("attachments") or []]
	urls = [url for *_rest, url in refs if url and not url.startswith("/private/")]
	if not urls:
		return
	public = frappe.get_all(
		"File",
		filters={
			"file_url": ("in", urls),
			"is_private": 0,
			"attached_to_doctype": DOCTYPE,
			"attached_to_name": doc.name,
		},
		pluck="name",
	)
	for file_name in public:
		file_doc = frappe.get_doc("File", file_name)
		old_url = file_doc.file_url
		file_doc.is_private = 1
		file_doc.save(ignore_permissions=True)
		for doctype, name, field, url in refs:
			if url == old_url:
				frappe.db.set_value(doctype, name, field, file_doc.file_url, update_modified=False)


# Reading (portal)
# ----------------

LIST_FIELDS = [
	"name",
	"status",
	"submitted_on",
	"handling_date",
	"item_code",
	"item_name",
	"serial_no",
	"goods_received",
	"remark",
	"supplier_response",
	"credit_document",
	"credit_document_file",
]


def list_filters(
	customer: str,
	status: str | None = None,
	raised_by: list[str] | None = None,
	from_date=None,
	to_date=None,
	brand: str | None = None,
) -> dict:
	"""The get_all filters of the customer's claims: status, submitted from / to, the item's brand."""
	filters = {"customer": customer}
	if raised_by is not None:
		filters["portal_user"] = ["in", list(raised_by) or [""]]
	if status:
		filters["status"] = status
	if from_date and to_date:
		filters["submitted_on"] = ["between", [getdate(from_date), f"{getdate(to_date)} 23:59:59.999999"]]
	elif from_date:
		filters["submitted_on"] = [">=", getdate(from_date)]
	elif to_date:
		filters["submitted_on"] = ["<=", f"{getdate(to_date)} 23:59:59.999999"]
	if brand:
		filters["item_code"] = ["in", frappe.get_all("Item", filters={"brand": brand}, pluck="name") or [""]]
	return filters


def claim_brands(customer: str) -> list[str]:
	"""The brands of the customer's claimed items, for the brand filter. Kept between changes of the
	customer's claims and of the items (a brand changed): the join reads every claim of the customer
	(3,100 at 200,000 delivered lines, 2-11 ms); the newest `modified` of both is one row of an index
	each (Customer Warranty Claim customer_modified, Item modified)."""
	return kept_with_items("claim_brands", DOCTYPE, customer, lambda: _claim_brands(customer))


def _claim_brands(customer: str) -> list[str]:
	return frappe.db.sql_list(
		"""select distinct i.brand from `tabCustomer Warranty Claim` c join `tabItem` i on i.name = c.item_code
		where c.customer = %(customer)s and ifnull(i.brand, '') != '' order by i.brand""",
		{"customer": customer},
	)


def export_claims(customer: str, **filters) -> bytes:
	"""The customer's claims with the list's filters as CSV (UTF-8 with BOM; text never a formula)."""
	from rma_portal.domain.spreadsheet import csv_bytes, escape_cell

	rows = frappe.get_all(
		DOCTYPE,
		filters=list_filters(customer, **filters),
		fields=LIST_FIELDS,
		order_by="submitted_on desc, name desc",
		limit_page_length=5000,
	)
	header = [
		_("Claim no."),
		_("Submitted"),
		_("Handled"),
		_("Status"),
		_("Item"),
		_("Serial number"),
		_("Remark"),
	]
	lines = (
		[
			row.name,
			format_datetime(row.submitted_on, "yyyy-MM-dd HH:mm") if row.submitted_on else "",
			str(row.handling_date or ""),
			_(row.status),
			row.item_code,
			escape_cell(row.serial_no or ""),
			escape_cell(display_text(row.remark) or ""),
		]
		for row in rows
	)
	return csv_bytes([header, *lines])


def list_claims(customer: str, page: int = 1, page_size: int = 20, **given) -> dict:
	"""One page of the customer's claims, newest first, each with its documents; `given`: the filters
	of list_filters (status, raised_by: only those raised by these users, the supervisor rule of
	access.raised_by_filter; submitted from / to; the item's brand)."""
	page_size = max(1, min(cint(page_size) or 20, 100))
	page = max(1, cint(page) or 1)
	filters = list_filters(customer, **given)
	total = frappe.db.count(DOCTYPE, filters)
	rows = frappe.get_all(
		DOCTYPE,
		filters=filters,
		fields=LIST_FIELDS,
		order_by="submitted_on desc, name desc",
		limit_start=(page - 1) * page_size,
		limit_page_length=page_size,
	)
	attachments = _attachments_of([row.name for row in rows])
	for row in rows:
		row["documents"] = claim_documents(row, attachments.get(row.name, []))
	return {"rows": rows, "total": total, "page": page, "page_size": page_size}


def claim_detail(customer: str, name: str) -> frappe._dict:
	"""The claim `name` of `customer` with its documents and history; PermissionError otherwise
	(the same for another customer's claim and for one that does not exist)."""
	if not name or frappe.db.get_value(DOCTYPE, name, "customer") != customer:
		frappe.throw(_("You are not allowed to see this warranty claim."), frappe.PermissionError)
	doc = frappe.get_doc(DOCTYPE, name)
	claim = frappe._dict(doc.as_dict())
	claim["documents"] = claim_documents(claim, _attachments_of([name]).get(name, []))
	return claim


def _attachments_of(names: list[str]) -> dict[str, list]:
	if not names:
		return {}
	rows = frappe.get_all(
		ATTACHMENT_DOCTYPE,
		filters={"parent": ("in", names), "parenttype": DOCTYPE, "parentfield": "attachments"},
		fields=["name", "parent", "file", "side", "description", "added_on", "idx"],
		order_by="idx asc",
	)
	out: dict[str, list] = {}
	for row in rows:
		out.setdefault(row.parent, []).append(row)
	return out


def download_url(name: str, kind: str, ref: str | None = None) -> str:
	url = "/api/method/rma_portal.api.warranty.download?name=" + quote(name, safe="") + "&kind=" + kind
	return url + ("&ref=" + quote(ref, safe="") if ref else "")


def claim_documents(claim, attachments: list) -> list[dict]:
	"""The documents of a claim as the portal lists them: the claim PDF, the supplier's response,
	the attachments of both sides and, when granted, the credit document."""
	name = claim["name"]
	docs = [{"kind": "claim", "label": _("Claim (PDF)"), "url": download_url(name, "claim"), "side": None}]
	if claim.get("supplier_response"):
		docs.append(
			{
				"kind": "response",
				"label": _("Response"),
				"url": download_url(name, "response"),
				"side": "Staff",
			}
		)
	uploaded = uploaded_names(name, [row.file for row in attachments])
	for row in attachments:
		docs.append(
			{
				"kind": "attachment",
				"label": row.description or uploaded.get(row.file) or file_label(row.file),
				"file_name": uploaded.get(row.file) or file_label(row.file),
				"url": download_url(name, "attachment", row.name),
				"side": row.side,
			}
		)
	if claim.get("status") == "Granted":
		if claim.get("credit_document"):
			docs.append(
				{
					"kind": "credit",
					"label": _("Credit document {0}").format(claim["credit_document"]),
					"url": download_url(name, "credit"),
					"side": "Staff",
				}
			)
		if claim.get("credit_document_file"):
			docs.append(
				{
					"kind": "credit_file",
					"label": _("Credit document ({0})").format(file_label(claim["credit_document_file"])),
					"url": download_url(name, "credit_file"),
					"side": "Staff",
				}
			)
	return docs


def display_text(value: str | None) -> str:
	"""Text as the user typed it, for output that escapes it again (Jinja |e, textContent).

	Frappe's XSS filter stores text containing < or > as sanitized HTML (& becomes &amp;, a <script>
	tag becomes &lt;script&gt;); unescaping gives the typed text back, which the output escapes."""
	return html.unescape(value or "")


def file_label(file_url: str | None) -> str:
	return (file_url or "").rsplit("/", 1)[-1]


def uploaded_names(claim: str, urls: list) -> dict[str, str]:
	"""file URL -> the name the file was uploaded with (services.files stores it under a name of its
	own, "3d31cc579dcf-damage0.png"; the File keeps the uploaded one), one query for the claim."""
	urls = [url for url in urls if url]
	if not urls:
		return {}
	rows = frappe.get_all(
		"File",
		filters={"file_url": ("in", urls), "attached_to_doctype": DOCTYPE, "attached_to_name": claim},
		fields=["file_url", "file_name"],
	)
	return {row.file_url: row.file_name for row in rows if row.file_name}


def document_content(name: str, kind: str, ref: str | None = None) -> tuple[str, bytes]:
	"""(download file name, bytes) of one document of claim `name`. The caller checks that the user
	may read the claim; here only the claim's own files are served."""
	claim = frappe.db.get_value(
		DOCTYPE,
		name,
		["name", "status", "supplier_response", "credit_document", "credit_document_file"],
		as_dict=True,
	)
	if not claim:
		raise frappe.DoesNotExistError(_("Warranty claim {0} does not exist.").format(name))
	if kind == "claim":
		return claim_pdf_file_name(name), make_claim_pdf(name)
	if kind == "credit" and claim.status == "Granted" and claim.credit_document:
		from frappe.utils.print_utils import get_print

		from rma_portal.services.portal.portal_print import PDF_OPTIONS

		content = get_print(
			"Sales Invoice", claim.credit_document, as_pdf=True, pdf_options=dict(PDF_OPTIONS)
		)
		return f"{claim.credit_document}.pdf", content
	file_url = None
	if kind == "response":
		file_url = claim.supplier_response
	elif kind == "credit_file" and claim.status == "Granted":
		file_url = claim.credit_document_file
	elif kind == "attachment" and ref:
		file_url = frappe.db.get_value(
			ATTACHMENT_DOCTYPE, {"name": ref, "parent": name, "parenttype": DOCTYPE}, "file"
		)
	if not file_url:
		raise frappe.DoesNotExistError(_("This document of {0} is not available.").format(name))
	file_name = frappe.db.get_value(
		"File", {"file_url": file_url, "attached_to_doctype": DOCTYPE, "attached_to_name": name}, "name"
	)
	if not file_name:
		raise frappe.DoesNotExistError(_("This document of {0} is not available.").format(name))
	file_doc = frappe.get_doc("File", file_name)
	content = file_doc.get_content()
	if isinstance(content, str):
		content = content.encode()
	return file_doc.file_name or file_label(file_url), content


# Claim PDF
# ---------


def claim_pdf_file_name(name: str) -> str:
	return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") + ".pdf"


def claim_pdf_context(doc) -> dict:
	from rma_portal.services.returns.documents import _company_address_lines

	company = doc.company or frappe.defaults.get_global_default("company")
	company_doc = frappe.get_cached_doc("Company", company) if company else None
	uploaded = uploaded_names(doc.name, [row.file for row in doc.attachments])
	return {
		"doc": doc,
		"company": company or "",
		"company_address": _company_address_lines(company) if company else [],
		"company_contact": [v for v in (company_doc.phone_no, company_doc.email, company_doc.website) if v]
		if company_doc
		else [],
		"customer_name": doc.customer_name or doc.customer,
		"submitted": format_datetime(doc.submitted_on) if doc.submitted_on else "",
		"purchase_date": format_date(doc.purchase_date) if doc.purchase_date else "",
		"handling_date": format_date(doc.handling_date) if doc.handling_date else "",
		"description": display_text(doc.description),
		"decision_note": display_text(doc.decision_note),
		"customer_files": [
			uploaded.get(row.file) or file_label(row.file)
			for row in doc.attachments
			if row.side == "Customer"
		],
		"generated_on": format_datetime(now_datetime()),
	}


def rma_portal_claim_print(doc, letter_head: str | None = None, no_letterhead=0) -> str:
	"""The desk's print format "Customer Warranty Claim" (a jinja method, hooks.py, through
	claim_print): the claim as filed, with its current status, from the claim PDF's template and
	context, framed as the RMA's print is (services/returns/print_formats.py)."""
	from rma_portal.services.returns import print_formats

	claim = frappe.render_template(CLAIM_TEMPLATE, claim_pdf_context(doc))
	framed = print_formats.scoped_part(claim, "rma-claim")
	return print_formats.letter_head_html(doc, letter_head, no_letterhead) + "\n" + framed


def make_claim_pdf(name: str) -> bytes:
	"""The claim as filed (with its current status) as an A4 PDF."""
	from frappe.utils.pdf import get_pdf

	doc = frappe.get_doc(DOCTYPE, name)
	html = frappe.render_template(CLAIM_TEMPLATE, claim_pdf_context(doc))
	return get_pdf(html, options=dict(CLAIM_PDF_OPTIONS))


# E-mails
# -------


def enqueue_mail(name: str, status: str) -> None:
	"""Queue the mail for `status` after the commit (the Received mail carries the claim PDF, which
	is built in the job). Tests run it at once."""
	jobs.enqueue_after_commit(
		"rma_portal.services.warranty.warranty_claims.send_status_mail", name=name, status=status
	)


def mail_template(status: str) -> str | None:
	from rma_portal.setup_data import EMAIL_TEMPLATES

	key = MAIL_KEYS.get(status)
	return EMAIL_TEMPLATES.get(key) if key else None


def render_mail(template_name: str, doc) -> tuple[str, str]:
	context = {"doc": doc, "portal_url": get_url("/warranty/view?name=" + quote(doc.name, safe=""))}
	return render_email_template(template_name, context, doc.portal_user)


def send_status_mail(name: str, status: str) -> bool:
	"""Send the Email Template of `status` (Received, Granted, Refused) to the claim's portal user.

	A missing template or address, or a broken template, is noted on the claim, never raised."""
	template = mail_template(status)
	if not template:
		return False
	doc = frappe.get_doc(DOCTYPE, name)
	recipient = validate_email_address((doc.portal_user or "").strip())
	if not recipient:
		return note_mail_not_sent(doc, template, _("no valid e-mail address on the claim"))
	if not mail_preferences.wanted([recipient], MAIL_KEYS[status]):
		return note_mail_not_sent(doc, template, _("the recipient switched these e-mails off"))
	if not frappe.db.exists("Email Template", template):
		return note_mail_not_sent(doc, template, _("Email Template {0} does not exist").format(template))
	try:
		attachments = None
		if status == "Received":
			try:
				attachments = [{"fname": claim_pdf_file_name(name), "fcontent": make_claim_pdf(name)}]
			except Exception:
				frappe.log_error(title=_("Warranty claim {0}: PDF could not be built").format(name))
		if not has_outgoing_account():
			return note_mail_not_sent(doc, template, _("no outgoing Email Account is set up"))
		subject, message = render_mail(template, doc)
		# with a plain-text part written from the HTML (not html2text's Markdown)
		queue_mail([recipient], subject, message, DOCTYPE, name, attachments)
	except frappe.OutgoingEmailError:
		return note_mail_not_sent(doc, template, _("no outgoing Email Account is set up"))
	except Exception:
		frappe.log_error(title=_("Warranty claim {0}: e-mail {1} failed").format(name, template))
		return note_mail_not_sent(doc, template, _("see the Error Log"))
	return True
