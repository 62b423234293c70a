"""/company: the company the user acts for (and the switcher when they belong to several), their
rights there, and the company authorisation: add a company, download the authorisation to sign,
upload the signed copy, follow staff's decision."""

import frappe
from frappe import _
from frappe.utils import format_datetime, formatdate

from rma_portal import access
from rma_portal.domain import members as rules
from rma_portal.services.accounts import registration
from rma_portal.services.company import authorisations, invitations, members
from rma_portal.www.company import page_context

no_cache = 1


def get_context(context):
	user = access.require_portal_user()
	page_context(context, _("Company"), "/me", _("My Account"))
	customers = access.customers_of(user)
	acting = access.acting_customer(user)
	context.customers = [
		{"name": c, "label": frappe.get_cached_value("Customer", c, "customer_name") or c} for c in customers
	]
	context.acting = acting
	context.must_choose = len(customers) > 1 and not acting
	# a company whose administrator disabled the user is gone from the list: say so, and whom to ask
	context.disabled_notices = [
		access.disabled_message(c) for c in sorted(members.disabled_customers(user)) if c not in customers
	]
	context.rights = []
	context.blocked = None
	context.is_admin = False
	context.can_manage_users = False
	context.can_see_addresses = False
	context.activation = None
	if acting:
		_acting_context(context, acting, user)
	context.invitations = invitations.invitations_for(user)
	for invitation in context.invitations:
		invitation["invited_by_name"] = (
			frappe.utils.get_fullname(invitation.invited_by) or invitation.invited_by
		)
		invitation["expires_display"] = formatdate(invitation.expires_on)
	context.requests = authorisations.requests_of(user)
	context.countries = frappe.get_all("Country", pluck="name", order_by="name asc")
	# what the partner typed at registration fills the company form: nothing is typed twice
	context.prefill = registration.company_typed_at_registration(user)
	context.default_country = context.prefill.get("country") or frappe.db.get_default("country") or ""
	context.max_file_mb = authorisations.MAX_FILE_BYTES // (1024 * 1024)
	return context


def _acting_context(context, acting: str, user: str):
	"""The user's rights in the company they act for, and its activation when they may see it."""
	m = access.member(acting, user)
	context.is_admin = m.is_admin
	context.enabled = m.enabled
	context.blocked = access.refusal("company.read", acting, user)
	context.rights = [
		{
			"flag": flag,
			"label": members.flag_label(flag),
			"description": members.flag_description(flag),
			"has": m.is_admin or flag in m.flags,
		}
		for flag in rules.FLAGS
	]
	context.can_manage_users = access.can("member.read", acting, user)
	context.can_see_addresses = access.can("address.read", acting, user)
	if access.can("company.activate", acting, user):
		context.activation = _activation(acting)
		context.activation_address = authorisations.registered_address(acting)


def _activation(customer: str) -> dict:
	a = frappe.db.get_value(
		"Customer",
		customer,
		[
			"customer_name",
			"tax_id",
			"rma_activated_on",
			"rma_activated_by",
			"rma_e_invoices",
			"rma_e_invoices_since",
		],
		as_dict=True,
	)
	a["activated_display"] = format_datetime(a.rma_activated_on) if a.rma_activated_on else ""
	a["e_invoices_display"] = formatdate(a.rma_e_invoices_since) if a.rma_e_invoices_since else ""
	return a
