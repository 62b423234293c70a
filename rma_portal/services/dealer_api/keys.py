"""Dealer API keys: made and revoked on /company/users, checked on every request made with one.

A key belongs to one Company Member (one user of one customer). Its secret is shown once, when it is
made, and stored only as its SHA-256 (domain/api_keys.py). Frappe's own API keys (User.api_key and
api_secret) cannot serve here: a User has one key pair, for every customer the user belongs to and
with all of their rights, its secret is stored reversibly, and nothing records its use or limits it.
The header scheme is the app's own (`RmaKey`), so Frappe's token check never sees these keys.
"""

import frappe
from frappe import _
from werkzeug.exceptions import TooManyRequests

from rma_portal import access
from rma_portal.domain import api_keys as rules
from rma_portal.domain import members as member_rules
from rma_portal.domain.inputs import plain_text
from rma_portal.services.company import members

KEY = "Dealer API Key"
LAST_USED_EVERY_SECONDS = 60  # last_used is written at most once a minute per key


def _refusal_text(reason: str, flags: tuple[str, ...]) -> str:
	labels = ", ".join(flags)
	return {
		rules.NO_RIGHTS: _("Choose at least one right for the key."),
		rules.NOT_HELD_BY_MEMBER: _(
			"A key can only have rights its user holds; they do not hold {0}."
		).format(labels),
		rules.NOT_HELD_BY_ACTOR: _(
			"You can only give a key rights you hold yourself; you do not hold {0}."
		).format(labels),
		rules.ADMIN_RECORD: _("Only the company administrator can make keys for the administrator."),
	}[reason]


def create_key(
	customer: str,
	member_name: str,
	actor: str,
	label: str,
	all_rights: bool,
	flags: list[str],
	requests_per_minute: int | None = None,
) -> dict:
	"""Make a key for one member of `customer`; the answer holds the secret, which is never shown again."""
	target = members.member_of(customer, member_name)
	me = access.member(customer, actor)
	unknown = set(flags) - set(member_rules.FLAGS)
	if unknown:
		frappe.throw(
			_("{0} is not valid: {1} was expected.").format("rights", ", ".join(member_rules.FLAGS)),
			frappe.ValidationError,
		)
	refusal = rules.key_refusal(
		me.flags, me.is_admin, members.flags_of(target), bool(target.is_admin), all_rights, flags
	)
	if refusal:
		frappe.throw(_refusal_text(*refusal), frappe.PermissionError)
	label = plain_text(label).strip()  # customer-typed text stays plain text
	if not label:
		frappe.throw(
			_("{0} is not valid: {1} was expected.").format("label", _("a text")), frappe.ValidationError
		)
	key_id, secret = rules.new_key_id(), rules.new_secret()
	frappe.get_doc(
		{
			"doctype": KEY,
			"key_id": key_id,
			"label": label[:140],
			"customer": customer,
			"member": target.name,
			"user": target.user,
			"all_rights": int(all_rights),
			"rights": "" if all_rights else rules.rights_text(flags),
			"requests_per_minute": rules.requests_per_minute(requests_per_minute),
			"created_by": actor,
			"secret_hash": rules.secret_hash(secret),
		}
	).insert(ignore_permissions=True)
	return {"key_id": key_id, "secret": secret, "authorization": f"{rules.SCHEME} {key_id}:{secret}"}


def revoke_key(customer: str, key_id: str, actor: str) -> str:
	"""Revoke one of `customer`'s keys: refused from the next request on."""
	row = frappe.db.get_value(KEY, key_id, ["customer", "revoked"], as_dict=True, for_update=True)
	if not row or row.customer != customer:
		raise frappe.DoesNotExistError(_("This API key does not exist."))
	if not row.revoked:
		frappe.db.set_value(
			KEY, key_id, {"revoked": 1, "revoked_on": frappe.utils.now_datetime(), "revoked_by": actor}
		)
	return key_id


def list_keys(customer: str) -> list[dict]:
	"""The customer's keys for /company/users, newest first (never a secret or its hash)."""
	return frappe.get_all(
		KEY,
		filters={"customer": customer},
		fields=[
			"key_id",
			"label",
			"member",
			"user",
			"all_rights",
			"rights",
			"requests_per_minute",
			"created_by",
			"creation",
			"revoked",
			"revoked_on",
			"last_used",
			"last_used_ip",
		],
		order_by="revoked asc, creation desc",
	)


def authenticate(key_id: str, secret: str) -> frappe._dict:
	"""The key named by `key_id` when `secret` is its secret, it is not revoked and its user is an
	enabled portal user; AuthenticationError (401) otherwise, with one message for every case."""
	key = frappe.db.get_value(
		KEY,
		key_id,
		[
			"name",
			"customer",
			"member",
			"user",
			"all_rights",
			"rights",
			"requests_per_minute",
			"revoked",
			"secret_hash",
			"last_used",
		],
		as_dict=True,
	)
	valid = key and not key.revoked and rules.secret_matches(secret, key.secret_hash)
	if (
		not valid
		or not access.is_portal_user(key.user)
		or not frappe.db.get_value("User", key.user, "enabled")
	):
		frappe.throw(_("The API key is not valid or has been revoked."), frappe.AuthenticationError)
	key.flags_ = rules.parse_rights(key.rights)
	key.pop("secret_hash")
	return key


def count_request(key: frappe._dict):
	"""Refuse (HTTP 429) a key's call past its requests per minute."""
	limit = rules.requests_per_minute(key.requests_per_minute)
	window = int(frappe.utils.now_datetime().timestamp()) // 60
	cache_key = frappe.cache.make_key(f"rma_portal:key-rate:{key.name}:{window}")
	calls = frappe.cache.incrby(cache_key, 1)
	if calls == 1:
		frappe.cache.expire(cache_key, 60)
	if calls > limit:
		message = _("Too many requests with this API key: please wait a minute and try again.")
		request = getattr(frappe.local, "request", None)
		if request is not None and not request.path.startswith("/api/"):
			# a page: Frappe answers RateLimitExceededError there only for its own rate limiter
			# (frappe.app.handle_exception asks frappe.local.rate_limiter), else with no response at all
			raise TooManyRequests(message)
		frappe.throw(message, frappe.RateLimitExceededError)


def note_use(key: frappe._dict, ip: str | None):
	"""Record when (and from where) the key was last used, at most once a minute; after the answer
	was sent, in a transaction of its own."""
	now = frappe.utils.now_datetime()
	last = key.last_used and frappe.utils.get_datetime(key.last_used)
	if last and (now - last).total_seconds() < LAST_USED_EVERY_SECONDS:
		return
	frappe.db.rollback()  # what the request left uncommitted (a refused call) is not ours to write
	frappe.db.set_value(
		KEY, key.name, {"last_used": now, "last_used_ip": (ip or "")[:140]}, update_modified=False
	)
	frappe.db.commit()  # nosemgrep: after the answer, in a transaction of its own
