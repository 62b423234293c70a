"""Company members' rights (SPEC §4): which flag an action needs, and the supervisor hierarchy.

Plain functions, no Frappe: rma_portal.access resolves the member and asks these.

Flags: BR branch registration, US manage company users, OR order on behalf of the company (its
orders, and seeing and answering quotations), RM service & RMA module (returns, service requests,
warranty claims and support tickets), FI finance (all invoices and payments), AD add and edit
addresses, PRO project administrator. The company's administrator may do everything.
"""

FLAGS = ("BR", "US", "OR", "RM", "FI", "AD", "PRO")

# Company Member field of each flag
FIELDS = {flag: "flag_" + flag.lower() for flag in FLAGS}

# What existing portal users could do before flags existed (every RMA and claim, ERPNext's own
# /invoices, /orders and /addresses pages): the migrate patch keeps it.
LEGACY_FLAGS = ("OR", "RM", "FI", "AD")

# A user linked to a customer by staff (Portal Users / Contact) without a Company Member record yet:
# the RMA module only, until the administrator gives more.
DEFAULT_FLAGS = ("RM",)

ANY_MEMBER = "member"
ADMIN_ONLY = "admin"

# area -> flag needed for every verb of it
AREA_FLAGS = {
	"rma": "RM",
	"service": "RM",
	"warranty": "RM",
	"invoice": "FI",
	"payment": "FI",
	"order": "OR",
	"quotation": "OR",
	"ticket": "RM",
	"member": "US",
	"branch": "BR",
}

# exact actions -> flag (or ANY_MEMBER / ADMIN_ONLY); looked up before the area
ACTION_FLAGS = {
	"address.read": ANY_MEMBER,
	"address.write": "AD",
	"project.read": ANY_MEMBER,
	"company.read": ANY_MEMBER,
	"company.switch": ANY_MEMBER,
	"company.activate": ADMIN_ONLY,
	"company.webhook": ADMIN_ONLY,  # the company's webhook endpoints (services/dealer_api/webhooks.py)
}

# areas every active member of an authorised company may use (read and, where they exist, create)
OPEN_AREAS = ("dashboard", "shipment", "file", "contract", "quote_request")


def needed(action: str) -> str | None:
	"""The flag `action` needs, ANY_MEMBER, ADMIN_ONLY, or None for an action nobody named (refused)."""
	if action in ACTION_FLAGS:
		return ACTION_FLAGS[action]
	area, _dot, verb = action.partition(".")
	if not verb:
		return None
	if area in AREA_FLAGS:
		return AREA_FLAGS[area]
	if area == "project":  # read is above; any other project action is the project administrator's
		return "PRO"
	if area in OPEN_AREAS:
		return ANY_MEMBER
	return None


def allows(action: str, flags, is_admin: bool = False) -> bool:
	"""May a member with `flags` (and admin state) do `action`? Unknown actions are refused."""
	need = needed(action)
	if need is None:
		return False
	if is_admin:
		return True
	if need == ANY_MEMBER:
		return True
	if need == ADMIN_ONLY:
		return False
	return need in set(flags)


def creates_cycle(member: str, supervisor: str | None, supervisors: dict) -> bool:
	"""Would `member` reporting to `supervisor` close a loop? `supervisors` maps each member of the
	company to its current supervisor (or None)."""
	seen = set()
	current = supervisor
	while current:
		if current == member:
			return True
		if current in seen:  # an existing loop elsewhere; not this member's
			return False
		seen.add(current)
		current = supervisors.get(current)
	return False


def reports_of(member: str, supervisors: dict) -> set[str]:
	"""Every member below `member` in the hierarchy (directly or further down), without `member`."""
	children: dict[str, list[str]] = {}
	for name, boss in supervisors.items():
		if boss:
			children.setdefault(boss, []).append(name)
	found, todo = set(), [member]
	while todo:
		for child in children.get(todo.pop(), ()):
			if child not in found and child != member:
				found.add(child)
				todo.append(child)
	return found


# -- who may give which rights (SPEC §4: rights are given only by someone who holds them) -----------

# why a change of rights is refused (the service words each one)
ADMIN_RECORD = "admin_record"  # the administrator's own record: theirs (or staff's) to change
OWN_RIGHTS = "own_rights"  # a member widening their own rights or scope
US_ADMIN_ONLY = "us_admin_only"  # only the administrator gives or takes US
NOT_HELD = "not_held"  # rights the acting member does not hold
SCOPE_NOT_HELD = "scope_not_held"  # "sees all of the company's documents" without seeing them all


def grant_refusal(
	actor_flags,
	actor_is_admin: bool,
	actor_all_documents: bool,
	is_self: bool,
	target_is_admin: bool,
	before_flags,
	after_flags,
	before_all_documents: bool = False,
	after_all_documents: bool = False,
) -> tuple[str, tuple[str, ...]] | None:
	"""Why a member with `actor_flags` may not change a member's rights from `before_flags` to
	`after_flags` (and the document scope), as (reason, flags concerned); None when they may.

	The administrator may give every right. A user manager (US) may give only rights they hold
	themselves, never US (the administrator's to give or take) and nothing to themselves."""
	if actor_is_admin:
		return None
	if target_is_admin:
		return (ADMIN_RECORD, ())
	before, after, held = set(before_flags), set(after_flags), set(actor_flags)
	added = after - before
	widens_scope = bool(after_all_documents) and not before_all_documents
	if is_self and (added or widens_scope):
		return (OWN_RIGHTS, tuple(f for f in FLAGS if f in added))
	if "US" in added or ("US" in before - after and not is_self):
		return (US_ADMIN_ONLY, ("US",))
	not_held = added - held
	if not_held:
		return (NOT_HELD, tuple(f for f in FLAGS if f in not_held))
	if widens_scope and not actor_all_documents:
		return (SCOPE_NOT_HELD, ())
	return None


# what the audit trail of a member records: each as (key, before, after) in this order
AUDITED = ("administrator", "enabled", "rights", "all_documents", "supervisor")


def audit_values(record) -> dict:
	"""The audited state of a member record (a dict with the Company Member fields), as text."""
	if not record:
		return {}
	return {
		"administrator": _yes_no(record.get("is_admin")),
		"enabled": _yes_no(record.get("enabled")),
		"rights": ", ".join(flag for flag, field in FIELDS.items() if record.get(field)),
		"all_documents": _yes_no(record.get("all_documents")),
		"supervisor": record.get("supervisor") or "",
	}


def audit_changes(before, after) -> list[tuple[str, str, str]]:
	"""What changed between two states of a member record: (key, before, after) for each audited
	value that differs; a new record (no `before`) lists what it was made with."""
	old, new = audit_values(before), audit_values(after)
	if not old:  # made: its rights, and whatever else is not a new member's default
		made = {
			"rights": True,
			"administrator": new["administrator"] == "1",
			"enabled": new["enabled"] == "0",
		}
		made.update(all_documents=new["all_documents"] == "1", supervisor=bool(new["supervisor"]))
		return [(key, "", new[key]) for key in AUDITED if made[key]]
	return [(key, old[key], new[key]) for key in AUDITED if old[key] != new[key]]


def _yes_no(value) -> str:
	return "1" if value else "0"


# The portal menu shows a page only to those who may open it (overrides/menu_rights.py): the action
# each route's page asks the access point for. Routes not listed are always shown.
MENU_ROUTE_ACTIONS = {
	"/portal": "dashboard.read",
	"/portal/orders": "order.read",
	"/portal/invoices": "invoice.read",
	"/portal/offers": "quotation.read",
	"/portal/quotes": "quote_request.read",
	"/portal/shipments": "shipment.read",
	"/portal/projects": "project.read",
	"/portal/contracts": "contract.read",
	"/portal/tickets": "ticket.read",
	"/portal/files": "file.read",
	"/rma": "rma.read",
	"/service": "rma.read",
	"/warranty": "warranty.read",
	"/company/users": "member.read",
	"/company/addresses": "address.read",
	# ERPNext's own pages (overrides/request_guard.py asks the same)
	"/invoices": "invoice.read",
	"/orders": "order.read",
	"/quotations": "quotation.read",
	"/projects": "project.read",
	"/issues": "ticket.read",
	"/addresses": "address.read",
	"/shipments": "shipment.read",
}
