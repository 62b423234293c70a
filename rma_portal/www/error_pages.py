"""The site's "not found" and error pages (www/404 and www/error, in place of Frappe's): the
portal's look, a heading that says what happened, and the way back for who is asking. Frappe's own
error page headed a missing document "Uncaught Server Exception ... Error Code: 404" and offered
to "copy the error below"."""

import sys

import frappe
from frappe import _
from frappe.utils import strip_html
from frappe.utils.response import is_traceback_allowed

from rma_portal import access


def way_back(context):
	"""Where the page's button leads: a customer's overview, staff's desk, a guest's home page."""
	user = frappe.session.user
	if user == "Guest":
		context.update(back_route="/", back_label=_("Home"))
	elif access.is_portal_user(user):
		context.update(back_route="/portal", back_label=_("Back to the overview"), show_sidebar=True)
	else:
		context.update(back_route="/app", back_label=_("Back to the desk"))


def not_found(context):
	context.update(
		http_status_code=404,
		error_title=_("Not found"),
		error_message=_("This page does not exist, or it is not shown to your account."),
		error=None,
	)
	way_back(context)


def error(context):
	"""A page that failed: 404 for a document that is not there (or not the user's), the refusal's
	own message for another 4xx, a calm sentence for a 5xx (its traceback only to developers)."""
	status = int(context.http_status_code or 500)
	if status == 404:
		return not_found(context)
	exception = sys.exc_info()[1]
	if status < 500:
		message = context.error_message or strip_html(str(exception or "")).strip()
		context.update(
			error_title=context.error_title or _("This page cannot be shown"),
			error_message=message or _("The request could not be completed."),
			error=None,
		)
	else:
		_log_failure()
		context.update(
			error_title=_("Something went wrong"),
			error_message=_("This page could not be built. Please try again in a moment."),
			error=frappe.get_traceback() if is_traceback_allowed() else None,
		)
	way_back(context)


def _log_failure():
	"""The failed page's traceback in the site's log (logs/rma_portal.pages.log): Frappe renders a
	page's exception as this page without an Error Log (and a GET's writes are rolled back), so a
	500 seen under load left nothing to read."""
	request = getattr(frappe.local, "request", None)
	path = request.path if request else "?"
	frappe.logger("rma_portal.pages", allow_site=True).error(
		f"{path} failed for {frappe.session.user}:\n{frappe.get_traceback()}"
	)
