"""Where a new account stands, and the one thing to do next (the landing page after the first login).

A dealer's way in has four steps: the business account (a Dealer Account Request staff answer within
their service days), the company authorisation (add the company, sign and upload the document, staff
accept), the final activation (the administrator confirms the company's data) and the company's
users (the administrator invites colleagues). `status(user)` says for each whether it is done, waits
for staff (with the date they answer by) or is the user's to do, and names the first one to do as
the next step, with the page where it is done.
"""

import frappe
from frappe import _
from frappe.utils import formatdate

DONE, WAITING, TODO = "done", "waiting", "todo"


def step(key: str, title: str, state: str, detail: str = "", route: str = "", action: str = "") -> dict:
	return {"key": key, "title": title, "state": state, "detail": detail, "route": route, "action": action}


def account_step(user: str, customers: list[str]) -> dict:
	title = _("Business account")
	if customers:
		names = ", ".join(frappe.get_cached_value("Customer", c, "customer_name") or c for c in customers)
		return step("account", title, DONE, _("You act for {0}.").format(names))
	request = frappe.get_all(
		"Dealer Account Request",
		filters={"requested_by": user},
		fields=["name", "status", "due_date", "new_account_name", "account_name", "rejection_reason"],
		order_by="creation desc",
		limit=1,
	)
	if request and request[0].status == "Open":
		r = request[0]
		return step(
			"account",
			title,
			WAITING,
			_("Your request {0} for {1} is with our team: we answer by {2}.").format(
				r.name, r.new_account_name or r.account_name or "", formatdate(r.due_date)
			),
			"/account-requests",
		)
	detail = ""
	if request and request[0].status == "Rejected":
		detail = _("Your last request was not accepted: {0}").format(request[0].rejection_reason or "")
	return step(
		"account", title, TODO, detail, "/account-requests", _("Ask us to open your business account")
	)


def authorisation_step(user: str, authorised: bool) -> dict:
	title = _("Company authorisation")
	latest = frappe.get_all(
		"Company Authorisation",
		filters={"user": user},
		fields=["name", "status", "company_name"],
		order_by="creation desc",
		limit=1,
	)
	r = latest[0] if latest else None
	if authorised or (r and r.status == "Accepted"):
		return step("authorisation", title, DONE, _("Your company is authorised."))
	if r and r.status == "Submitted":
		return step(
			"authorisation", title, WAITING, _("Our staff are checking the signed authorisation."), "/company"
		)
	if r and r.status == "Open":
		return step(
			"authorisation",
			title,
			TODO,
			_("Download the authorisation for {0}, have it signed and stamped, and upload it.").format(
				r.company_name
			),
			"/company",
			_("Sign and upload the authorisation"),
		)
	return step(
		"authorisation",
		title,
		TODO,
		_("Add your company with its registration documents: you then download the authorisation to sign."),
		"/company",
		_("Add your company"),
	)


def admin_steps(customer: str, user: str) -> list[dict]:
	"""Final activation and company users: the administrator's."""
	steps = []
	activated = frappe.db.get_value("Customer", customer, "rma_activated_on")
	steps.append(
		step("activation", _("Final activation"), DONE, _("Activated on {0}.").format(formatdate(activated)))
		if activated
		else step(
			"activation",
			_("Final activation"),
			TODO,
			_("Confirm your company's data and accept the terms."),
			"/company",
			_("Confirm the company's data"),
		)
	)
	others = frappe.db.count("Company Member", {"customer": customer, "user": ["!=", user]})
	invited = frappe.db.count("Company Invitation", {"customer": customer}) if _has_invitations() else 0
	steps.append(
		step("users", _("Company users"), DONE, _("Your colleagues are invited."))
		if others or invited
		else step(
			"users",
			_("Company users"),
			TODO,
			_("Invite your colleagues and choose what each of them may do."),
			"/company/users",
			_("Invite your colleagues"),
		)
	)
	return steps


def invitation_step(user: str) -> dict | None:
	"""A colleague invited to a company: their one step is to answer the invitation."""
	if not _has_invitations():
		return None
	from rma_portal.services.company.invitations import invitations_for

	waiting = invitations_for(user)
	if not waiting:
		return None
	return step(
		"invitation",
		_("Invitation"),
		TODO,
		_("{0} invites you to act for {1}: accept or decline it on the Company page.").format(
			frappe.utils.get_fullname(waiting[0].invited_by), waiting[0].company
		),
		"/company",
		_("Answer the invitation"),
	)


def _has_invitations() -> bool:
	return bool(frappe.db.exists("DocType", "Company Invitation"))


def status(user: str) -> dict:
	"""{"steps": [...], "next": the first step to do (or None), "waiting": whether staff have the
	next move}. Nothing to show (steps empty) for a member who is not their company's administrator
	of an authorised company: their way in is done."""
	from rma_portal import access

	customers = access.customers_of(user)
	if not customers and (invited := invitation_step(user)):
		return {"steps": [invited], "next": invited, "waiting": False}
	acting = access.acting_customer(user)
	member = access.member(acting, user) if acting else None
	if member and member.authorised and not member.is_admin:
		return {"steps": [], "next": None, "waiting": False}
	steps = [account_step(user, customers), authorisation_step(user, bool(member and member.authorised))]
	if member and member.authorised and member.is_admin:
		steps += admin_steps(acting, user)
	todo = next((s for s in steps if s["state"] == TODO), None)
	if all(s["state"] == DONE for s in steps):
		return {"steps": [], "next": None, "waiting": False}
	return {"steps": steps, "next": todo, "waiting": not todo}
