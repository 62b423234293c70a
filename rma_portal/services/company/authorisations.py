"""Company authorisation (SPEC §4, seed 004): how a company gets its one accountable administrator.

1. A logged-in portal user adds the company (name, tax id with its country prefix, registered address)
   with its registration documents (private uploads, type and size checked).
2. They download the authorisation document, a PDF filled with the company's and their own data
   (templates/company/authorisation.html), have it signed and stamped by the owner, and upload it:
   the request is then Submitted.
3. Staff Accept or Reject (a reason, e-mailed) in the desk. Accepting locks the Customer row first,
   so two acceptances for one company run one after the other; the second explicitly replaces the
   first's administrator (the earlier authorisation becomes Replaced, its member stays a member
   without administrator rights). The member table's unique `admin_key` holds even without the lock.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from rma_portal.domain import members as rules
from rma_portal.domain import uploads
from rma_portal.domain.inputs import document_name
from rma_portal.domain.tax_ids import TaxIdError, check_tax_id
from rma_portal.services.company import members
from rma_portal.services.shared.files import save_private_file
from rma_portal.services.shared.notify import send_mail
from rma_portal.services.shared.plain_text import keep_plain_text

DOCTYPE = "Company Authorisation"
TEMPLATE = "rma_portal/templates/company/authorisation.html"
PDF_OPTIONS = {"page-size": "A4", "image-quality": "100"}
DOCUMENT_FIELD = "registration_document"
SIGNED_FIELD = "signed_authorisation"
ALLOWED = ("pdf", "jpg", "png")
MAX_FILE_BYTES = uploads.MAX_ATTACHMENT_BYTES
MAX_DOCUMENTS = 5
COMPANY_FIELDS = ("company_name", "vat_prefix", "tax_id", "address_line1", "pincode", "city", "country")
REQUIRED = ("company_name", "address_line1", "city", "country")


class AdministratorExists(frappe.ValidationError):
	pass


# Why a VAT number was refused (domain/tax_ids.py), in the reader's language: for the company's
# data here and for registration and account requests (services/accounts/).
TAX_ID_ERRORS = {
	"unknown_prefix": lambda p: _("{0} is not the VAT prefix of an EU country.").format(p),
	"prefix_mismatch": lambda p: _("The number starts with another country's prefix than {0}.").format(p),
	"length": lambda p: _("The number has the wrong length for {0}.").format(p),
	"check_digit": lambda p: _("The check digit is wrong: please check the number for typing errors."),
	"format": lambda p: _("The number is not written as a {0} VAT number is.").format(p),
	"prefix_missing": lambda p: _("Choose the VAT country prefix."),
}


def tax_id_message(error: TaxIdError) -> str:
	return TAX_ID_ERRORS[error.reason](error.prefix)


def label(fieldname: str) -> str:
	return _(frappe.get_meta(DOCTYPE).get_label(fieldname))


def validate(doc):
	keep_plain_text(doc)
	for field in COMPANY_FIELDS:
		if isinstance(doc.get(field), str):
			doc.set(field, doc.get(field).strip() or None)
	if doc.tax_id or doc.vat_prefix:
		try:
			doc.tax_id = check_tax_id(doc.vat_prefix, doc.tax_id) or None
		except TaxIdError as e:
			frappe.throw(f"{label('tax_id')}: {tax_id_message(e)}", frappe.ValidationError)
		if doc.tax_id:
			doc.vat_prefix = doc.tax_id[:2]


# -- portal ---------------------------------------------------------------------------------------


def check_file(file: dict) -> dict:
	name = file.get("filename") or ""
	content = file.get("content") or b""
	if len(content) > MAX_FILE_BYTES:
		frappe.throw(
			_("{0}: the file is larger than {1} MB.").format(name, MAX_FILE_BYTES // (1024 * 1024)),
			frappe.ValidationError,
		)
	if not content or not uploads.file_kind(name, content, ALLOWED):
		frappe.throw(_("{0}: only PDF, JPG or PNG files are accepted.").format(name), frappe.ValidationError)
	return file


MAX_OPEN_REQUESTS = 5


def create(user: str, values: dict, files: list[dict]) -> str:
	"""A new authorisation request of `user` for a company, with its registration documents."""
	waiting = frappe.db.count(DOCTYPE, {"user": user, "status": ["in", ["Open", "Submitted"]]})
	if waiting >= MAX_OPEN_REQUESTS:
		frappe.throw(
			_("You have {0} authorisation requests waiting already; finish or wait for those first.").format(
				waiting
			),
			frappe.ValidationError,
		)
	missing = [label(field) for field in REQUIRED if not (values.get(field) or "").strip()]
	if missing:
		frappe.throw(_("Please fill in: {0}").format(", ".join(missing)), frappe.ValidationError)
	if not files:
		frappe.throw(_("Please add the company's registration documents."), frappe.ValidationError)
	if len(files) > MAX_DOCUMENTS:
		frappe.throw(_("At most {0} registration documents.").format(MAX_DOCUMENTS), frappe.ValidationError)
	files = [check_file(file) for file in files]
	if not frappe.db.exists("Country", values.get("country")):
		frappe.throw(_("{0}: please choose a country from the list.").format(label("country")))
	doc = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"status": "Open",
			"user": user,
			**{field: values.get(field) for field in COMPANY_FIELDS},
		}
	)
	doc.customer = matching_customer(doc, user)
	doc.insert(ignore_permissions=True)
	for file in files:
		save_private_file(DOCTYPE, doc.name, file["filename"], file["content"], field=DOCUMENT_FIELD)
	return doc.name


def matching_customer(doc, user: str) -> str | None:
	"""The existing customer this company is: same tax id, or one the user already belongs to with
	the same name; staff can change it before accepting."""
	from rma_portal import access

	if doc.tax_id:
		by_tax_id = frappe.db.get_value("Customer", {"tax_id": doc.tax_id}, "name")
		if by_tax_id:
			return by_tax_id
	for customer in access.linked_customers(user):
		if frappe.db.get_value("Customer", customer, "customer_name") == doc.company_name:
			return customer
	return None


def own_request(name: str, user: str, for_update: bool = False):
	"""An authorisation request the user made; another user's (or none) is 'not found'."""
	if not name or frappe.db.get_value(DOCTYPE, name, "user", for_update=for_update) != user:
		raise frappe.DoesNotExistError(_("This authorisation request was not found."))
	return frappe.get_doc(DOCTYPE, name)


def requests_of(user: str) -> list[dict]:
	return frappe.get_all(
		DOCTYPE,
		filters={"user": user},
		fields=[
			"name",
			"status",
			"company_name",
			"tax_id",
			"city",
			"customer",
			"submitted_on",
			"decided_on",
			"rejection_reason",
			"signed_authorisation",
		],
		order_by="creation desc",
	)


def documents_of(name: str) -> list[dict]:
	return frappe.get_all(
		"File",
		filters={"attached_to_doctype": DOCTYPE, "attached_to_name": name},
		fields=["name", "file_name", "attached_to_field", "creation"],
		order_by="creation asc",
	)


def authorisation_pdf(name: str, user: str) -> tuple[str, bytes]:
	"""The authorisation document to sign: the company's and the requesting user's data."""
	from frappe.utils.pdf import get_pdf

	doc = own_request(name, user)
	person = frappe.db.get_value("User", user, ["full_name", "email", "phone", "mobile_no"], as_dict=True)
	company = frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {})
	context = {
		"doc": doc,
		"person": person,
		"supplier": company,
		"country": _(doc.country) if doc.country else "",
		"today": frappe.utils.formatdate(frappe.utils.today()),
		"flags": [(members.flag_label(flag), members.flag_description(flag)) for flag in rules.FLAGS],
	}
	html = frappe.render_template(TEMPLATE, context)
	return f"authorisation-{doc.name}.pdf", get_pdf(html, options=dict(PDF_OPTIONS))


def upload_signed(name: str, user: str, file: dict | None) -> None:
	"""The signed copy: the request goes to staff (Submitted). Again while still undecided replaces it."""
	doc = own_request(name, user, for_update=True)
	if doc.status not in ("Open", "Submitted"):
		frappe.throw(_("This authorisation request has been decided already."), frappe.ValidationError)
	if not file:
		frappe.throw(_("Please choose the signed authorisation file."), frappe.ValidationError)
	check_file(file)
	saved = save_private_file(DOCTYPE, doc.name, file["filename"], file["content"], field=SIGNED_FIELD)
	doc.signed_authorisation = saved.file_url
	doc.status = "Submitted"
	doc.submitted_on = now_datetime()
	doc.save(ignore_permissions=True)
	notify_staff(doc)


def notify_staff(doc) -> None:
	"""The desk's bell for the returns staff (RMA Manager): an authorisation waits for their decision."""
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	staff = frappe.get_all(
		"Has Role", filters={"role": "RMA Manager", "parenttype": "User"}, pluck="parent", distinct=True
	)
	staff = frappe.get_all("User", filters={"name": ["in", staff or [""]], "enabled": 1}, pluck="name")
	if not staff:
		return
	enqueue_create_notification(
		staff,
		{
			"type": "Alert",
			"document_type": DOCTYPE,
			"document_name": doc.name,
			"subject": _("Company authorisation {0} for {1} waits for your decision").format(
				doc.name, frappe.utils.escape_html(doc.company_name)
			),
			"from_user": doc.user,
		},
	)


def activate(customer: str, user: str, data_confirmed: bool, terms_accepted: bool, e_invoices: bool) -> dict:
	"""Final activation by the administrator: the company's data confirmed, the terms accepted, and
	electronic invoices chosen or not, all recorded on the Customer with who and when."""
	if not data_confirmed:
		frappe.throw(_("Please confirm that the company's data are right."), frappe.ValidationError)
	if not terms_accepted:
		frappe.throw(_("Please accept the terms."), frappe.ValidationError)
	before = frappe.db.get_value(
		"Customer", customer, ["rma_e_invoices", "rma_e_invoices_since"], as_dict=True
	)
	values = {
		"rma_activated_on": now_datetime(),
		"rma_activated_by": user,
		"rma_e_invoices": int(e_invoices),
		"rma_e_invoices_since": (
			before.rma_e_invoices_since if before.rma_e_invoices else frappe.utils.today()
		)
		if e_invoices
		else None,
	}
	frappe.db.set_value("Customer", customer, values)
	return {"customer": customer, **values}


# -- desk -----------------------------------------------------------------------------------------


def make_customer(doc) -> str:
	group = frappe.db.get_single_value("Selling Settings", "customer_group") or frappe.db.get_value(
		"Customer Group", {"is_group": 0}, "name"
	)
	territory = frappe.db.get_single_value("Selling Settings", "territory") or frappe.db.get_value(
		"Territory", {"is_group": 0}, "name"
	)
	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			# a request filed before names were checked may hold what the desk refuses ("<", ">")
			"customer_name": document_name(doc.company_name),
			"customer_type": "Company",
			"customer_group": group,
			"territory": territory,
			"tax_id": doc.tax_id,
		}
	).insert(ignore_permissions=True)
	return customer.name


def same_address(row, doc) -> bool:
	def key(value):
		return " ".join(str(value or "").lower().split())

	return all(key(row.get(f)) == key(doc.get(f)) for f in ("address_line1", "pincode", "city", "country"))


def save_registered_address(doc) -> str:
	"""The registered address typed in the authorisation becomes the Customer's billing Address, marked
	as its preferred one (ERPNext's "Preferred Billing Address", and the Customer's primary address):
	the same address already in the company's book is marked, else one is made."""
	from rma_portal.services.company.addresses import addresses_of

	found = next((row for row in addresses_of(doc.customer) if same_address(row, doc)), None)
	address = (
		frappe.get_doc("Address", found.name)
		if found
		else frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": document_name(doc.company_name),
				"links": [{"link_doctype": "Customer", "link_name": doc.customer}],
			}
		)
	)
	address.update(
		{
			"address_type": "Billing",
			"is_primary_address": 1,  # ERPNext unmarks the customer's previous preferred billing address
			"address_line1": doc.address_line1,
			"pincode": doc.pincode,
			"city": doc.city,
			"country": doc.country,
		}
	)
	address.save(ignore_permissions=True)
	frappe.db.set_value("Customer", doc.customer, "customer_primary_address", address.name)
	return address.name


def registered_address(customer: str):
	"""What Final activation shows as the registered address: the company's preferred billing address,
	else another billing address; never a delivery address."""
	from rma_portal.services.company.addresses import addresses_of

	return next((row for row in addresses_of(customer) if row.address_type == "Billing"), None)


def accept(name: str, replace: bool = False) -> dict:
	"""Staff accept: the requester becomes the company's one administrator. When the company has one
	already, only with `replace` (staff confirmed it): of two acceptances racing without it, the first
	wins and the second is refused."""
	doc = frappe.get_doc(DOCTYPE, name)
	if doc.status != "Submitted":
		frappe.throw(_("Only a submitted authorisation (with its signed copy) can be accepted."))
	if not doc.customer:
		doc.db_set("customer", make_customer(doc), update_modified=False)
	# one acceptance per company at a time: the second waits here and then sees the first's administrator
	frappe.db.sql("select name from `tabCustomer` where name = %s for update", doc.customer)
	doc.reload()
	if doc.status != "Submitted":
		frappe.throw(_("This authorisation has been decided meanwhile."))
	previous = frappe.db.get_value(
		members.MEMBER, {"admin_key": doc.customer}, ["name", "user"], as_dict=True, for_update=True
	)
	if previous and previous.user != doc.user and not replace:
		frappe.throw(
			_("{0} is already the administrator of {1}. Accept again choosing to replace them.").format(
				frappe.utils.get_fullname(previous.user) or previous.user, doc.customer
			),
			AdministratorExists,
		)
	if previous and previous.user != doc.user:
		old = frappe.get_doc(members.MEMBER, previous.name)
		old.is_admin = 0
		old.flags.rma_admin_change = True
		old.save(ignore_permissions=True)
		frappe.db.set_value(
			DOCTYPE,
			{"customer": doc.customer, "status": "Accepted", "name": ["!=", doc.name]},
			"status",
			"Replaced",
		)
	member_name = members.ensure_member(doc.customer, doc.user, flags=rules.FLAGS, all_documents=True)
	member = frappe.get_doc(members.MEMBER, member_name)
	if not member.is_admin or not member.enabled:
		member.is_admin = 1
		member.enabled = 1
		member.flags.rma_admin_change = True
		member.save(ignore_permissions=True)
	members.authorise_customer(doc.customer)
	save_registered_address(doc)
	doc.status = "Accepted"
	doc.decided_on = now_datetime()
	doc.decided_by = frappe.session.user
	doc.save(ignore_permissions=True)
	notify(doc, accepted=True)
	return {"customer": doc.customer, "member": member_name, "replaced": previous.user if previous else None}


def reject(name: str, reason: str | None) -> None:
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("Please give the reason for the rejection; it is sent to the requester."))
	doc = frappe.get_doc(DOCTYPE, name)
	if doc.status not in ("Open", "Submitted"):
		frappe.throw(_("This authorisation has been decided already."))
	doc.status = "Rejected"
	doc.rejection_reason = reason
	doc.decided_on = now_datetime()
	doc.decided_by = frappe.session.user
	doc.save(ignore_permissions=True)
	notify(doc, accepted=False)


def notify(doc, accepted: bool) -> None:
	if accepted:
		subject = _("Your company {0} is authorised").format(doc.company_name)
		message = _(
			"We accepted the authorisation for {0}. You are its company administrator: you can now add "
			"your colleagues and set their rights on the Company page of the portal."
		).format(doc.company_name)
	else:
		subject = _("Your authorisation for {0} was not accepted").format(doc.company_name)
		message = _("We could not accept the authorisation for {0}. Reason: {1}").format(
			doc.company_name, frappe.utils.escape_html(doc.rejection_reason or "")
		)
	send_mail(doc, [doc.user], subject, message)
