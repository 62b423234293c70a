"""/company/users: the company's portal users, their rights and supervisors (administrator or US).
Only the caller's current company: its members are read by customer, never by a name from the URL."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.domain import members as rules
from rma_portal.services import members

no_cache = 1


def get_context(context):
	customer = access.customer_for("member.read")
	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("Company users")
	context.parents = [{"route": "/company", "title": _("Company")}]
	rows = members.list_members(customer)
	names = {row.name: (row.full_name or row.user) for row in rows if row.name}
	for row in rows:
		row["supervisor_name"] = names.get(row.supervisor) or ""
		row["is_self"] = row.user == frappe.session.user
	context.customer = customer
	context.customer_name = frappe.get_cached_value("Customer", customer, "customer_name") or customer
	context.rows = rows
	context.supervisor_choices = [{"name": name, "label": label} for name, label in names.items()]
	context.flags = [
		{"flag": flag, "label": members.flag_label(flag), "description": members.flag_description(flag)}
		for flag in rules.FLAGS
	]
	context.can_write = access.can("member.write", customer)
	return context
