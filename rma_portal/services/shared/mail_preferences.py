"""Which e-mails a portal user switched off, per kind (RMA Mail Preference, one record per user).

Every kind is on until the user switches it off on the portal's E-mail Notifications page; the
confirmation of a request the user sends, and mails to staff, have no switch.
"""

import frappe
from frappe import _
from frappe.utils import cint

# kind -> (the RMA Mail Preference field that switches it off, what the user reads)
KINDS = {
	"approval": ("off_approval", "A return request is approved or declined"),
	"received": ("off_received", "The goods of a return or service request are received"),
	"credited": ("off_credited", "A credit note is made (with its PDF)"),
	"completed": ("off_completed", "A return or service request is completed"),
	"warranty": ("off_warranty", "A warranty claim is granted or refused"),
}
# EMAIL_TEMPLATES key -> kind
KIND_OF_MAIL = {
	"Approved": "approval",
	"Declined": "approval",
	"Received": "received",
	"Service Received": "received",
	"Invoiced": "credited",
	"Completed": "completed",
	"Service Completed": "completed",
	"Claim Granted": "warranty",
	"Claim Refused": "warranty",
}
DOCTYPE = "RMA Mail Preference"


def preferences(user: str) -> dict[str, bool]:
	"""{kind: on} for `user`."""
	fields = [field for field, _label in KINDS.values()]
	row = frappe.db.get_value(DOCTYPE, {"user": user}, fields, as_dict=True) or {}
	return {kind: not cint(row.get(field)) for kind, (field, _label) in KINDS.items()}


def save(user: str, on: dict) -> dict[str, bool]:
	"""Store the kinds `on` maps to a falsy value as switched off (unknown kinds refused)."""
	unknown = sorted(set(on) - set(KINDS))
	if unknown:
		frappe.throw(_("Notifications: {0} is not a kind of e-mail.").format(", ".join(unknown)))
	name = frappe.db.get_value(DOCTYPE, {"user": user})
	doc = frappe.get_doc(DOCTYPE, name) if name else frappe.new_doc(DOCTYPE)
	doc.user = user
	for kind, value in on.items():
		doc.set(KINDS[kind][0], 0 if cint(value) else 1)
	doc.save(ignore_permissions=True)
	return preferences(user)


def wanted(recipients: list[str], mail_key: str) -> list[str]:
	"""The recipients who have not switched this mail's kind off (addresses without a user keep it)."""
	kind = KIND_OF_MAIL.get(mail_key)
	if not kind or not recipients:
		return list(recipients)
	field = KINDS[kind][0]
	users = frappe.get_all("User", filters={"email": ["in", recipients]}, fields=["name", "email"])
	off_users = set(
		frappe.get_all(DOCTYPE, filters={"user": ["in", [u.name for u in users]], field: 1}, pluck="user")
		if users
		else []
	)
	off = {u.email.lower() for u in users if u.name in off_users}
	return [email for email in recipients if email.lower() not in off]
