"""Dealer account requests (SPEC §3): which fields each request type uses and which it needs.

The portal form shows only a type's fields and the server checks the same table, so both agree.
Plain data and functions, no Frappe.
"""

CREATE = "Create business account and add user"
ADD_USER = "Add user to existing account"
EDIT = "Edit business account and/or user"
REMOVE = "Remove access"
TYPES = (CREATE, ADD_USER, EDIT, REMOVE)

OPEN, APPROVED, REJECTED = "Open", "Approved", "Rejected"

# account fields that say which account a request is about, not what should change
ACCOUNT_NAMING = ("existing_account", "account_name")
# what an account is: its name, language, address and VAT number
ACCOUNT_DETAILS = (
	"new_account_name",
	"account_language",
	"country",
	"address_line1",
	"city",
	"pincode",
	"vat_prefix",
	"tax_id",
)
ACCOUNT_FIELDS = (*ACCOUNT_NAMING, *ACCOUNT_DETAILS)
# who a user is, besides their e-mail address
USER_DETAILS = ("first_name", "last_name", "job_role", "user_language", "time_zone")
USER_FIELDS = ("user_email", "new_user_email", *USER_DETAILS)

# fields each type shows, in form order (notes always)
FIELDS = {
	CREATE: (*ACCOUNT_DETAILS, "user_email", *USER_DETAILS, "notes"),
	ADD_USER: ("account_name", "user_email", *USER_DETAILS, "notes"),
	EDIT: ("account_name", *ACCOUNT_DETAILS, *USER_FIELDS, "notes"),
	REMOVE: ("account_name", "user_email", "notes"),
}

REQUIRED = {
	CREATE: ("new_account_name", "user_email", "last_name"),
	ADD_USER: ("user_email", "last_name"),
	EDIT: (),
	REMOVE: ("user_email",),
}

# an edit must change at least one of these
EDIT_CHANGES = (
	"new_account_name",
	"account_language",
	"address_line1",
	"tax_id",
	"new_user_email",
	*USER_DETAILS,
)

# the address is made or changed only when these are all given
ADDRESS_NEEDS = ("address_line1", "city", "country")
ADDRESS_FIELDS = ("address_line1", "city", "pincode", "country")
# what makes the address part of a request started (the country may be a default)
ADDRESS_STARTS = ("address_line1", "city")


def shown_fields(request_type: str) -> tuple[str, ...]:
	return FIELDS.get(request_type, ())


def missing_fields(request_type: str, values: dict, has_account: bool) -> list[str]:
	"""The fields a request of this type still needs (in form order). `has_account`: the requester's
	account is known (or staff picked one), so an existing-account type needs no account name."""
	missing = [f for f in REQUIRED.get(request_type, ()) if not _given(values.get(f))]
	if (
		request_type in (ADD_USER, EDIT, REMOVE)
		and not has_account
		and not _given(values.get("account_name"))
	):
		missing.insert(0, "account_name")
	if request_type == CREATE or (request_type == EDIT and _given(values.get("address_line1"))):
		given = [f for f in ADDRESS_NEEDS if _given(values.get(f))]
		# a country alone starts no address: Frappe fills the field with the site's default country
		if any(f in given for f in ADDRESS_STARTS) and len(given) < len(ADDRESS_NEEDS):
			missing += [f for f in ADDRESS_NEEDS if f not in given and f not in missing]
	return missing


def changes_nothing(request_type: str, values: dict) -> bool:
	return request_type == EDIT and not any(_given(values.get(f)) for f in EDIT_CHANGES)


def unused_fields(request_type: str, values: dict) -> list[str]:
	"""Fields given that this type does not use: cleared before saving, so the record says only what
	the request asks."""
	shown = set(shown_fields(request_type))
	return [f for f in (*ACCOUNT_FIELDS, *USER_FIELDS) if f not in shown and _given(values.get(f))]


def manages_users(request_type: str, values: dict, requester: str) -> bool:
	"""Does a request about an existing account manage the company's users (add, remove, or change
	someone else or the account)? Changing only one's own user details does not."""
	if request_type in (ADD_USER, REMOVE):
		return True
	if request_type != EDIT:
		return False
	own = str(values.get("user_email") or "").strip().lower() in ("", str(requester or "").lower())
	account_change = any(_given(values.get(f)) for f in ACCOUNT_FIELDS if f not in ACCOUNT_NAMING)
	return not own or account_change


# the requester's relation to the account a request is about (services/accounts/account_requests.py finds it)
STAFF = "staff"
ADMINISTRATOR = "administrator"
USER_MANAGER = "user manager"
MEMBER = "member"
NO_RELATION = "none"
MANAGING = (ADMINISTRATOR, USER_MANAGER)


def requester_may(request_type: str, values: dict, requester: str, relation: str) -> bool:
	"""May a requester with `relation` to the account file (and have approved) this request? Anyone may
	ask to open a new account; adding, changing or removing the account's users or the account itself
	needs its administrator or a user manager (US); a user of it may ask to change their own details."""
	if request_type == CREATE or relation == STAFF:
		return True
	if manages_users(request_type, values, requester):
		return relation in MANAGING
	return relation in (*MANAGING, MEMBER)


def job_roles(text: str | None) -> list[str]:
	"""The configured job roles, one a line, blank lines and repeats left out."""
	roles = []
	for line in (text or "").splitlines():
		role = line.strip()
		if role and role not in roles:
			roles.append(role)
	return roles


def _given(value) -> bool:
	return value not in (None, "", 0) and str(value).strip() != ""
