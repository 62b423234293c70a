"""Offers (SPEC §5): the customer's submitted Quotations, and the customer's answer to one.

Accept makes the Sales Order with ERPNext's own quotation-to-order mapping (and submits it), or, when
Customer Portal Settings say so, marks the quotation accepted for staff to convert. Reject declares it
Lost with the reason given (as ERPNext's declare_enquiry_lost does, see _declare_lost). Both:
- lock the quotation's row first, so two clicks at once answer once;
- are idempotent: the same answer again changes nothing and reports the first one;
- are refused (417, naming the reason) on expired, lost, ordered or otherwise closed quotations
  (domain.portal.quotation_refusal) and when the other answer was given;
- record who and when on the quotation (portal_answer fields and a timeline comment) and notify the
  quotation's owner and the Sales Managers (Frappe's notifications: the bell, and e-mail per their
  settings).

Callers (api/) check access first; these functions then trust `customer`.
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, flt, getdate, now_datetime, today

from rma_portal.domain.inputs import plain_text
from rma_portal.domain.portal import ANSWERABLE_QUOTATION_STATUSES, quotation_refusal
from rma_portal.services.policy import credit_hold
from rma_portal.services.shared.query import page_bounds

MAX_REASON_LENGTH = 1000
MAKE_ORDER = "Make the Sales Order"
MARK_ACCEPTED = "Mark accepted for staff to convert"
NOTIFY_ROLE = "Sales Manager"

_LIST_SQL = """
select {select}
from `tabQuotation` q
where q.quotation_to = 'Customer' and q.party_name = %(customer)s and q.docstatus = 1 {where}
"""

_ROW_FIELDS = """q.name, q.transaction_date, q.valid_till, q.status, q.currency, q.docstatus,
	if(q.disable_rounded_total = 1 or q.rounded_total = 0, q.grand_total, q.rounded_total) as amount,
	q.portal_answer, q.portal_answered_on, q.order_lost_reason,
	(select count(*) from `tabQuotation Item` qi where qi.parent = q.name and qi.parenttype = 'Quotation')
		as item_count,
	(select min(soi.parent) from `tabSales Order Item` soi
		where soi.prevdoc_docname = q.name and soi.docstatus < 2) as sales_order"""

# The list filters a customer can pick: "awaiting" = still to be answered.
SHOW = ("", "awaiting")


def acceptance_mode() -> str:
	mode = frappe.db.get_single_value("Customer Portal Settings", "quotation_acceptance")
	return mode if mode in (MAKE_ORDER, MARK_ACCEPTED) else MAKE_ORDER


def _awaiting_condition(values: dict) -> str:
	values["answerable"] = ANSWERABLE_QUOTATION_STATUSES
	return """and q.status in %(answerable)s and ifnull(q.portal_answer, '') = ''
		and (q.valid_till is null or q.valid_till >= %(today)s)"""


def quotation_list(customer: str, show: str | None = None, page: int = 1, page_size: int = 20) -> dict:
	"""One page of the customer's quotations, newest first; two queries."""
	if (show or "") not in SHOW:
		frappe.throw(_("Show: {0} is not a choice of this page.").format(show), frappe.ValidationError)
	page, page_size = page_bounds(page, page_size)
	on = getdate(today())
	values = {"customer": customer, "today": on, "limit": page_size, "offset": (page - 1) * page_size}
	where = _awaiting_condition(values) if show == "awaiting" else ""
	total = frappe.db.sql(_LIST_SQL.format(select="count(*)", where=where), values)[0][0]
	return {
		"rows": _rows(values, where, on),
		"total": cint(total),
		"page": page,
		"page_size": page_size,
	}


def _rows(values: dict, where: str, on) -> list[frappe._dict]:
	rows = frappe.db.sql(
		_LIST_SQL.format(select=_ROW_FIELDS, where=where)
		+ " order by q.transaction_date desc, q.name desc limit %(limit)s offset %(offset)s",
		values,
		as_dict=True,
	)
	return [_clean(row, on) for row in rows]


def awaiting_answer(customer: str, limit: int = 5) -> dict:
	"""Quotations still to be answered, the newest `limit`, and how many (two queries)."""
	return quotation_list(customer, show="awaiting", page=1, page_size=limit)


def awaiting_rows(customer: str, limit: int = 5) -> list[frappe._dict]:
	"""The newest `limit` quotations still to be answered, without their count (the overview counts
	them with its other badges: awaiting_count_sql)."""
	on = getdate(today())
	values = {"customer": customer, "today": on, "limit": limit, "offset": 0}
	return _rows(values, _awaiting_condition(values), on)


def awaiting_count_sql(select: str, values: dict) -> str:
	"""A statement of `select` (e.g. "count(*)") over the quotations awaiting an answer of
	values["customer"]; adds its other values."""
	values["today"] = getdate(today())
	return _LIST_SQL.format(select=select, where=_awaiting_condition(values))


def _clean(row: dict, on) -> frappe._dict:
	row = frappe._dict(row)
	row.amount = flt(row.amount, 2)
	row.state = display_state(row, on)
	row.can_answer = row.state in ("Open", "Replied")
	return row


def display_state(row, on) -> str:
	"""What the customer reads: the portal answer first, then expiry (ERPNext marks it only at night)."""
	if row.get("portal_answer") == "Accepted" and row.status in ANSWERABLE_QUOTATION_STATUSES:
		return "Accepted"
	refusal = quotation_refusal(
		row.status, cint(row.docstatus), getdate(row.valid_till) if row.valid_till else None, on
	)
	if refusal == "expired":
		return "Expired"
	return row.status


# domain.portal.quotation_refusal's keys -> the customer's message
def _refuse_if_not_open(row, name: str) -> None:
	"""Accepting and declining both need an offer still open: submitted, not lost, not expired."""
	refusal = quotation_refusal(
		row.status, cint(row.docstatus), getdate(row.valid_till) if row.valid_till else None, getdate(today())
	)
	if refusal:
		frappe.throw(_refusal_message(refusal, name), frappe.ValidationError)


def _refusal_message(key: str, name: str, sales_order: str | None = None) -> str:
	messages = {
		"not_sent": _("Quotation {0} has not been sent to you yet."),
		"ordered": _("Quotation {0} has already been ordered."),
		"lost": _("Quotation {0} has been declined and can no longer be answered."),
		"expired": _("Quotation {0} has expired: please ask us for a new offer."),
		"not_answerable": _("Quotation {0} can no longer be answered."),
		"accepted": _("Quotation {0} has already been accepted."),
	}
	return messages.get(key, messages["not_answerable"]).format(name)


def _locked(customer: str, name: str) -> frappe._dict:
	"""The quotation's row, locked until the transaction ends; the same PermissionError for "not
	yours" and "does not exist", so numbers cannot be probed."""
	row = (
		frappe.db.get_value(
			"Quotation",
			name,
			[
				"name",
				"quotation_to",
				"party_name",
				"docstatus",
				"status",
				"valid_till",
				"portal_answer",
				"portal_answered_by",
				"portal_answered_on",
				"owner",
			],
			as_dict=True,
			for_update=True,
		)
		if name
		else None
	)
	if not row or row.quotation_to != "Customer" or row.party_name != customer:
		frappe.throw(_("This quotation was not found among your offers."), frappe.PermissionError)
	return row


def _sales_order_of(name: str) -> str | None:
	return frappe.db.get_value(
		"Sales Order Item",
		{"prevdoc_docname": name, "docstatus": ["<", 2]},
		"parent",
		order_by="creation asc",
	)


def _result(name: str, answer: str, changed: bool, row=None) -> dict:
	row = row or frappe.db.get_value(
		"Quotation", name, ["status", "portal_answered_by", "portal_answered_on"], as_dict=True
	)
	return {
		"name": name,
		"answer": answer,
		"changed": changed,
		"status": row.status,
		"sales_order": _sales_order_of(name) if answer == "Accepted" else None,
		"answered_by": row.portal_answered_by,
		"answered_on": row.portal_answered_on,
	}


def accept(customer: str, name: str, user: str) -> dict:
	"""Accept quotation `name` for `customer`: the Sales Order, or the mark for staff (per the settings)."""
	row = _locked(customer, name)
	if row.portal_answer == "Accepted":
		return _result(name, "Accepted", changed=False, row=row)  # a second click: nothing changes
	if row.portal_answer == "Rejected":
		frappe.throw(_refusal_message("lost", name), frappe.ValidationError)
	_refuse_if_not_open(row, name)
	credit_hold.check(customer, credit_hold.rules.OFFER_ACCEPT)

	sales_order = None
	if acceptance_mode() == MAKE_ORDER:
		sales_order = _make_sales_order(name)
	answered_on = now_datetime()
	frappe.db.set_value(
		"Quotation",
		name,
		{"portal_answer": "Accepted", "portal_answered_by": user, "portal_answered_on": answered_on},
		update_modified=False,
	)
	if sales_order:
		note = _("Accepted in the customer portal by {0} on {1}: Sales Order {2} made.").format(
			user, answered_on.strftime("%Y-%m-%d %H:%M"), sales_order
		)
	else:
		note = _("Accepted in the customer portal by {0} on {1}: please make the Sales Order.").format(
			user, answered_on.strftime("%Y-%m-%d %H:%M")
		)
	_record(name, note, user, row.owner)
	return _result(name, "Accepted", changed=True)


def _make_sales_order(name: str) -> str:
	"""ERPNext's own mapping (quotation.py's _make_sales_order), made and submitted as the customer's
	order; its delivery date is the settings' days after today."""
	from erpnext.selling.doctype.quotation.quotation import _make_sales_order as map_quotation

	days = cint(frappe.db.get_single_value("Customer Portal Settings", "order_delivery_days") or 14)
	delivery_date = add_days(today(), max(days, 0))
	order = map_quotation(name, ignore_permissions=True)
	order.delivery_date = delivery_date
	# The quotation's payment terms are dated from the quotation: ERPNext makes them again from today.
	order.payment_schedule = []
	for item in order.items:
		item.delivery_date = item.delivery_date or delivery_date
	order.flags.ignore_permissions = True
	order.insert()
	order.submit()
	return order.name


def reject(customer: str, name: str, user: str, reason: str | None) -> dict:
	"""Decline quotation `name` for `customer`: ERPNext's Lost, with the customer's reason."""
	reason = plain_text(reason or "").strip()
	if not reason:
		frappe.throw(_("Reason: please tell us why you decline this offer."), frappe.ValidationError)
	if len(reason) > MAX_REASON_LENGTH:
		frappe.throw(
			_("Reason: at most {0} characters, please.").format(MAX_REASON_LENGTH), frappe.ValidationError
		)
	row = _locked(customer, name)
	if row.portal_answer == "Rejected" or (row.status == "Lost" and not row.portal_answer):
		return _result(name, "Rejected", changed=False, row=row)  # a second click: nothing changes
	if row.portal_answer == "Accepted":
		frappe.throw(_refusal_message("accepted", name), frappe.ValidationError)
	_refuse_if_not_open(row, name)

	doc = frappe.get_doc("Quotation", name)
	doc.flags.ignore_permissions = True
	answered_on = now_datetime()
	doc.portal_answer = "Rejected"
	doc.portal_answered_by = user
	doc.portal_answered_on = answered_on
	_declare_lost(doc, reason)
	note = _("Declined in the customer portal by {0} on {1}. Reason: {2}").format(
		user, answered_on.strftime("%Y-%m-%d %H:%M"), reason
	)
	_record(name, note, user, row.owner)
	return _result(name, "Rejected", changed=True)


def _declare_lost(doc, reason: str):
	"""ERPNext's Quotation.declare_enquiry_lost for a reason given as text, step for step, without its
	first line: it lists the Quotation Lost Reason master with the caller's permissions (frappe.get_list),
	which a dealer may not read (403), to check reasons picked from that master; none is picked here.
	Lost and the reason, the opportunity and the lead as ERPNext sets them, then saved (the answer)."""
	doc.db_set("status", "Lost")
	doc.db_set("order_lost_reason", reason)
	doc.update_opportunity("Lost")
	doc.update_lead()
	doc.save()


def _record(name: str, note: str, user: str, owner: str | None):
	"""The answer on the quotation's timeline, and a notification to its owner and the Sales Managers."""
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_type": "Comment",
			"reference_doctype": "Quotation",
			"reference_name": name,
			"comment_email": user,
			"comment_by": frappe.db.get_value("User", user, "full_name") or user,
			"content": frappe.utils.escape_html(note),
		}
	).insert(ignore_permissions=True)
	staff = set(_staff_to_notify())
	if owner and frappe.db.get_value("User", owner, "user_type") == "System User":
		staff.add(owner)
	staff.discard(user)
	if staff:
		enqueue_create_notification(
			sorted(staff),
			{
				"type": "Alert",
				"document_type": "Quotation",
				"document_name": name,
				"subject": note,
				"from_user": user,
			},
		)


def _staff_to_notify() -> list[str]:
	"""Enabled desk users with the Sales Manager role (Administrator left out); one query."""
	return frappe.db.sql_list(
		"""select distinct u.name from `tabUser` u
		join `tabHas Role` r on r.parent = u.name and r.parenttype = 'User'
		where r.role = %(role)s and u.enabled = 1 and u.user_type = 'System User'
			and u.name not in ('Administrator', 'Guest')""",
		{"role": NOTIFY_ROLE},
	)
