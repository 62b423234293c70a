"""Dealer API keys (issue 26): the header that carries one, how its secret is kept, and the rights a
key acts with. Plain functions, no Frappe: services/dealer_api/keys.py stores and checks keys,
rma_portal.access narrows a member's rights with `key_rights`.

A key is `Authorization: RmaKey <key id>:<secret>`. The key id is public (it names the key in lists
and logs); the secret is 32 random bytes shown once when the key is made and stored only as its
SHA-256 (a secret of that strength needs no slow hash: nobody can guess it from the digest).
"""

import hashlib
import hmac
import secrets

from rma_portal.domain import members as rules

SCHEME = "RmaKey"
KEY_ID_PREFIX = "rk_"
KEY_ID_HEX = 16
SECRET_BYTES = 32

# calls a key may make per minute unless its maker chose another number
DEFAULT_REQUESTS_PER_MINUTE = 120
MAX_REQUESTS_PER_MINUTE = 1200

# actions that need the person at a browser: a key never makes keys or webhooks, nor switches company
SESSION_ONLY_ACTIONS = frozenset({"member.key", "company.webhook", "company.switch"})


class BadKeyHeader(ValueError):
	"""An Authorization header of the RmaKey scheme that is not `<key id>:<secret>`."""


def new_key_id() -> str:
	return KEY_ID_PREFIX + secrets.token_hex(KEY_ID_HEX // 2)


def new_secret() -> str:
	return secrets.token_urlsafe(SECRET_BYTES)


def secret_hash(secret: str) -> str:
	return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str | None) -> bool:
	"""Does `secret` hash to `stored_hash`? Compared in constant time."""
	return bool(stored_hash) and hmac.compare_digest(secret_hash(secret), stored_hash)


def parse_header(header: str | None) -> tuple[str, str] | None:
	"""(key id, secret) from an `Authorization: RmaKey <id>:<secret>` header; None for any other
	scheme or no header (Frappe's own token and OAuth headers stay Frappe's); BadKeyHeader when the
	scheme is ours and the value is not an id and a secret."""
	scheme, _space, value = (header or "").strip().partition(" ")
	if scheme.lower() != SCHEME.lower():
		return None
	key_id, colon, secret = value.strip().partition(":")
	if (
		not colon
		or not key_id.startswith(KEY_ID_PREFIX)
		or not secret
		or len(key_id) > 64
		or len(secret) > 256
	):
		raise BadKeyHeader(SCHEME)
	return key_id, secret


def parse_rights(text: str | None) -> tuple[str, ...]:
	"""A key's stored rights ("RM,FI") as flags in the order of members.FLAGS; unknown ones dropped."""
	given = {part.strip() for part in (text or "").split(",")}
	return tuple(flag for flag in rules.FLAGS if flag in given)


def rights_text(flags) -> str:
	return ",".join(flag for flag in rules.FLAGS if flag in set(flags))


def key_rights(member_flags, member_is_admin: bool, all_rights: bool, key_flags) -> tuple[frozenset, bool]:
	"""The (flags, administrator) a request made with a key acts with: the member's own when the key
	has all of them, else the key's chosen rights among those the member holds now (an administrator
	holds every right), never the administrator's own actions. A member who loses a right loses it
	for their keys too."""
	if all_rights:
		return frozenset(member_flags), bool(member_is_admin)
	held = set(rules.FLAGS) if member_is_admin else set(member_flags)
	return frozenset(held & set(key_flags)), False


# why a key may not be made (the service words each one)
NOT_HELD_BY_MEMBER = "not_held_by_member"  # rights the member does not hold
NOT_HELD_BY_ACTOR = "not_held_by_actor"  # a user manager giving a key rights they do not hold
ADMIN_RECORD = "admin_record"  # a user manager making a key for the administrator
NO_RIGHTS = "no_rights"  # a key with a chosen set of no rights at all


def key_refusal(
	actor_flags,
	actor_is_admin: bool,
	target_flags,
	target_is_admin: bool,
	all_rights: bool,
	key_flags,
) -> tuple[str, tuple[str, ...]] | None:
	"""Why a key for a member with `target_flags` may not be made by a member with `actor_flags`, as
	(reason, flags concerned); None when it may. A key has at most the member's rights; a user manager
	(not the administrator) makes keys only with rights they hold themselves, and none for the
	administrator (as they may not touch the administrator's record)."""
	target = set(rules.FLAGS) if target_is_admin else set(target_flags)
	wanted = target if all_rights else set(key_flags)
	if not all_rights and not wanted:
		return (NO_RIGHTS, ())
	if not all_rights and wanted - target:
		return (NOT_HELD_BY_MEMBER, tuple(f for f in rules.FLAGS if f in wanted - target))
	if actor_is_admin:
		return None
	if target_is_admin:
		return (ADMIN_RECORD, ())
	beyond = wanted - set(actor_flags)
	if beyond:
		return (NOT_HELD_BY_ACTOR, tuple(f for f in rules.FLAGS if f in beyond))
	return None


def requests_per_minute(value) -> int:
	"""A key's limit as stored: the default for none, bounded by MAX_REQUESTS_PER_MINUTE."""
	try:
		number = int(value or 0)
	except (TypeError, ValueError):
		number = 0
	if number <= 0:
		return DEFAULT_REQUESTS_PER_MINUTE
	return min(number, MAX_REQUESTS_PER_MINUTE)
