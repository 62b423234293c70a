"""/portal: the customer's overview, the portal home after login (hooks.role_home_page). Open RMAs and
warranty claims by status, pending order lines with the next deliveries, unpaid and overdue invoices
per currency with a chart of the amounts falling due per week, the offers awaiting an answer and the
open projects with their progress."""

from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import add_days, formatdate, getdate, today

from rma_portal import access
from rma_portal.api.projects import only_own_projects
from rma_portal.services.accounts import onboarding
from rma_portal.services.portal import portal_dashboard
from rma_portal.www.portal_display import page_context
from rma_portal.www.rma import script_json

no_cache = 1


def get_context(context):
	send_newcomers_to_welcome()
	customer = access.customer_for("dashboard.read")
	page_context(context, _("Overview"))
	context.parents = []
	data = portal_dashboard.overview(
		customer,
		with_projects=access.can("project.read", customer),
		project_user=only_own_projects(customer),  # without PRO: the projects the member follows
	)
	context.update(data)
	context.customer = customer
	context.customer_name = frappe.get_cached_value("Customer", customer, "customer_name") or customer
	context.can = {
		"orders": access.can("order.read", customer),
		"invoices": access.can("invoice.read", customer),
		"offers": access.can("quotation.read", customer),
		"projects": data["projects"] is not None,
	}
	for row in (data["projects"] or {}).get("rows", []):
		row["url"] = "/portal/projects/view?" + urlencode({"name": row["name"]})
	context.overdue_total = any(row.overdue for row in data["invoice_totals"])
	context.start = onboarding.status(frappe.session.user)  # the administrator's steps not done yet

	# The chart: outstanding per week in the first currency (the customer's usual one).
	start = getdate(today())
	labels = [_("Overdue")] + [
		formatdate(add_days(start, 7 * week), "dd MMM") for week in range(portal_dashboard.CHART_WEEKS)
	]
	labels.append(_("Later"))
	chart = data["due_by_week"][0] if data["due_by_week"] else None
	context.chart_json = script_json(
		{
			"labels": labels,
			"values": chart["buckets"],
			"currency": chart["currency"],
			"title": _("Due per week"),
		}
		if chart and any(chart["buckets"])
		else None
	)
	return context


def send_newcomers_to_welcome():
	"""A portal user who acts for no company yet, or for one not authorised yet, lands on /welcome:
	where their account stands and what to do next, rather than a refusal."""
	user = frappe.session.user
	if not access.is_portal_user(user):
		return
	acting = access.acting_customer(user)
	if access.customers_of(user) and (not acting or access.member(acting, user).authorised):
		return
	frappe.local.flags.redirect_location = "/welcome"
	raise frappe.Redirect
