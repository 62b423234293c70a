"""Deciding a new return request by the RMA Approval Rules, at sending (services/returns/return_request.py).

The enabled rules are read in one query and matched in Python (domain/approval_rules.py); the facts
a rule may need beyond the request (item groups and brands of the items, serial numbers, the
customer's group) are loaded only when some rule reads them, two or three queries whatever the
number of lines. No enabled rule: approved at once, as before the rules existed.
"""

import frappe
from frappe.utils import add_to_date, cint, date_diff, flt, get_datetime, getdate

from rma_portal.domain import approval_rules as rules
from rma_portal.services.shared import history_notes

REQUESTED = "Requested"
DECLINED = "Rejected"  # a declined request ends Rejected, with the rule's message as its reason
CACHE_KEY = "rma_portal:approval_rules"
RULE_FIELDS = (
	"name",
	"priority",
	"outcome",
	"decline_message",
	"customer",
	"customer_group",
	"min_request_value",
	"max_request_value",
	"return_reason",
	"item_group",
	"brand",
	"min_line_value",
	"min_days_since_delivery",
	"max_days_since_delivery",
	"serial_required",
)


def enabled_rules() -> list[rules.Rule]:
	"""The enabled rules, from the cache (emptied when a rule is saved or deleted: the controller)."""
	rows = frappe.cache.get_value(CACHE_KEY)
	if rows is None:
		rows = frappe.get_all("RMA Approval Rule", filters={"enabled": 1}, fields=list(RULE_FIELDS))
		frappe.cache.set_value(CACHE_KEY, rows)
	return [_rule(frappe._dict(row)) for row in rows]


def clear_rules_cache() -> None:
	frappe.cache.delete_value(CACHE_KEY)


def _rule(row) -> rules.Rule:
	return rules.Rule(
		name=row.name,
		outcome=row.outcome,
		priority=cint(row.priority),
		message=(row.decline_message or "").strip(),
		customer=row.customer or "",
		customer_group=row.customer_group or "",
		min_request_value=flt(row.min_request_value),
		max_request_value=flt(row.max_request_value),
		return_reason=row.return_reason or "",
		item_group=row.item_group or "",
		brand=row.brand or "",
		min_line_value=flt(row.min_line_value),
		min_days_since_delivery=cint(row.min_days_since_delivery),
		max_days_since_delivery=cint(row.max_days_since_delivery),
		serial_required=row.serial_required or "",
	)


def decide(customer: str, lines: list[dict], on_date=None) -> rules.Decision:
	"""The decision for a request of `customer`: lines as {item_code, return_reason, qty, rate,
	delivery_date}. `on_date`: the day the request is sent (today)."""
	found = enabled_rules()
	if not found:
		return rules.Decision(rules.APPROVE)
	facts = _facts(customer, {line["item_code"] for line in lines}, found)
	day = getdate(on_date)
	request = rules.Request(
		customer=customer,
		customer_groups=facts.customer_groups,
		lines=tuple(_line(line, facts, day) for line in lines),
	)
	return rules.decide(found, request)


def _line(line: dict, facts, day) -> rules.Line:
	item = facts.by_item.get(line["item_code"]) or frappe._dict()
	return rules.Line(
		return_reason=line.get("return_reason") or "",
		item_groups=facts.item_groups.get(item.item_group, frozenset()),
		brand=item.brand or "",
		value=flt(line.get("qty")) * flt(line.get("rate")),
		days_since_delivery=date_diff(day, line["delivery_date"]) if line.get("delivery_date") else 0,
		has_serial_no=bool(item.has_serial_no),
	)


# What the rules may read beyond the request, in one statement: the items (brand, serial numbers,
# group with its nested-set bounds), the rules' groups' bounds and the customer's group with its bounds.
_FACTS_SQL = """
	(select 'item' as kind, i.name, i.brand, i.has_serial_no, i.item_group as grp, g.lft, g.rgt
		from `tabItem` i left join `tabItem Group` g on g.name = i.item_group where i.name in %(items)s)
	union all
	(select 'item_group', g.name, null, null, null, g.lft, g.rgt
		from `tabItem Group` g where g.name in %(item_groups)s)
	union all
	(select 'customer', c.name, null, null, c.customer_group, g.lft, g.rgt
		from `tabCustomer` c join `tabCustomer Group` g on g.name = c.customer_group where c.name = %(customer)s)
	union all
	(select 'customer_group', g.name, null, null, null, g.lft, g.rgt
		from `tabCustomer Group` g where g.name in %(customer_groups)s)"""


def _facts(customer: str, item_codes: set, found: list[rules.Rule]) -> frappe._dict:
	"""Items by code, each item group's set of itself and the rules' groups above it, the customer's
	groups likewise; read only when some rule needs them."""
	needed = rules.facts_needed(found)
	out = frappe._dict(by_item={}, item_groups={}, customer_groups=frozenset())
	if not needed:
		return out
	rule_item_groups = {rule.item_group for rule in found if rule.item_group}
	rule_customer_groups = {rule.customer_group for rule in found if rule.customer_group}
	rows = frappe.db.sql(
		_FACTS_SQL,
		{
			"items": tuple(sorted(item_codes)) or ("",),
			"item_groups": tuple(sorted(rule_item_groups)) or ("",),
			"customer": customer,
			"customer_groups": tuple(sorted(rule_customer_groups)) or ("",),
		},
		as_dict=True,
	)
	bounds = {(row.kind, row.name): (row.lft, row.rgt) for row in rows if row.kind.endswith("group")}
	out.by_item = {
		row.name: frappe._dict(item_group=row.grp, brand=row.brand, has_serial_no=row.has_serial_no)
		for row in rows
		if row.kind == "item"
	}
	for row in rows:
		if row.kind == "item" and row.grp not in out.item_groups:
			out.item_groups[row.grp] = _with_ancestors(row.grp, (row.lft, row.rgt), bounds, "item_group")
		elif row.kind == "customer":
			out.customer_groups = _with_ancestors(row.grp, (row.lft, row.rgt), bounds, "customer_group")
	return out


def _with_ancestors(group: str, own: tuple, bounds: dict, kind: str) -> frozenset:
	"""`group` and the rules' groups of `kind` it lies under (nested-set bounds)."""
	lft, rgt = own
	if lft is None:
		return frozenset({group})
	above = {
		name for (k, name), (g_lft, g_rgt) in bounds.items() if k == kind and g_lft <= lft and rgt <= g_rgt
	}
	return frozenset({group} | above)


def apply(rma, decision: rules.Decision) -> None:
	"""Put the decision on the new RMA (not yet inserted): Expected stays as _new_rma made it;
	review makes it Requested, due by the review SLA; decline makes it Rejected with the message."""
	rma.approval_rule = decision.rule
	if decision.outcome == rules.APPROVE:
		return
	rma.status = REQUESTED
	rma.status_log[0].status = REQUESTED
	if decision.outcome == rules.REVIEW:
		rma.approval_due_on = review_due_on(rma.submitted_on, rma.company)
		return
	rma.status = DECLINED
	rma.decision_note = decision.message
	rma.append(
		"status_log",
		{
			"status": DECLINED,
			"changed_on": rma.submitted_on,
			"changed_by": rma.portal_user,
			**history_notes.log_fields(decision.message),
		},
	)


def review_due_on(submitted_on, company: str | None):
	"""When a request sent at `submitted_on` should be decided (RMA Settings' review time, in hours
	or in business days on the company's Holiday List); None without a review time."""
	from rma_portal.services.accounts import account_requests

	settings = frappe.get_cached_doc("RMA Settings")
	amount = flt(settings.get("approval_sla"))  # 0: no review time (install sets 2 business days)
	if amount <= 0:
		return None
	if settings.get("approval_sla_unit") == "Hours":
		return add_to_date(get_datetime(submitted_on), hours=amount)
	day = account_requests.due_date(submitted_on, days=cint(amount), company=company)
	return get_datetime(f"{day} 23:59:59")


def documents_on_approval() -> bool:
	"""Whether the return form and label wait for the approval (RMA Settings; they do by default)."""
	return not cint(frappe.get_cached_doc("RMA Settings").get("documents_at_sending"))


def decide_new_rma(rma) -> rules.Decision:
	"""Decide the new return RMA `rma` (not yet inserted) and put the decision on it."""
	lines = [
		{
			"item_code": row.item_code,
			"return_reason": row.return_reason,
			"qty": row.qty_requested,
			"rate": row.rate,
			"delivery_date": row.delivery_date,
		}
		for row in rma.items
	]
	decision = decide(rma.customer, lines, on_date=rma.submitted_on)
	apply(rma, decision)
	return decision


def set_default_review_time() -> None:
	"""Install / migrate: 2 business days to review, on a site where the setting was never stored
	(a Single's default is not written by the schema sync; a value staff stored is kept)."""
	stored = frappe.db.sql(
		"select count(*) from `tabSingles` where doctype = 'RMA Settings' and field = 'approval_sla'"
	)[0][0]
	if not stored:
		frappe.db.set_single_value(
			"RMA Settings", {"approval_sla": 2, "approval_sla_unit": "Business Days"}, update_modified=False
		)
