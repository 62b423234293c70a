"""Dealer account requests (SPEC §3): filing, the service level, and the staff's decision.

Approval does in one transaction exactly what the request asks (ERPNext's Customer, Address, Contact,
the portal User and the Customer's Portal Users row): every check runs first, then everything is written
after a savepoint, and any failure rolls back to it, so nothing is left half-made. Nothing here commits.
"""

import functools
from zoneinfo import available_timezones

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime, today, validate_email_address

from rma_portal.domain import account_requests as rules
from rma_portal.domain import business_days
from rma_portal.domain.tax_ids import TaxIdError, check_tax_id
from rma_portal.services.company.authorisations import tax_id_message
from rma_portal.services.shared import new_users
from rma_portal.services.shared.notify import has_outgoing_account
from rma_portal.services.shared.plain_text import keep_plain_text

DOCTYPE = "Dealer Account Request"
SETTINGS = "Dealer Registration Settings"
SAVEPOINT = "dealer_account_request"


@functools.cache
def time_zones() -> tuple[str, ...]:
	"""The time zones this host knows, sorted; read once per process: zoneinfo.available_timezones()
	opens every one of its ~600 zone files on each call (8-25 ms, most of what /account-requests
	took beyond /me)."""
	return tuple(sorted(available_timezones()))


def settings() -> frappe._dict:
	doc = frappe.get_cached_doc(SETTINGS)
	return frappe._dict(
		customer_group=doc.customer_group
		or frappe.db.get_single_value("Selling Settings", "customer_group")
		or frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
		territory=doc.territory
		or frappe.db.get_single_value("Selling Settings", "territory")
		or frappe.db.get_value("Territory", {"is_group": 0}, "name"),
		company=doc.company or frappe.defaults.get_global_default("company"),
		service_days=2 if doc.service_days is None else doc.service_days,
		activation_hours=doc.activation_hours or 48,
		terms_page=doc.terms_page or "/terms",
		privacy_page=doc.privacy_page or "/privacy",
		job_roles=rules.job_roles(doc.job_roles),
		marketing_text=doc.marketing_text or "",
		marketing_text_version=doc.marketing_text_version or "1",
	)


def job_roles() -> list[str]:
	"""The job roles a request may name (settings().job_roles without its other lookups)."""
	return rules.job_roles(frappe.get_cached_doc(SETTINGS).job_roles)


def label(fieldname: str) -> str:
	return _(frappe.get_meta(DOCTYPE).get_label(fieldname))


# Service level
# -------------


def due_date(submitted_on, days: int | None = None, company: str | None = None):
	"""`days` business days after `submitted_on` on the company's default Holiday List (its dates
	include the weekly days off); without a list that covers the period, Saturday and Sunday are off."""
	conf = settings()
	days = conf.service_days if days is None else days
	start = getdate(submitted_on)
	holiday_list = frappe.get_cached_value("Company", company or conf.company, "default_holiday_list")
	holidays, weekend = set(), business_days.WEEKEND
	if holiday_list:
		span = frappe.db.get_value("Holiday List", holiday_list, ["from_date", "to_date"], as_dict=True)
		holidays = set(
			frappe.get_all(
				"Holiday",
				filters={"parent": holiday_list, "holiday_date": [">=", start]},
				pluck="holiday_date",
			)
		)
		if span and span.from_date <= start and getdate(add_days(start, days + 30)) <= span.to_date:
			weekend = ()  # the list covers the period: its weekly offs are among its holidays
	return business_days.add_business_days(start, days, holidays, weekend)


def is_overdue(doc) -> bool:
	return doc.status == rules.OPEN and business_days.is_overdue(
		getdate(doc.due_date) if doc.due_date else None, getdate(today())
	)


# Validation (the DocType's validate, portal and desk alike)
# ----------------------------------------------------------


def validate(doc):
	"""Every problem of the request at once, each naming its field; unused fields are cleared."""
	keep_plain_text(doc)
	for field in rules.unused_fields(doc.request_type, doc.as_dict()):
		doc.set(field, 0 if field == "existing_account" else None)
	for field in ("user_email", "new_user_email"):
		if doc.get(field):
			doc.set(field, doc.get(field).strip().lower())
	problems = [
		_("{0} is required.").format(label(f))
		for f in rules.missing_fields(doc.request_type, doc.as_dict(), has_account=bool(doc.customer))
	]
	if rules.changes_nothing(doc.request_type, doc.as_dict()):
		problems.append(_("Say what should change: the request changes nothing."))
	problems += field_problems(doc)
	if problems:
		frappe.throw("<br>".join(problems), frappe.ValidationError, title=_("Please check the request"))


def field_problems(doc) -> list[str]:
	problems = []
	for field in ("user_email", "new_user_email"):
		if doc.get(field) and not validate_email_address(doc.get(field)):
			problems.append(_("{0}: {1} is not a valid e-mail address.").format(label(field), doc.get(field)))
	if doc.tax_id or doc.vat_prefix:
		try:
			check_tax_id(doc.vat_prefix, doc.tax_id)
		except TaxIdError as e:
			problems.append(f"{label('tax_id')}: {tax_id_message(e)}")
	roles = settings().job_roles
	if doc.job_role and roles and doc.job_role not in roles:
		problems.append(
			_("{0}: choose one of {1}.").format(label("job_role"), ", ".join(_(r) for r in roles))
		)
	if doc.time_zone and doc.time_zone not in time_zones():
		problems.append(_("{0}: {1} is not a time zone.").format(label("time_zone"), doc.time_zone))
	for field in ("account_language", "user_language"):
		if doc.get(field) and not frappe.db.exists("Language", doc.get(field)):
			problems.append(_("{0}: {1} is not a language.").format(label(field), doc.get(field)))
	if doc.country and not frappe.db.exists("Country", doc.country):
		problems.append(_("{0}: {1} is not a country.").format(label("country"), doc.country))
	return problems


# Filing
# ------


def file_request(values: dict, requester: str, customer: str | None = None) -> str:
	"""Insert an Open request from `requester` (for their `customer` when they have one), due after the
	service level; the requester gets a confirmation. Returns the request's name."""
	doc = frappe.get_doc({"doctype": DOCTYPE, **values})
	doc.update(
		{
			"status": rules.OPEN,
			"requested_by": requester,
			"customer": customer,
			"existing_account": 1 if doc.request_type != rules.CREATE else doc.existing_account,
			"submitted_on": now_datetime(),
		}
	)
	doc.due_date = due_date(doc.submitted_on)
	doc.insert(ignore_permissions=True)
	send_mail(doc, "submitted")
	return doc.name


# Duplicates: caught before anything is written
# ---------------------------------------------


def customer_of_request(doc) -> str | None:
	"""The existing account: set on the request, or the one customer whose name is the account name."""
	if doc.customer or doc.request_type == rules.CREATE:
		return doc.customer
	names = frappe.get_all("Customer", filters={"customer_name": doc.account_name}, pluck="name", limit=2)
	return names[0] if len(names) == 1 else None


def portal_customers_of(email: str) -> list[str]:
	from rma_portal import access

	access.clear_cache()
	return access.customers_of(email)


def duplicates(doc, customer: str | None) -> list[str]:
	"""What stops the approval, each naming the existing record."""
	problems = []
	if doc.request_type != rules.CREATE and not customer:
		problems.append(
			_("Choose the existing customer the request is about in the field {0}.").format(label("customer"))
		)
	tax_id = full_tax_id(doc)
	if tax_id:
		other = frappe.db.get_value("Customer", {"tax_id": tax_id, "name": ["!=", customer or ""]}, "name")
		if other:
			problems.append(_("Tax id {0} is already used by customer {1}.").format(tax_id, other))
	new_name = doc.new_account_name and doc.new_account_name.strip()
	if new_name:
		other = frappe.db.get_value(
			"Customer", {"customer_name": new_name, "name": ["!=", customer or ""]}, "name"
		) or (frappe.db.exists("Customer", new_name) and new_name != customer and new_name)
		if other:
			problems.append(_("A customer named {0} already exists: {1}.").format(new_name, other))
	email = doc.user_email
	linked = portal_customers_of(email) if email and frappe.db.exists("User", email) else []
	if doc.request_type in (rules.CREATE, rules.ADD_USER) and linked:
		problems.append(_("{0} is already a portal user of customer {1}.").format(email, linked[0]))
	if doc.request_type == rules.REMOVE and customer and customer not in linked:
		problems.append(_("{0} is not a portal user of customer {1}.").format(email, customer))
	if doc.request_type == rules.EDIT and email and customer and customer not in linked:
		problems.append(_("{0} is not a portal user of customer {1}.").format(email, customer))
	if doc.request_type == rules.EDIT and doc.new_user_email and not email:
		problems.append(_("{0} is required.").format(label("user_email")))
	if doc.new_user_email and frappe.db.exists("User", doc.new_user_email):
		problems.append(_("A user with the e-mail {0} already exists.").format(doc.new_user_email))
	return problems


# The requester and the account
# -----------------------------


def requester_relation(requester: str | None, customer: str | None) -> str:
	"""The requester's relation to `customer` now: staff (or a request staff made), its administrator,
	a user manager (US), a user, or none (another company's user, a private person, a disabled user)."""
	from rma_portal import access

	if not requester or access.is_staff(requester):
		return rules.STAFF
	access.clear_cache()
	if not customer or customer not in access.customers_of(requester):
		return rules.NO_RELATION
	member = access.member(customer, requester)
	if member.is_admin:
		return rules.ADMINISTRATOR
	if "US" in member.flags:
		return rules.USER_MANAGER
	return rules.MEMBER


def relation_problems(doc, customer: str | None) -> list[str]:
	"""Checked again at approval: the requester must still be the account's administrator or user
	manager (a user of it for their own details), whatever account staff chose."""
	if doc.request_type == rules.CREATE or not customer:
		return []
	relation = requester_relation(doc.requested_by, customer)
	if rules.requester_may(doc.request_type, doc.as_dict(), doc.requested_by, relation):
		return []
	return [relation_text(doc.requested_by, customer, relation)]


def relation_text(requester: str, customer: str, relation: str) -> str:
	"""The requester's relation to the account, in words (the desk form shows it)."""
	who = frappe.utils.get_fullname(requester) or requester
	texts = {
		rules.STAFF: _("Made by our staff."),
		rules.ADMINISTRATOR: _("{0} is the company administrator of {1}."),
		rules.USER_MANAGER: _("{0} manages the users of {1} (US)."),
		rules.MEMBER: _("{0} is a user of {1}, without the right to manage its users (US)."),
		rules.NO_RELATION: _(
			"{0} is not a user of {1}: only its administrator or a user manager may ask this."
		),
	}
	return texts[relation].format(who, customer)


def relation_note(doc) -> dict | None:
	"""For the desk form: the requester's relation to the account the request names, and whether the
	request may be approved for it."""
	customer = customer_of_request(doc)
	if doc.request_type == rules.CREATE:
		return None
	if not customer:
		return {
			"text": _("No existing customer is chosen: the requester's relation cannot be checked."),
			"ok": 0,
		}
	relation = requester_relation(doc.requested_by, customer)
	ok = rules.requester_may(doc.request_type, doc.as_dict(), doc.requested_by, relation)
	return {"text": relation_text(doc.requested_by, customer, relation), "ok": int(ok)}


def full_tax_id(doc) -> str:
	try:
		return check_tax_id(doc.vat_prefix, doc.tax_id)
	except TaxIdError:
		return ""


# Decision
# --------


def locked(name: str):
	"""The request under its row lock, still Open: two staff clicking at once decide it once."""
	if not frappe.db.exists(DOCTYPE, name):
		frappe.throw(_("Account request {0} does not exist.").format(name), frappe.DoesNotExistError)
	frappe.db.sql(f"select name from `tab{DOCTYPE}` where name = %s for update", name)  # nosec B608
	doc = frappe.get_doc(DOCTYPE, name)
	if doc.status != rules.OPEN:
		frappe.throw(_("Account request {0} is already {1}.").format(name, _(doc.status)))
	return doc


def approve(name: str) -> dict:
	"""Do what the request asks, all or nothing; the requester is told. Returns the records touched."""
	doc = locked(name)
	customer = customer_of_request(doc)
	refused = relation_problems(doc, customer)
	if refused:
		frappe.throw("<br>".join(refused), frappe.PermissionError, title=_("Cannot approve"))
	problems = duplicates(doc, customer)
	if problems:
		frappe.throw("<br>".join(problems), frappe.DuplicateEntryError, title=_("Cannot approve"))
	frappe.db.savepoint(SAVEPOINT)
	try:
		result = APPROVALS[doc.request_type](doc, customer)
		doc.update(
			{
				"status": rules.APPROVED,
				"decided_by": frappe.session.user,
				"decided_on": now_datetime(),
				"result_customer": result.get("customer"),
				"result_user": result.get("user"),
			}
		)
		doc.save(ignore_permissions=True)
		send_mail(doc, "approved")
	except Exception:
		frappe.db.rollback(save_point=SAVEPOINT)
		from rma_portal import access

		access.clear_cache()
		raise
	return result


def reject(name: str, reason: str | None) -> None:
	reason = (reason or "").strip()
	if not reason:
		frappe.throw(_("{0} is required.").format(label("rejection_reason")), frappe.ValidationError)
	doc = locked(name)
	doc.update(
		{
			"status": rules.REJECTED,
			"rejection_reason": reason,
			"decided_by": frappe.session.user,
			"decided_on": now_datetime(),
		}
	)
	doc.save(ignore_permissions=True)
	send_mail(doc, "rejected")


def create_account(doc, _customer) -> dict:
	conf = settings()
	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": doc.new_account_name.strip(),
			"customer_type": "Company",
			"customer_group": conf.customer_group,
			"territory": conf.territory,
			"tax_id": full_tax_id(doc) or None,
			"language": doc.account_language or doc.user_language or None,
		}
	).insert(ignore_permissions=True)
	save_address(doc, customer.name)
	user = ensure_user(doc, doc.user_email)
	link_user(customer.name, user, doc)
	return {"customer": customer.name, "user": user}


def add_user(doc, customer: str) -> dict:
	user = ensure_user(doc, doc.user_email)
	link_user(customer, user, doc)
	return {"customer": customer, "user": user}


def edit_account(doc, customer: str) -> dict:
	record = frappe.get_doc("Customer", customer)
	if doc.new_account_name:
		record.customer_name = doc.new_account_name.strip()
	if full_tax_id(doc):
		record.tax_id = full_tax_id(doc)
	if doc.account_language:
		record.language = doc.account_language
	record.save(ignore_permissions=True)
	save_address(doc, customer)
	user = None
	if doc.user_email:
		user = update_user(doc, doc.user_email)
	return {"customer": customer, "user": user}


def remove_access(doc, customer: str) -> dict:
	"""The user no longer acts for the customer: the Portal Users row and the Contact's link to the
	customer go; the user, contact and every document they made stay."""
	record = frappe.get_doc("Customer", customer)
	record.portal_users = [row for row in record.portal_users if row.user != doc.user_email]
	record.save(ignore_permissions=True)
	for name in frappe.get_all("Contact", filters={"user": doc.user_email}, pluck="name"):
		contact = frappe.get_doc("Contact", name)
		links = [
			row for row in contact.links if not (row.link_doctype == "Customer" and row.link_name == customer)
		]
		if len(links) != len(contact.links):
			contact.links = links
			contact.save(ignore_permissions=True)
	return {"customer": customer, "user": doc.user_email}


APPROVALS = {
	rules.CREATE: create_account,
	rules.ADD_USER: add_user,
	rules.EDIT: edit_account,
	rules.REMOVE: remove_access,
}


def save_address(doc, customer: str):
	"""The customer's address from the request, when it gives one: its primary address is changed, or
	a new one made and linked."""
	if not all(doc.get(f) for f in rules.ADDRESS_NEEDS):
		return None
	name = frappe.db.get_value("Customer", customer, "customer_primary_address") or frappe.db.get_value(
		"Dynamic Link",
		{"parenttype": "Address", "link_doctype": "Customer", "link_name": customer},
		"parent",
	)
	if name:
		address = frappe.get_doc("Address", name)
	else:
		address = frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": doc.new_account_name or customer,
				"address_type": "Billing",
				"is_primary_address": 1,
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		)
	address.update({f: doc.get(f) for f in rules.ADDRESS_FIELDS if doc.get(f)})
	address.save(ignore_permissions=True)
	return address.name


def ensure_user(doc, email: str) -> str:
	"""The portal user `email`: made as a Website User (Frappe's welcome e-mail lets them set a
	password) or, when it exists (a registered dealer), given the request's details."""
	if frappe.db.exists("User", email):
		return update_user(doc, email)
	new_users.require_room_for_new_user()  # Frappe's hourly limit, said plainly
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": doc.first_name or doc.last_name,
			"last_name": doc.last_name if doc.first_name else None,
			"user_type": "Website User",
			"language": doc.user_language or doc.account_language or None,
			"time_zone": doc.time_zone or None,
			# Frappe's welcome e-mail fails without a real outgoing account (notify.has_outgoing_account)
			"send_welcome_email": 1 if has_outgoing_account() else 0,
		}
	)
	user.append("roles", {"role": "Customer"})
	user.flags.delay_emails = True  # queued: sending now would commit in the middle of the approval
	user.insert(ignore_permissions=True)
	return user.name


def update_user(doc, email: str) -> str:
	user = frappe.get_doc("User", email)
	for field, value in (
		("first_name", doc.first_name),
		("last_name", doc.last_name),
		("language", doc.user_language),
		("time_zone", doc.time_zone),
	):
		if value:
			user.set(field, value)
	if user.user_type != "Website User" and not frappe.get_roles(email):
		user.user_type = "Website User"
	if "Customer" not in [row.role for row in user.roles] and user.user_type == "Website User":
		user.append("roles", {"role": "Customer"})
	user.save(ignore_permissions=True)
	for contact in frappe.get_all("Contact", filters={"user": email}, pluck="name"):
		record = frappe.get_doc("Contact", contact)
		record.update({k: v for k, v in (("first_name", doc.first_name), ("last_name", doc.last_name)) if v})
		if doc.job_role:
			record.designation = doc.job_role
		record.save(ignore_permissions=True)
	if doc.request_type == rules.EDIT and doc.new_user_email:
		return rename_user(email, doc.new_user_email)
	return email


def rename_user(old: str, new: str) -> str:
	"""Frappe renames the User and every link to it (Contact.user, Portal User rows); the contact's
	e-mail rows follow."""
	frappe.rename_doc("User", old, new, force=True, show_alert=False)
	frappe.db.set_value("User", new, "email", new)
	for row in frappe.get_all("Contact Email", filters={"email_id": old}, fields=["name"]):
		frappe.db.set_value("Contact Email", row.name, "email_id", new)
	for contact in frappe.get_all("Contact", filters={"email_id": old}, pluck="name"):
		frappe.db.set_value("Contact", contact, "email_id", new)
	return new


def link_user(customer: str, user: str, doc):
	"""The user acts for the customer: a Contact with this user linked to the customer, and a row in
	the customer's Portal Users (ERPNext's own links, read by access.customers_of)."""
	contact_name = frappe.db.get_value("Contact", {"user": user}, "name")
	if contact_name:
		contact = frappe.get_doc("Contact", contact_name)
	else:
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": doc.first_name or doc.last_name,
				"last_name": doc.last_name if doc.first_name else None,
				"user": user,
				"email_ids": [{"email_id": user, "is_primary": 1}],
			}
		)
	if doc.job_role:
		contact.designation = doc.job_role
	if not any(r.link_doctype == "Customer" and r.link_name == customer for r in contact.links):
		contact.append("links", {"link_doctype": "Customer", "link_name": customer})
	contact.save(ignore_permissions=True)
	record = frappe.get_doc("Customer", customer)
	if not any(row.user == user for row in record.portal_users):
		record.append("portal_users", {"user": user})
		record.save(ignore_permissions=True)
	from rma_portal import access

	access.clear_cache()


# E-mails, in the requester's language
# ------------------------------------


def requester_language(doc) -> str:
	return (
		(doc.requested_by and frappe.db.get_value("User", doc.requested_by, "language"))
		or doc.user_language
		or frappe.db.get_default("lang")
		or "en"
	)


def send_mail(doc, event: str):
	"""Queue the requester's e-mail about `event` (submitted, approved, rejected)."""
	recipient = doc.requested_by and frappe.db.get_value("User", doc.requested_by, "email")
	if not recipient:
		return
	lang = requester_language(doc)
	kind = _(doc.request_type, lang=lang)
	if event == "submitted":
		subject = _("Account request {0} received", lang=lang).format(doc.name)
		body = _(
			"We received your request ({0}). We process it within two business days, by {1}.", lang=lang
		).format(kind, frappe.utils.formatdate(doc.due_date))
	elif event == "approved":
		subject = _("Account request {0} approved", lang=lang).format(doc.name)
		body = _("Your request ({0}) was approved.", lang=lang).format(kind)
	else:
		subject = _("Account request {0} rejected", lang=lang).format(doc.name)
		body = _("Your request ({0}) was rejected. Reason: {1}", lang=lang).format(
			kind, frappe.utils.escape_html(doc.rejection_reason or "")
		)
	link = frappe.utils.get_url("/account-requests")
	queue_mail(doc, recipient, subject, f'<p>{body}</p><p><a href="{link}">{link}</a></p>')


def queue_mail(doc, recipient: str, subject: str, message: str) -> bool:
	"""Through Frappe's e-mail queue; without an outgoing account the mail is skipped and noted on the
	document, never undoing the action that sends it."""
	if not has_outgoing_account():
		doc.add_comment(
			"Info", _("E-mail {0} not sent: {1}").format(subject, _("no outgoing Email Account is set up"))
		)
		return False
	frappe.sendmail(
		recipients=[recipient],
		subject=subject,
		message=message,
		reference_doctype=doc.doctype,
		reference_name=doc.name,
		now=False,
	)
	return True
