"""Company members (SPEC §4): who belongs to a customer company, with which rights, under whom.

A member is one user of one customer (Company Member, unique per pair through `member_key`). At most
one member per customer is its administrator: `admin_key` holds the customer for the administrator
and nothing for the others, and the database keeps it unique, so two administrators cannot be
written even by two requests at the same moment (accepting also locks the Customer row first).

The portal's user management (/company/users) and the desk go through here; rma_portal.access reads
members through `load`.
"""

import frappe
from frappe import _

from rma_portal.domain import members as rules

# Reading members is the access point's (rma_portal.membership); these names stay importable here.
from rma_portal.membership import (
	MEMBER,
	MEMBER_FIELDS,
	administrator,
	disabled_customers,
	flag_description,
	flag_label,
	flags_of,
	load,
	member_key,
	report_users,
	supervisors_of,
)
from rma_portal.services.notify import has_outgoing_account, send_mail


def list_members(customer: str) -> list[dict]:
	"""The company's members (and users linked to it by staff without a record yet), for /company/users."""
	from rma_portal import access

	rows = frappe.get_all(
		MEMBER, filters={"customer": customer}, fields=[*MEMBER_FIELDS, "full_name"], order_by="full_name asc"
	)
	known = {row.user for row in rows}
	for user in access.linked_users(customer):
		if user not in known:
			rows.append(
				frappe._dict(
					name=None,
					user=user,
					customer=customer,
					enabled=1,
					is_admin=0,
					supervisor=None,
					all_documents=0,
					full_name=frappe.db.get_value("User", user, "full_name"),
					**{rules.FIELDS[flag]: int(flag in rules.DEFAULT_FLAGS) for flag in rules.FLAGS},
				)
			)
	for row in rows:
		row["flags"] = list(flags_of(row))
	return rows


# -- validation (Company Member.validate) -----------------------------------------------------------


def validate_member(doc):
	doc.member_key = member_key(doc.customer, doc.user)
	other = frappe.db.get_value(MEMBER, {"member_key": doc.member_key, "name": ["!=", doc.name]})
	if other:
		frappe.throw(
			_("{0} is already a member of {1}.").format(doc.user, doc.customer), frappe.DuplicateEntryError
		)
	before = doc.get_doc_before_save()
	admin_changed = bool(doc.is_admin) != bool(before and before.is_admin)
	if admin_changed and not doc.flags.rma_admin_change:
		frappe.throw(
			_("The company administrator is set by accepting a Company Authorisation."),
			frappe.PermissionError,
		)
	if before and before.customer != doc.customer:
		frappe.throw(_("A member cannot move to another company; add a new member instead."))
	if doc.is_admin and not doc.enabled:
		frappe.throw(
			_(
				"The company administrator cannot be disabled: accept another person's Company Authorisation "
				"for this company first."
			)
		)
	doc.admin_key = doc.customer if doc.is_admin else None
	validate_supervisor(doc)


def validate_supervisor(doc):
	if not doc.supervisor:
		return
	if doc.supervisor == doc.name:
		frappe.throw(_("A member cannot be their own supervisor."))
	if frappe.db.get_value(MEMBER, doc.supervisor, "customer") != doc.customer:
		frappe.throw(_("The supervisor must be a member of the same company."), frappe.ValidationError)
	supervisors = supervisors_of(doc.customer)
	supervisors[doc.name] = doc.supervisor
	if rules.creates_cycle(doc.name, doc.supervisor, supervisors):
		frappe.throw(
			_("{0} already reports to {1}, directly or through others: that would make a circle.").format(
				frappe.db.get_value(MEMBER, doc.supervisor, "full_name") or doc.supervisor,
				doc.full_name or doc.user,
			)
		)


def before_delete(doc):
	if doc.is_admin:
		frappe.throw(_("The company administrator cannot be removed; accept another administrator first."))


# -- writing ----------------------------------------------------------------------------------------


def link_user(customer: str, user: str):
	"""The user as one of the customer's Portal Users (ERPNext's own link), once."""
	if frappe.db.exists("Portal User", {"parenttype": "Customer", "parent": customer, "user": user}):
		return
	record = frappe.get_doc("Customer", customer)
	record.append("portal_users", {"user": user})
	record.flags.ignore_permissions = True
	record.save()


def ensure_member(
	customer: str,
	user: str,
	flags=rules.DEFAULT_FLAGS,
	all_documents: bool = False,
	link: bool = True,
	**values,
) -> str:
	"""The user's member record of `customer` (made with `flags` when missing) and, with `link`, the
	Portal Users row; returns the record's name."""
	name = frappe.db.get_value(MEMBER, {"member_key": member_key(customer, user)})
	if not name:
		doc = frappe.get_doc(
			{
				"doctype": MEMBER,
				"user": user,
				"customer": customer,
				"enabled": 1,
				"all_documents": int(bool(all_documents)),
				**{rules.FIELDS[flag]: int(flag in flags) for flag in rules.FLAGS},
				**values,
			}
		)
		doc.flags.rma_admin_change = bool(values.get("is_admin"))
		doc.insert(ignore_permissions=True)
		name = doc.name
	if link:
		link_user(customer, user)
	from rma_portal import access

	access.clear_cache()
	return name


def authorise_customer(customer: str):
	"""Open the company's portal pages to its members (acceptance, upgrade, demo)."""
	frappe.db.set_value(
		"Customer",
		customer,
		{"rma_portal_authorised": 1, "rma_authorised_on": frappe.utils.today()},
		update_modified=False,
	)
	from rma_portal import access

	access.clear_cache()


def member_of(customer: str, name: str, for_update: bool = False):
	"""A member record of `customer` by name; another company's (or none) is 'not found'."""
	if not name or frappe.db.get_value(MEMBER, name, "customer", for_update=for_update) != customer:
		raise frappe.DoesNotExistError(_("This user is not a member of your company."))
	return frappe.get_doc(MEMBER, name)


def update_member(
	customer: str,
	name: str,
	acting_user: str,
	flags: list[str] | None = None,
	supervisor: str | None = None,
	enabled: bool | None = None,
	all_documents: bool | None = None,
) -> str:
	"""Set a member's flags, supervisor, scope and enabled state, as the company's user manager."""
	doc = member_of(customer, name, for_update=True)
	if flags is not None:
		unknown = [flag for flag in flags if flag not in rules.FLAGS]
		if unknown:
			frappe.throw(_("Rights: {0} is not a right.").format(", ".join(unknown)))
		if doc.user == acting_user and "US" in flags_of(doc) and "US" not in flags and not doc.is_admin:
			frappe.throw(_("You cannot take away your own right to manage the company's users."))
		for flag, field in rules.FIELDS.items():
			doc.set(field, int(flag in flags))
	if supervisor is not None:
		if supervisor:
			member_of(customer, supervisor)
		doc.supervisor = supervisor or None
	if all_documents is not None:
		doc.all_documents = int(bool(all_documents))
	if enabled is not None:
		if not enabled and doc.user == acting_user:
			frappe.throw(_("You cannot disable yourself."))
		doc.enabled = int(bool(enabled))
	doc.save(ignore_permissions=True)
	return doc.name


def invite(
	customer: str,
	email: str,
	first_name: str,
	last_name: str | None,
	flags: list[str],
	supervisor: str | None,
	invited_by: str,
) -> dict:
	"""Add a person to the company by e-mail. A new address gets a Website User and Frappe's welcome
	e-mail, whose link lets them set their own password (their registration); a portal user who
	exists already is added and told so by e-mail."""
	from frappe.utils import validate_email_address

	email = (email or "").strip().lower()
	if not validate_email_address(email):
		frappe.throw(_("E-mail: {0} is not a valid e-mail address.").format(email or "—"))
	if not (first_name or "").strip():
		frappe.throw(_("First name is required."))
	unknown = [flag for flag in flags if flag not in rules.FLAGS]
	if unknown:
		frappe.throw(_("Rights: {0} is not a right.").format(", ".join(unknown)))
	if supervisor:
		member_of(customer, supervisor)
	existing = frappe.db.get_value("User", email, ["name", "user_type"], as_dict=True)
	if existing and existing.user_type != "Website User":
		frappe.throw(_("E-mail: {0} belongs to a staff account and cannot be a company user.").format(email))
	if existing and frappe.db.exists(MEMBER, {"member_key": member_key(customer, email)}):
		frappe.throw(_("{0} is already a member of {1}.").format(email, customer), frappe.DuplicateEntryError)
	new_user = not existing
	if new_user:
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name.strip(),
				"last_name": (last_name or "").strip() or None,
				"user_type": "Website User",
				# Frappe's welcome e-mail fails without a real outgoing account
				"send_welcome_email": 1 if has_outgoing_account() else 0,
			}
		)
		user.append("roles", {"role": "Customer"})
		user.flags.delay_emails = True  # the welcome e-mail through the queue, not SMTP in this request
		user.insert(ignore_permissions=True)
	name = ensure_member(customer, email, flags=tuple(flags), supervisor=supervisor or None)
	if not new_user:
		send_mail(
			frappe.get_doc(MEMBER, name),
			[email],
			_("You were added to {0} in the portal").format(customer),
			_("{0} added you to the company {1}. Log in to the portal to act for it.").format(
				frappe.utils.get_fullname(invited_by), customer
			),
		)
	return {"name": name, "user": email, "new_user": new_user}
