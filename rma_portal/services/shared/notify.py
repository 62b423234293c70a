"""E-mails to the customer about an RMA, through Frappe's e-mail queue.

Each mail comes from an Email Template staff can edit (made on install when missing, names in
setup_data.EMAIL_TEMPLATES); subject and body are Jinja rendered with `doc` (the RMA), `portal_url`
and `return_address`. A missing template, address or outgoing account never raises: the mail is
skipped, the reason logged and noted on the RMA's timeline, so a status change is never undone by
an e-mail problem.
"""

from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import get_url, validate_email_address

from rma_portal.domain.mail_text import html_to_text
from rma_portal.services.shared import mail_preferences
from rma_portal.services.shared.settings import rma_settings
from rma_portal.setup_data import EMAIL_TEMPLATES

CONFIRMATION = "Confirmation"
STATUS_MAILS = ("Received", "Invoiced", "Completed", "Rejected", "Cancelled")  # RMA statuses with a mail
# the confirmation of a request an approval rule held or declined at sending (services/policy)
CONFIRMATION_BY_STATUS = {"Requested": "Requested", "Rejected": "Declined"}
APPROVED = "Approved"
DIGEST_TEMPLATE = EMAIL_TEMPLATES["Approval Digest"]
# a service request's statuses with a mail of its own (the others share the returns' mails)
SERVICE_MAILS = {"Received": "Service Received", "Completed": "Service Completed"}


def _mail_key(doc, key: str) -> str | None:
	"""The EMAIL_TEMPLATES key of occasion `key` (a status or "Confirmation") for this RMA's kind."""
	if doc.kind == "Service":
		if key == CONFIRMATION:
			return "Service Confirmation"
		if key in SERVICE_MAILS:
			return SERVICE_MAILS[key]
	if key == CONFIRMATION:
		return CONFIRMATION_BY_STATUS.get(doc.status, CONFIRMATION)
	if key == "Rejected" and _previous_status(doc) == "Requested":
		return "Declined"  # a request declined in the review queue
	return key if key in STATUS_MAILS else None


def _previous_status(doc) -> str | None:
	log = doc.get("status_log") or []
	return log[-2].status if len(log) > 1 else None


def send_confirmation(name: str) -> bool:
	"""Queue the confirmation of RMA `name` to its contact and copy addresses, with the documents PDF
	attached when it exists. Returns whether a mail was queued."""
	doc = frappe.get_doc("RMA", name)
	attachments = [{"file_url": doc.documents}] if doc.documents else None
	template = EMAIL_TEMPLATES[_mail_key(doc, CONFIRMATION)]
	return _send(doc, template, _recipients(doc, with_copy=True), attachments)


def send_status_mail(name: str, status: str, doc=None) -> bool:
	"""Queue the mail for RMA `name` having reached `status` (Received, Invoiced, Rejected, Cancelled;
	a service request also Completed); other statuses have no mail. Returns whether a mail was
	queued. `doc`: the RMA just saved, when the caller has it (saves loading it again)."""
	if status == CONFIRMATION:  # not a status: send_confirmation sends it
		return False
	doc = doc if doc is not None and doc.name == name else frappe.get_doc("RMA", name)
	key = _mail_key(doc, status)
	if not key:
		return False
	recipients = _wanted(doc, key, _recipients(doc, with_copy=False))
	if recipients is None:
		return False
	return _send(doc, EMAIL_TEMPLATES[key], recipients, _credit_note_pdfs(doc) if key == "Invoiced" else None)


def send_approval_mail(name: str) -> bool:
	"""The approval of a request held for review, with the return form and label attached."""
	doc = frappe.get_doc("RMA", name)
	recipients = _wanted(doc, APPROVED, _recipients(doc, with_copy=True))
	if recipients is None:
		return False
	attachments = [{"file_url": doc.documents}] if doc.documents else None
	return _send(doc, EMAIL_TEMPLATES[APPROVED], recipients, attachments)


def _wanted(doc, key: str, recipients: list[str]) -> list[str] | None:
	"""The recipients who want mail `key`; None (noted on the timeline) when all switched it off."""
	wanted = mail_preferences.wanted(recipients, key)
	if recipients and not wanted:
		note_mail_not_sent(doc, EMAIL_TEMPLATES[key], _("the recipient switched these e-mails off"))
		return None
	return wanted


def _credit_note_pdfs(doc) -> list[dict] | None:
	"""The credit notes' PDFs (ERPNext's standard print), made by the e-mail queue when it sends."""
	return [
		{"print_format_attachment": 1, "doctype": "Sales Invoice", "name": row.sales_invoice}
		for row in doc.get("credit_notes") or []
	] or None


def send_repair_quote_mail(doc) -> bool:
	"""The service request's repair quote, to answer on the request's page."""
	return _send(doc, EMAIL_TEMPLATES["Service Repair Quote"], _recipients(doc, with_copy=False))


def render_mail(template_name: str, doc) -> tuple[str, str]:
	"""(subject, HTML body) of Email Template `template_name` for RMA `doc`."""
	settings = rma_settings()
	context = {
		"doc": doc,
		"portal_url": get_url("/service" if doc.kind == "Service" else "/rma"),
		"request_url": get_url("/rma/view?name=" + quote(doc.name, safe="")),
		"return_address": doc.return_address or settings.return_address,
		"quote_total": frappe.db.get_value("Quotation", doc.get("repair_quotation"), "grand_total")
		if doc.get("repair_quotation")
		else 0,
		"handling_charge": settings.get("handling_charge") or 0,
	}
	return render_email_template(template_name, context, doc.portal_user)


def render_email_template(template_name: str, context: dict, recipient_user: str | None) -> tuple[str, str]:
	"""(subject, HTML body) of an Email Template rendered with `context`.

	The subject is in the recipient's language when the app's translations have it (a subject
	edited by staff no longer matches a translation and stays as written).
	"""
	lang = (
		recipient_user and frappe.db.get_value("User", recipient_user, "language")
	) or frappe.db.get_default("lang")
	template = frappe.get_cached_doc("Email Template", template_for_language(template_name, lang))
	subject = _(template.subject, lang=lang or "en")
	# the body's _() texts in the reader's language too
	previous, frappe.local.lang = frappe.local.lang, lang or "en"
	try:
		return (
			frappe.render_template(subject, context).strip(),
			frappe.render_template(template.response_, context),
		)
	finally:
		frappe.local.lang = previous


def template_for_language(template_name: str, lang: str | None) -> str:
	"""The Email Template written for a language, when staff made one: "RMA Received (fr)" for
	French readers (or "(fr)" for "fr-CA"), else the template itself (subject translated)."""
	for code in filter(None, (lang, (lang or "").split("-")[0])):
		localized = f"{template_name} ({code})"
		if frappe.db.exists("Email Template", localized):
			return localized
	return template_name


def _recipients(doc, with_copy: bool) -> list[str]:
	"""The RMA's contact and the dealer who sent it (when another address), and for the confirmation
	the copy address; each once."""
	sender = frappe.db.get_value("User", doc.portal_user, "email") if doc.get("portal_user") else None
	candidates = [doc.contact_email or doc.portal_user, sender]
	if with_copy:
		candidates.append(doc.copy_email)
	recipients = []
	for value in candidates:
		email = validate_email_address((value or "").strip())
		if email and email.lower() not in (r.lower() for r in recipients):
			recipients.append(email)
	return recipients


def _send(doc, template_name: str, recipients: list[str], attachments: list | None = None) -> bool:
	if not recipients:
		note_mail_not_sent(doc, template_name, _("no valid e-mail address on the RMA"))
		return False
	if not frappe.db.exists("Email Template", template_name):
		note_mail_not_sent(doc, template_name, _("Email Template {0} does not exist").format(template_name))
		return False

	if not has_outgoing_account():
		note_mail_not_sent(doc, template_name, _("no outgoing Email Account is set up"))
		return False

	try:
		subject, message = render_mail(template_name, doc)
		queue_mail(recipients, subject, message, "RMA", doc.name, attachments)
	except frappe.OutgoingEmailError:
		note_mail_not_sent(doc, template_name, _("no outgoing Email Account is set up"))
		return False
	except Exception:
		# a template staff broke must not undo the status change that sends the mail
		frappe.log_error(title=_("RMA {0}: e-mail {1} failed").format(doc.name, template_name))
		note_mail_not_sent(doc, template_name, _("see the Error Log"))
		return False
	return True


def queue_mail(recipients, subject: str, message: str, doctype: str, name: str, attachments=None) -> None:
	"""frappe.sendmail's queue, with a plain-text part written from the HTML (domain.mail_text):
	Frappe's own is html2text's Markdown, which mail programs showing the text part displayed."""
	from frappe.email.doctype.email_queue.email_queue import QueueBuilder

	QueueBuilder(
		recipients=recipients,
		subject=subject,
		message=message,
		text_content=html_to_text(message),
		reference_doctype=doctype,
		reference_name=name,
		attachments=attachments,
	).process(send_now=False)


def has_outgoing_account() -> bool:
	"""Is there an account to send from? Checked first: frappe.sendmail would otherwise put an
	error popup in front of the staff member whose action merely triggered the mail. An account
	without an address does not count: with e-mails muted Frappe offers a stand-in account that
	has none, and frappe.sendmail then fails on it (Frappe 15: 'NoneType' has no 'encode')."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	# Frappe's cache wrapper returns the one account found (or None), not the dict find_outgoing builds
	account = EmailAccount.find_outgoing()
	return bool(account and account.get("email_id"))


def note_mail_not_sent(doc, template_name: str, reason: str) -> bool:
	"""Log why a mail was not sent and note it on the document's timeline; always False."""
	message = _("E-mail {0} not sent: {1}").format(template_name, reason)
	frappe.logger("rma_portal").warning(f"{doc.doctype} {doc.name}: {message}")
	doc.add_comment("Info", message)
	return False


def send_mail(doc, recipients: list[str], subject: str, message: str) -> bool:
	"""Through Frappe's e-mail queue; without an outgoing account the decision still stands and the
	document's timeline says the mail was not sent."""
	note = _("E-mail not sent: no outgoing Email Account is set up")
	if not has_outgoing_account():
		doc.add_comment("Info", note)
		return False
	try:
		frappe.sendmail(
			recipients=recipients,
			subject=subject,
			message=message,
			reference_doctype=doc.doctype,
			reference_name=doc.name,
			now=False,
		)
	except frappe.OutgoingEmailError:
		doc.add_comment("Info", note)
		return False
	return True
