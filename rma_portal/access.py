"""The one answer to "may this user do X for this company?" for portal pages and whitelisted methods.

A portal user belongs to a customer through ERPNext's own links: the Customer's Portal Users table,
or a Contact (with this user) linked to the Customer. Their Company Member record of that customer
(SPEC §4) says what they may do there:

- the company must be authorised (`Customer.rma_portal_authorised`, set when staff accept a Company
  Authorisation, or on upgrade for companies whose users used the portal before); until then its
  members are blocked, with a message saying why and whom to ask;
- a disabled member may do nothing for that company;
- each action needs a flag (rma_portal.domain.members.needed): rma.* service.* warranty.* RM,
  invoice.* payment.* FI, order.* quotation.accept/reject OR, address.write AD, project.* other than
  read PRO, member.* US; the administrator may do everything; unknown actions are refused;
- a user linked by staff without a member record yet has DEFAULT_FLAGS (RM).

A user who is a member of several customers acts for the one chosen with the switcher (/company),
kept in their session and checked against their memberships on every request; never "the first".

The member is resolved once per request (frappe.local, like the customer list; one statement reads
both for the user's linked customers). Staff (RMA Manager, System Manager) keep their Frappe roles and
pass.
"""

import frappe
from frappe import _

from rma_portal.domain import api_keys
from rma_portal.domain import members as rules

STAFF_ROLES = ("System Manager", "RMA Manager")
SESSION_KEY = "rma_customer"
# frappe.local: the Dealer API Key this request was made with (set by overrides/api_keys.py)
API_KEY = "rma_portal_api_key"


def _cache(name: str) -> dict:
	if not hasattr(frappe.local, name):
		setattr(frappe.local, name, {})  # per request: frappe.local is reset for each one
	return getattr(frappe.local, name)


def api_key(user: str | None = None) -> frappe._dict | None:
	"""The dealer API key this request was made with (its user, customer and rights), when it acts as
	`user`; None for a browser's or a job's request. A key acts for its one customer only, with at most
	its member's rights (domain/api_keys.key_rights)."""
	key = getattr(frappe.local, API_KEY, None)
	if key and key.user == (user or frappe.session.user):
		return key
	return None


def linked_to_customers(doctype: str):
	"""Records of `doctype` (Contact, Address) joined to their Dynamic Links to a Customer, with the
	record's and the link's table: the caller picks the columns and the customer it asks about."""
	record = frappe.qb.DocType(doctype)
	link = frappe.qb.DocType("Dynamic Link")
	query = (
		frappe.qb.from_(record)
		.join(link)
		.on((link.parent == record.name) & (link.parenttype == doctype))
		.where(link.link_doctype == "Customer")
	)
	return query, record, link


def linked_customers(user: str) -> list[str]:
	"""Customers the user is linked to, from the Portal Users table and linked Contacts."""
	from_portal = frappe.get_all(
		"Portal User", filters={"user": user, "parenttype": "Customer"}, pluck="parent"
	)
	query, contact, link = linked_to_customers("Contact")
	from_contacts = query.select(link.link_name).where(contact.user == user).run(pluck=True)
	return sorted(set(from_portal) | set(from_contacts))


def linked_users(customer: str) -> list[str]:
	"""The customer's portal users (Portal Users table and Contacts with a user), for user management."""
	from_portal = frappe.get_all(
		"Portal User", filters={"parent": customer, "parenttype": "Customer"}, pluck="user"
	)
	query, contact, link = linked_to_customers("Contact")
	from_contacts = (
		query.select(contact.user).where((link.link_name == customer) & contact.user.isnotnull())
	).run(pluck=True)
	users = set(from_portal) | {user for user in from_contacts if user}
	website_users = frappe.get_all(
		"User", filters={"name": ["in", list(users) or [""]], "user_type": "Website User"}, pluck="name"
	)
	return sorted(website_users)


def customers_of(user: str | None = None) -> list[str]:
	"""Customers the user belongs to: linked ones, without those where their membership is disabled."""
	user = user or frappe.session.user
	if user == "Guest":
		return []
	cache = _cache("rma_portal_customers")
	if user not in cache:
		rows = _linked_memberships(user)
		known = _cache("rma_portal_members")
		for row in rows:  # member() of these customers needs no statement of its own in this request
			known.setdefault(
				(row.customer, user), _member_of(row.customer, user, row, row.authorised, row.blocked)
			)
		customers = sorted(row.customer for row in rows if row.name is None or row.enabled)
		key = api_key(user)
		cache[user] = [c for c in customers if c == key.customer] if key else customers
	return cache[user]


def _linked_memberships(user: str) -> list[frappe._dict]:
	"""The customers linked to the user (linked_customers), each with its authorisation and the user's
	Company Member record of it (fields None when there is none): what every portal request reads
	about its user, in one statement (five before: links, contacts, disabled members, member, customer)."""
	from rma_portal import membership as members

	fields = ", ".join(f"m.`{field}`" for field in members.MEMBER_FIELDS if field not in ("customer", "user"))
	return frappe.db.sql(
		f"""select linked.customer, c.rma_portal_authorised as authorised, c.disabled as blocked, {fields}
		from (
			select pu.parent as customer from `tabPortal User` pu
			where pu.user = %(user)s and pu.parenttype = 'Customer'
			union
			select link.link_name from `tabContact` contact
			join `tabDynamic Link` link on link.parent = contact.name and link.parenttype = 'Contact'
			where contact.user = %(user)s and link.link_doctype = 'Customer'
		) linked
		left join `tabCustomer` c on c.name = linked.customer
		left join `tabCompany Member` m on m.customer = linked.customer and m.user = %(user)s""",
		{"user": user},
		as_dict=True,
	)


def clear_cache():
	for name in ("rma_portal_customers", "rma_portal_members"):
		if hasattr(frappe.local, name):
			delattr(frappe.local, name)


def require_login(user: str | None = None):
	if (user or frappe.session.user) == "Guest":
		frappe.throw(_("Please log in to use the after-sales portal."), frappe.PermissionError)


def require_portal_user(user: str | None = None) -> str:
	"""The caller, when a logged-in portal user (Website User): adding a company needs no customer yet."""
	user = user or frappe.session.user
	require_login(user)
	if not is_portal_user(user):
		frappe.throw(_("Only portal users can do this."), frappe.PermissionError)
	if api_key(user):  # adding a company, answering invitations: the person, not their system
		frappe.throw(
			_("This is not available with an API key: sign in to the portal."), frappe.PermissionError
		)
	return user


# -- the customer a user acts for (the switcher) ----------------------------------------------------


def _is_session_user(user: str) -> bool:
	return bool(getattr(frappe.local, "session", None)) and frappe.session.user == user


def chosen_customer(user: str | None = None) -> str | None:
	"""The customer picked with the switcher in this session (not yet checked against memberships)."""
	user = user or frappe.session.user
	if not _is_session_user(user):
		return None
	return (frappe.session.data or {}).get(SESSION_KEY)


def choose_customer(customer: str, user: str | None = None) -> str:
	"""Act for `customer` from now on in this session; only a customer the user is a member of."""
	user = user or frappe.session.user
	require_login(user)
	if api_key(user):
		frappe.throw(_("An API key acts for its own company only."), frappe.PermissionError)
	if not customer or customer not in customers_of(user):  # thrown: the answer carries the reason
		frappe.throw(_("You are not a member of this company."), frappe.PermissionError)
	frappe.session.data[SESSION_KEY] = customer
	session_obj = getattr(frappe.local, "session_obj", None)
	if session_obj and not frappe.flags.in_test:
		session_obj.update(force=True)
	return customer


def acting_customer(user: str | None = None) -> str | None:
	"""The one customer the user acts for: their only one, or the one they chose; None otherwise."""
	user = user or frappe.session.user
	customers = customers_of(user)
	if len(customers) == 1:
		return customers[0]
	chosen = chosen_customer(user)
	return chosen if chosen in customers else None


def is_guest(user: str | None = None) -> bool:
	return (user or frappe.session.user) == "Guest"


def require_guest(user: str | None = None):
	"""The registration's guest methods: a logged-in user has an account already."""
	if not is_guest(user):
		frappe.throw(_("You are already logged in."), frappe.PermissionError)


def portal_customer(user: str | None = None) -> str:
	"""The customer a portal user acts for; PermissionError for guests, users with none, and users of
	several customers who have not chosen one."""
	user = user or frappe.session.user
	require_login(user)
	customers = customers_of(user)
	if not customers:
		frappe.throw(no_customer_message(user), frappe.PermissionError)
	customer = acting_customer(user)
	if not customer:
		request = getattr(frappe.local, "request", None)
		if (
			_is_session_user(user)
			and request
			and request.method == "GET"
			and not request.path.startswith("/api/")
		):
			frappe.flags.redirect_location = "/company"  # a page: to the switcher
			raise frappe.Redirect(302)
		frappe.throw(
			_("You act for several companies: choose one on the Company page (/company) first."),
			frappe.PermissionError,
		)
	return customer


def customer_for(action: str, user: str | None = None) -> str:
	"""The caller's customer, once `action` is allowed for it: the first line of every portal page
	and whitelisted method. PermissionError for guests, users without a customer, and refusals."""
	user = user or frappe.session.user
	customer = portal_customer(user)
	check(action, customer, user)
	return customer


def is_portal_user(user: str | None = None) -> bool:
	"""A Website User (a customer's employee), read from the session when it is the caller's."""
	user = user or frappe.session.user
	if user in ("Guest", "Administrator"):
		return False
	session = frappe.session if frappe.session and frappe.session.user == user else None
	user_type = session.data.get("user_type") if session and session.data else None
	return (user_type or frappe.get_cached_value("User", user, "user_type")) == "Website User"


def is_staff(user: str | None = None) -> bool:
	return bool(set(STAFF_ROLES) & set(frappe.get_roles(user or frappe.session.user)))


# -- the member ---------------------------------------------------------------------------------------


def member(customer: str, user: str | None = None) -> frappe._dict:
	"""The user's membership of `customer` as access sees it (once per request): flags, admin state,
	enabled, supervisor, whether the company is authorised. For a linked user with no record: the
	default flags."""
	from rma_portal import membership as members

	user = user or frappe.session.user
	cache = _cache("rma_portal_members")
	key = (customer, user)
	if key not in cache:  # read with customers_of for the user's linked customers
		row = members.load(customer, user)
		authorised, blocked = frappe.db.get_value(
			"Customer", customer, ["rma_portal_authorised", "disabled"]
		) or (0, 0)
		cache[key] = _member_of(customer, user, row, authorised, blocked)
	return cache[key]


def _member_of(customer: str, user: str, row, authorised, blocked=0) -> frappe._dict:
	"""member()'s answer from the user's Company Member record (`row`, None or without a name when
	there is none), the customer's authorisation and whether staff disabled the customer (blocked)."""
	from rma_portal import membership as members

	if row and row.name:
		return frappe._dict(
			name=row.name,
			customer=customer,
			user=user,
			enabled=bool(row.enabled),
			is_admin=bool(row.is_admin),
			flags=frozenset(members.flags_of(row)),
			supervisor=row.supervisor,
			all_documents=bool(row.all_documents),
			authorised=bool(authorised),
			blocked=bool(blocked),
		)
	return frappe._dict(
		name=None,
		customer=customer,
		user=user,
		enabled=True,
		is_admin=False,
		flags=frozenset(rules.DEFAULT_FLAGS),
		supervisor=None,
		all_documents=False,
		authorised=bool(authorised),
		blocked=bool(blocked),
	)


def no_customer_message(user: str) -> str:
	"""Why a user has no company to act for: their access was disabled, an invitation awaits their
	answer, or they were never linked."""
	from rma_portal import membership as members

	disabled = sorted(members.disabled_customers(user))
	if disabled:
		return disabled_message(disabled[0])
	invited = members.pending_invitation_company(user)
	if invited:
		return _("{0} invited you: accept the invitation on the Company page (/company) first.").format(
			invited
		)
	return _("Your user is not linked to a customer account.")


def disabled_message(customer: str) -> str:
	"""A member whose access the company's administrator or user manager disabled."""
	return (
		_("Your access to {0} has been disabled by the company.").format(customer) + " " + _ask_whom(customer)
	)


def account_blocked_message(customer: str) -> str:
	"""A company whose customer account our staff disabled in ERPNext: nobody of it may act for it."""
	return (
		_("The portal account of {0} is blocked by us.").format(customer)
		+ " "
		+ _("Please contact our customer service.")
	)


def _ask_whom(customer: str) -> str:
	from rma_portal import membership as members

	admin = members.administrator(customer)
	if admin:
		return _("Ask your company administrator, {0}.").format(frappe.utils.get_fullname(admin) or admin)
	return _("Ask the person who manages your company's portal access.")


def blocked_message(customer: str) -> str:
	"""Why a member of a company without an accepted administrator is blocked, and whom to ask."""
	pending = frappe.db.get_value(
		"Company Authorisation",
		{"customer": customer, "status": ["in", ["Open", "Submitted"]]},
		["user", "status"],
		as_dict=True,
	)
	why = _("{0} has no accepted company administrator yet, so its portal pages are closed.").format(customer)
	if pending and pending.status == "Submitted":
		who = frappe.utils.get_fullname(pending.user) or pending.user
		return (
			why
			+ " "
			+ _("{0} has sent the company's authorisation; our staff will decide on it soon.").format(who)
		)
	if pending:
		who = frappe.utils.get_fullname(pending.user) or pending.user
		return why + " " + _("Ask {0} to send the signed authorisation (Company page).").format(who)
	return (
		why
		+ " "
		+ _(
			"The company's owner or manager adds the company and sends the signed authorisation on the "
			"Company page (/company); ask them, or contact us."
		)
	)


def refusal(action: str, customer: str | None = None, user: str | None = None) -> str | None:
	"""Why `user` may not do `action` for `customer`, or None when they may. The one rule: `can` and
	`check` both ask it."""
	return _refusal(action, customer, user, explain=True)


def _refusal(action: str, customer: str | None, user: str | None, explain: bool) -> str | None:
	"""refusal(); without `explain` a refusal is any text, not the message (whom to ask, the pending
	authorisation), which would cost a query: `can` only needs yes or no (the menu asks it per item)."""
	user = user or frappe.session.user
	if user == "Guest":
		return _("Please log in to use the after-sales portal.")
	if is_staff(user):
		return None
	if not customer:
		customer = acting_customer(user)
		if not customer:
			return _("You are not allowed to do this for this customer.")
	customers = customers_of(user)
	if customer not in customers:
		return _("You are not allowed to do this for this customer.")
	if len(customers) > 1 and _is_session_user(user) and acting_customer(user) != customer:
		# the session acts for one company: another one's documents need the switcher first
		return _("You are not allowed to do this for this customer.")
	m = member(customer, user)
	if m.blocked:
		return account_blocked_message(customer) if explain else "blocked"
	if not m.enabled:
		return disabled_message(customer) if explain else "disabled"
	if not m.authorised and not m.is_admin:
		return blocked_message(customer) if explain else "blocked"
	if api_key(user) and action in api_keys.SESSION_ONLY_ACTIONS:
		return _("This is not available with an API key: sign in to the portal.") if explain else "key"
	flags, is_admin = rights_of(m)
	if rules.allows(action, flags, is_admin):
		return None
	if not explain:
		return "no right"
	need = rules.needed(action)
	if need in rules.FIELDS:
		from rma_portal import membership as members

		return (
			_("This needs the right {0}: {1}").format(
				members.flag_label(need), members.flag_description(need)
			)
			+ " "
			+ _ask_whom(customer)
		)
	return _("You are not allowed to do this for this customer.")


def rights_of(m: frappe._dict) -> tuple[frozenset, bool]:
	"""The (flags, administrator) a member acts with in this request: their own, or fewer when the
	request was made with an API key that has only some of them."""
	key = api_key(m.user)
	if not key or key.customer != m.customer:
		return m.flags, m.is_admin
	return api_keys.key_rights(m.flags, m.is_admin, bool(key.all_rights), key.flags_)


def can(action: str, customer: str | None = None, user: str | None = None) -> bool:
	"""May `user` do `action` (e.g. "rma.read", "rma.create") for `customer`?"""
	return _refusal(action, customer, user, explain=False) is None


def check(action: str, customer: str | None = None, user: str | None = None):
	reason = refusal(action, customer, user)
	if reason:  # thrown, so that an API answer carries the reason too (_server_messages)
		frappe.throw(reason, frappe.PermissionError)


def raised_by_filter(action: str, customer: str, user: str | None = None) -> list[str] | None:
	"""Whose documents of `customer` the user sees for `action` (after `check`): None for all of them
	(staff, the administrator, members who see all of the company's documents, FI for invoices and
	payments); otherwise the users whose documents they see: themselves and every member below them
	in the company's hierarchy (the supervisor rule). Pages filter on the document's raiser with it."""
	from rma_portal import membership as members

	user = user or frappe.session.user
	if is_staff(user):
		return None
	m = member(customer, user)
	if m.is_admin or m.all_documents:
		return None
	if rules.needed(action) == "FI" and "FI" in m.flags:
		return None
	if not m.name:
		return [user]
	return sorted({user} | members.report_users(m.name, customer))


def project_user_filter(customer: str, user: str | None = None) -> str | None:
	"""Whose projects of `customer` the user sees: None for all of them (PRO, the administrator,
	staff); otherwise the user, who sees the projects they are a Project User of (ERPNext's
	Project.users). Every page or method listing projects or their tasks filters with it."""
	user = user or frappe.session.user
	return None if can("project.write", customer, user) else user


def sees_raised_by(action: str, customer: str, raised_by: str | None, user: str | None = None) -> bool:
	"""May the user see one document of `customer` raised by `raised_by` (the supervisor rule)?"""
	if not can(action, customer, user):
		return False
	users = raised_by_filter(action, customer, user)
	return users is None or raised_by in users


def has_rma_permission(doc, ptype=None, user=None, verbose=False) -> bool:
	"""has_website_permission hook for RMA: a customer's portal users see that customer's RMAs (the
	ones they raised and their reports', unless they see all of the company's)."""
	return sees_raised_by("rma.read", doc.customer, doc.get("portal_user"), user)
