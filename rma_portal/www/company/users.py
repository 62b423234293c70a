"""/company/users: the company's portal users, their rights and supervisors (administrator or US).
Only the caller's current company: its members are read by customer, never by a name from the URL."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.domain import members as rules
from rma_portal.services.company import invitations, members
from rma_portal.services.dealer_api import page as dealer_api_page
from rma_portal.www.company import page_context

no_cache = 1


def get_context(context):
	customer = access.customer_for("member.read")
	page_context(context, _("Company users"), "/company", _("Company"))
	rows = members.list_members(customer)
	names = {row.name: (row.full_name or row.user) for row in rows if row.name}
	actor = access.member(customer)
	for row in rows:
		row["supervisor_name"] = names.get(row.supervisor) or ""
		row["is_self"] = row.user == frappe.session.user
		# what the caller may tick for this member (rights are given only by who holds them)
		row["grantable"] = grantable(actor, row)
		row["may_widen_scope"] = actor.is_admin or (actor.all_documents and not row["is_self"])
	context.customer = customer
	context.customer_name = frappe.get_cached_value("Customer", customer, "customer_name") or customer
	context.rows = rows
	context.supervisor_choices = [{"name": name, "label": label} for name, label in names.items()]
	context.flags = [
		{"flag": flag, "label": members.flag_label(flag), "description": members.flag_description(flag)}
		for flag in rules.FLAGS
	]
	context.can_write = access.can("member.write", customer)
	context.invite_flags = grantable(actor, frappe._dict(user=None, flags=()))
	context.is_admin = actor.is_admin
	context.invitations = invitations.open_invitations(customer)
	for invitation in context.invitations:
		invitation["expires_display"] = frappe.utils.formatdate(invitation.expires_on)
		invitation["invited_by_name"] = names_of(invitation.invited_by)
	context.changes = members.changes_of(customer) if actor.is_admin else []
	context.update(dealer_api_page.page_context(customer, rows))  # API keys and webhooks (issue 26)
	context.rights_value = rights_value
	for change in context.changes:
		change["changed_by_name"] = names_of(change.changed_by)
		change["member_name"] = names_of(change.member_user)
	return context


def grantable(actor, row) -> set[str]:
	"""The rights the caller may tick or untick for `row`: every one for the administrator; for a user
	manager the rights they hold but US, and on their own row only the ones they have already."""
	if actor.is_admin:
		return set(rules.FLAGS)
	if row.user == frappe.session.user:
		return set(row.flags) - {"US"}
	return set(actor.flags) - {"US"}


def names_of(user: str | None) -> str:
	return (frappe.utils.get_fullname(user) or user) if user else ""


def rights_value(field: str, value: str | None) -> str:
	"""A recorded value as the page shows it: yes / no for the switches, the text otherwise."""
	if field in ("Rights", "Supervisor"):
		return value or "—"
	return {"1": _("Yes"), "0": _("No")}.get(value or "", "—")
