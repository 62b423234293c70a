"""The staff review queue: return requests an approval rule sent for review (status Requested,
services/policy/approval.py).

Approving moves the request to Expected and issues the return form and label (when RMA Settings
holds them until approval) with the approval e-mail; declining ends it Rejected with the reason the
dealer reads. Both are idempotent: the request's row is locked and a request no longer Requested is
left as it is, so a double click, a retry or two clerks at once decide it once and mail once.
Callers check that the user may decide (api/desk.py). Nothing here commits.
"""

import frappe
from frappe import _
from frappe.utils import get_url, now_datetime

from rma_portal.services.policy.approval import REQUESTED
from rma_portal.services.returns import documents, lifecycle
from rma_portal.services.shared import jobs, notify

APPROVE = "approve"
DECLINE = "decline"
MAX_BULK = 200  # one click in the list view; more is a mistake (or a script)


def decide(names: list[str], action: str, reason: str | None = None) -> dict:
	"""Approve or decline each request of `names`; {"done": [...], "skipped": [...]}: skipped are
	those already decided (or not awaiting approval). The reason is required to decline."""
	if action not in (APPROVE, DECLINE):
		frappe.throw(_("Action: {0} is not approve or decline.").format(action), frappe.ValidationError)
	reason = (reason or "").strip()
	if action == DECLINE and not reason:
		frappe.throw(_("Reason: please say why the request is declined."), title=_("Reason required"))
	names = list(dict.fromkeys(str(name) for name in names or []))
	if not names:
		frappe.throw(_("Requests: select at least one request."))
	if len(names) > MAX_BULK:
		frappe.throw(_("Requests: at most {0} at once.").format(MAX_BULK))
	done, skipped = [], []
	for name in names:
		(done if _decide_one(name, action, reason) else skipped).append(name)
	return {"done": done, "skipped": skipped}


def _decide_one(name: str, action: str, reason: str) -> bool:
	status = frappe.db.get_value("RMA", name, "status", for_update=True)
	if status is None:
		frappe.throw(_("RMA {0} does not exist.").format(name), exc=frappe.DoesNotExistError)
	if status != REQUESTED:
		return False  # decided already: by this click's twin, a colleague or the dealer
	if action == DECLINE:
		lifecycle.decline(name, reason)  # the status mail says Declined with the reason
		return True
	lifecycle.approve(name)
	jobs.enqueue_after_commit("rma_portal.services.returns.review.issue_approved", name=name)
	return True


def issue_approved(name: str) -> None:
	"""Background job after an approval: the return form and label (unless already issued at
	sending), then the approval e-mail with them attached."""
	if not frappe.db.get_value("RMA", name, documents.DOCUMENTS_FIELD):
		documents.try_make_documents(name)
	notify.send_approval_mail(name)


def overdue_requests(limit: int = 500) -> list[dict]:
	"""Requests awaiting approval past their review time, oldest first."""
	return frappe.get_all(
		"RMA",
		filters=[
			["status", "=", REQUESTED],
			["approval_due_on", "is", "set"],
			["approval_due_on", "<", now_datetime()],
		],
		fields=["name", "customer", "customer_name", "submitted_on", "approval_due_on", "company"],
		order_by="approval_due_on asc",
		limit=limit,
	)


def send_overdue_digest() -> bool:
	"""Daily (hooks.py): one e-mail to the RMA Managers listing the requests past their review time;
	nothing when none is. Returns whether a mail was queued."""
	rows = overdue_requests()
	if not rows:
		return False
	recipients = _staff_recipients()
	if not recipients or not notify.has_outgoing_account():
		return False
	context = {"rows": rows, "count": len(rows), "queue_url": get_url("/app/rma?status=Requested")}
	subject, message = notify.render_email_template(notify.DIGEST_TEMPLATE, context, None)
	notify.queue_mail(recipients, subject, message, None, None)
	return True  # the scheduler commits after the job


def _staff_recipients() -> list[str]:
	users = frappe.get_all(
		"Has Role", filters={"role": "RMA Manager", "parenttype": "User"}, pluck="parent", distinct=True
	)
	if not users:
		return []
	return frappe.get_all(
		"User",
		filters={"name": ["in", users], "enabled": 1, "user_type": "System User"},
		pluck="email",
		order_by="name",
	)
