"""Invitations to a company (SPEC §4): a person is added to a company only by accepting.

The administrator or a user manager invites an e-mail address with rights and a supervisor. Whether
the address has a portal account already or not, the inviter gets the same answer and sees the same
pending invitation: a new address gets its Website User and Frappe's welcome e-mail (to set a
password) as before, and every invited person gets the invitation e-mail. The person accepts or
declines on /company; only then do they become a member. A pending invitation expires after
VALID_DAYS days and can be sent again (which renews it).
"""

import frappe
from frappe import _
from frappe.utils import add_days, get_url, getdate, now_datetime, today, validate_email_address

from rma_portal.domain import members as rules
from rma_portal.membership import MEMBER, member_key
from rma_portal.services.company import members
from rma_portal.services.shared.new_users import require_room_for_new_user
from rma_portal.services.shared.notify import has_outgoing_account, send_mail

INVITATION = "Company Invitation"
VALID_DAYS = 14
PENDING, ACCEPTED, DECLINED, EXPIRED = "Pending", "Accepted", "Declined", "Expired"
LIST_FIELDS = ("name", "customer", "email", "first_name", "last_name", "rights", "status", "expires_on")


def invite(
	customer: str,
	email: str,
	first_name: str,
	last_name: str | None,
	flags: list[str],
	supervisor: str | None,
	invited_by: str,
) -> dict:
	"""Invite a person to the company by e-mail with rights the inviter may give; they become a member
	when they accept. The answer is the same whether or not the address has a portal account."""
	unknown = [flag for flag in flags if flag not in rules.FLAGS]
	if unknown:
		frappe.throw(_("Rights: {0} is not a right.").format(", ".join(unknown)))
	if supervisor:
		members.member_of(customer, supervisor)
	members.check_grant(customer, invited_by, frappe._dict(user=None), flags, False)
	name = send_invitation(customer, email, first_name, last_name, flags, supervisor, invited_by)
	return {"invitation": name, "user": (email or "").strip().lower()}


def send_invitation(
	customer: str, email: str, first_name: str, last_name: str | None, flags, supervisor, invited_by
):
	"""Invite `email` to `customer` (rights already checked by the caller); returns the invitation's
	name. The same for an address with or without a portal account."""
	email = (email or "").strip().lower()
	if not validate_email_address(email):
		frappe.throw(_("E-mail: {0} is not a valid e-mail address.").format(email or "—"))
	if not (first_name or "").strip():
		frappe.throw(_("First name is required."))
	# by e-mail, not by name: a staff user's name need not be its address (Administrator)
	existing = frappe.db.get_value("User", {"email": email}, ["name", "user_type"], as_dict=True)
	if existing and existing.user_type != "Website User":
		frappe.throw(_("E-mail: {0} belongs to a staff account and cannot be a company user.").format(email))
	if existing and frappe.db.exists(MEMBER, {"member_key": member_key(customer, email)}):
		frappe.throw(_("{0} is already a member of {1}.").format(email, customer), frappe.DuplicateEntryError)
	if not existing:
		make_user(email, first_name, last_name)
	name = frappe.db.get_value(INVITATION, {"customer": customer, "email": email, "status": PENDING})
	doc = frappe.get_doc(INVITATION, name) if name else frappe.new_doc(INVITATION)
	doc.update(
		{
			"customer": customer,
			"email": email,
			"first_name": first_name.strip(),
			"last_name": (last_name or "").strip() or None,
			"rights": ", ".join(flag for flag in rules.FLAGS if flag in flags),
			"supervisor": supervisor or None,
			"invited_by": invited_by,
			"status": PENDING,
		}
	)
	send(doc)
	return doc.name


def make_user(email: str, first_name: str, last_name: str | None):
	"""A new address: its Website User, with Frappe's welcome e-mail to set a password."""
	require_room_for_new_user()  # Frappe's hourly limit, said plainly next to the Invite form
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


def send(doc):
	"""Save the invitation valid for VALID_DAYS more days and e-mail it."""
	doc.expires_on = add_days(today(), VALID_DAYS)
	doc.last_sent_on = now_datetime()
	doc.times_sent = (doc.times_sent or 0) + 1
	doc.save(ignore_permissions=True)
	company = frappe.db.get_value("Customer", doc.customer, "customer_name") or doc.customer
	link = get_url("/company")
	body = _(
		"{0} invites you to act for the company {1} in our portal. Log in and accept or decline the "
		"invitation on the Company page; it is valid until {2}."
	).format(frappe.utils.get_fullname(doc.invited_by), company, frappe.utils.formatdate(doc.expires_on))
	send_mail(
		doc,
		[doc.email],
		_("Invitation to act for {0}").format(company),
		f'<p>{frappe.utils.escape_html(body)}</p><p><a href="{link}">{link}</a></p>',
	)


def is_expired(row) -> bool:
	return row.status == EXPIRED or (row.status == PENDING and getdate(row.expires_on) < getdate(today()))


def invitation_of(customer: str, name: str):
	"""One of `customer`'s invitations; another company's (or none) is 'not found'."""
	if not name or frappe.db.get_value(INVITATION, name, "customer") != customer:
		raise frappe.DoesNotExistError(_("This invitation does not exist."))
	return frappe.get_doc(INVITATION, name)


def resend(customer: str, name: str) -> str:
	"""Send a pending or expired invitation again, valid for VALID_DAYS days from today."""
	doc = invitation_of(customer, name)
	if doc.status not in (PENDING, EXPIRED):
		frappe.throw(_("This invitation was already answered: {0}.").format(_(doc.status)))
	doc.status = PENDING
	send(doc)
	return doc.name


def open_invitations(customer: str) -> list[dict]:
	"""The company's invitations not yet answered (pending or expired), for /company/users."""
	rows = frappe.get_all(
		INVITATION,
		filters={"customer": customer, "status": ["in", [PENDING, EXPIRED]]},
		fields=[*LIST_FIELDS, "invited_by", "last_sent_on"],
		order_by="creation desc",
	)
	for row in rows:
		row["expired"] = is_expired(row)
	return rows


def invitations_for(user: str) -> list[dict]:
	"""The invitations waiting for `user`'s answer (not expired), for /company."""
	rows = frappe.get_all(
		INVITATION,
		filters={"email": user, "status": PENDING, "expires_on": [">=", today()]},
		fields=[*LIST_FIELDS, "invited_by"],
		order_by="creation asc",
	)
	for row in rows:
		row["company"] = frappe.get_cached_value("Customer", row.customer, "customer_name") or row.customer
	return rows


def own_invitation(name: str, user: str):
	"""The invitation `name` addressed to `user`, locked, still pending and valid."""
	if not name or frappe.db.get_value(INVITATION, name, "email") != user:
		raise frappe.DoesNotExistError(_("This invitation does not exist."))
	frappe.db.sql(f"select name from `tab{INVITATION}` where name = %s for update", name)  # nosec B608
	doc = frappe.get_doc(INVITATION, name)
	if is_expired(doc):
		frappe.throw(
			_("This invitation has expired. Ask {0} to send it again.").format(
				frappe.utils.get_fullname(doc.invited_by) or doc.invited_by
			)
		)
	if doc.status != PENDING:
		frappe.throw(_("This invitation was already answered: {0}.").format(_(doc.status)))
	return doc


def accept(name: str, user: str) -> str:
	"""`user` accepts: they become a member of the company with the invitation's rights (recorded as
	given by the inviter). Returns the member's name."""
	doc = own_invitation(name, user)
	supervisor = doc.supervisor
	if supervisor and frappe.db.get_value(MEMBER, supervisor, "customer") != doc.customer:
		supervisor = None  # the supervisor left meanwhile
	flags = tuple(flag.strip() for flag in (doc.rights or "").split(",") if flag.strip() in rules.FLAGS)
	member = members.ensure_member(
		doc.customer, user, flags=flags, changed_by=doc.invited_by, supervisor=supervisor
	)
	doc.update({"status": ACCEPTED, "decided_on": now_datetime(), "member": member})
	doc.save(ignore_permissions=True)
	return member


def decline(name: str, user: str) -> None:
	doc = own_invitation(name, user)
	doc.update({"status": DECLINED, "decided_on": now_datetime()})
	doc.save(ignore_permissions=True)


def expire_invitations() -> None:
	"""Daily: pending invitations past their date become Expired (they can be sent again)."""
	for name in frappe.get_all(
		INVITATION, filters={"status": PENDING, "expires_on": ["<", today()]}, pluck="name"
	):
		frappe.db.set_value(INVITATION, name, "status", EXPIRED)
