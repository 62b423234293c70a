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
	if doc.flag_br and doc.enabled:
		refresh_collectors(doc.customer, leaving=doc.name)


# -- writing ----------------------------------------------------------------------------------------


def link_user(customer: str, user: str):
	"""The user as one of the customer's Portal Users (ERPNext's own link), once, and their Contact
	among the customer's contacts."""
	from rma_portal.services.company.contacts import link_contact

	link_contact(customer, user)
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
	changed_by: str | None = None,
	**values,
) -> str:
	"""The user's member record of `customer` (made with `flags` when missing) and, with `link`, the
	Portal Users row; returns the record's name. `changed_by`: who gave the rights, for the audit
	trail (an accepted invitation's inviter), when not the session's user."""
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
		doc.flags.rma_changed_by = changed_by
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
	check_grant(
		customer,
		acting_user,
		doc,
		flags_of(doc) if flags is None else flags,
		doc.all_documents if all_documents is None else all_documents,
	)
	if flags is not None:
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


def check_grant(customer: str, acting_user: str, doc, flags, all_documents) -> None:
	"""Refuse a change of `doc`'s rights (to `flags`, and the document scope) that the acting member
	may not give: a user manager gives only rights they hold, never US, nothing to themselves; the
	administrator gives everything. Staff in the desk are not asked here."""
	from rma_portal import access

	if access.is_staff(acting_user):
		return
	actor = access.member(customer, acting_user)
	refused = rules.grant_refusal(
		actor.flags,
		actor.is_admin,
		actor.all_documents,
		doc.user == acting_user,
		bool(doc.get("is_admin")),
		flags_of(doc),
		flags,
		bool(doc.get("all_documents")),
		bool(all_documents),
	)
	if not refused:
		return
	reason, concerned = refused
	labels = ", ".join(flag_label(flag) for flag in concerned)
	messages = {
		rules.ADMIN_RECORD: _("Only the company administrator changes their own rights."),
		rules.OWN_RIGHTS: _("You cannot give yourself rights: ask your company administrator."),
		rules.US_ADMIN_ONLY: _("Only the company administrator gives or takes the right {0}.").format(labels),
		rules.NOT_HELD: _("You can only give rights you hold yourself; you do not hold {0}.").format(labels),
		rules.SCOPE_NOT_HELD: _(
			"You can only let others see all of the company's documents when you see them all yourself."
		),
	}
	frappe.throw(messages[reason], frappe.PermissionError)


# -- the audit trail: every change of rights, scope, supervisor, enabled state or administrator -------

AUDIT = "Company Member Change"
AUDIT_LABELS = {
	"administrator": "Administrator",
	"enabled": "Enabled",
	"rights": "Rights",
	"all_documents": "All Documents",
	"supervisor": "Supervisor",
}


def record_changes(doc) -> None:
	"""Company Member after_insert / on_update: one Company Member Change per audited value that
	changed, naming who changed it (the session's user: the member in the portal, staff in the desk)."""
	before = doc.get_doc_before_save()
	changes = rules.audit_changes(before.as_dict() if before else None, doc.as_dict())
	now = frappe.utils.now_datetime()
	for key, old, new in changes:
		if key == "supervisor":
			old, new = _member_label(old), _member_label(new)
		frappe.get_doc(
			{
				"doctype": AUDIT,
				"member": doc.name,
				"member_user": doc.user,
				"customer": doc.customer,
				"changed_by": doc.flags.rma_changed_by or frappe.session.user,
				"changed_on": now,
				"field": AUDIT_LABELS[key],
				"before_value": old,
				"after_value": new,
			}
		).insert(ignore_permissions=True)


def after_change(doc) -> None:
	"""Company Member on_update: the audit trail, the rights' effects outside the portal (a member given
	PRO follows the company's open projects; the Customer's persons authorised to collect are its
	enabled BR members)."""
	record_changes(doc)
	before = doc.get_doc_before_save()
	if doc.enabled and doc.flag_pro and not (before and before.enabled and before.flag_pro):
		follow_projects(doc.customer, doc.user)
	if not before or (before.enabled, before.flag_br) != (doc.enabled, doc.flag_br):
		refresh_collectors(doc.customer)


def follow_projects(customer: str, user: str) -> None:
	"""A member given PRO becomes a Project User of the company's open projects (ERPNext's project
	e-mails go to Project Users); new projects take the PRO members in services/portal/projects.py."""
	followed = set(
		frappe.get_all("Project User", filters={"parenttype": "Project", "user": user}, pluck="parent")
	)
	for name in frappe.get_all("Project", filters={"customer": customer, "status": "Open"}, pluck="name"):
		if name not in followed:
			project = frappe.get_doc("Project", name)
			project.append("users", {"user": user})
			project.flags.ignore_permissions = True
			project.save()


def collectors_of(customer: str, leaving: str | None = None) -> list[dict]:
	"""The persons authorised to collect the company's goods at our branches: its enabled BR members
	(without `leaving`, a member being deleted)."""
	return frappe.get_all(
		MEMBER,
		filters={"customer": customer, "enabled": 1, "flag_br": 1, "name": ["!=", leaving or ""]},
		fields=["user", "full_name"],
		order_by="full_name asc, user asc",
	)


def refresh_collectors(customer: str, leaving: str | None = None) -> None:
	"""Customer.rma_authorised_collectors: one line per person authorised to collect (staff read it
	on the Customer, the Delivery Note and the Pick List)."""
	lines = [
		f"{row.full_name} ({row.user})" if row.full_name else row.user
		for row in collectors_of(customer, leaving)
	]
	frappe.db.set_value(
		"Customer", customer, "rma_authorised_collectors", "\n".join(lines) or None, update_modified=False
	)


def _member_label(name: str) -> str:
	if not name:
		return ""
	row = frappe.db.get_value(MEMBER, name, ["full_name", "user"], as_dict=True)
	return (row.full_name or row.user) if row else name


def changes_of(customer: str, limit: int = 100) -> list[dict]:
	"""The company's latest member changes, newest first (for its administrator on /company/users)."""
	return frappe.get_all(
		AUDIT,
		filters={"customer": customer},
		fields=["member_user", "changed_by", "changed_on", "field", "before_value", "after_value"],
		order_by="changed_on desc, creation desc",
		limit=limit,
	)
