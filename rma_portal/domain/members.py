"""Company members' rights (SPEC §4): which flag an action needs, and the supervisor hierarchy.

Plain functions, no Frappe: rma_portal.access resolves the member and asks these.

Flags: BR branch registration, US manage company users, OR order on behalf of the company (and
answer quotations), RM service & RMA module, FI finance (all invoices and payments), AD add and edit
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
	"member": "US",
	"branch": "BR",
}

# exact actions -> flag (or ANY_MEMBER / ADMIN_ONLY); looked up before the area
ACTION_FLAGS = {
	"quotation.accept": "OR",
	"quotation.reject": "OR",
	"quotation.read": ANY_MEMBER,
	"address.read": ANY_MEMBER,
	"address.write": "AD",
	"project.read": ANY_MEMBER,
	"company.read": ANY_MEMBER,
	"company.switch": ANY_MEMBER,
	"company.activate": ADMIN_ONLY,
}

# areas every active member of an authorised company may use (read and, where they exist, create)
OPEN_AREAS = ("dashboard", "shipment", "ticket", "file", "contract", "quote_request")


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
