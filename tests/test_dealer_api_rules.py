"""The dealer API's rules without Frappe (domain/api_keys.py, domain/webhooks.py): the key header,
the rights a key acts with and who may make which key, the webhook signature, which endpoint
addresses are refused, and the retry schedule."""

import pytest

from rma_portal.domain import api_keys as keys
from rma_portal.domain import webhooks as hooks


def test_the_header_is_ours_only_with_our_scheme():
	assert keys.parse_header("RmaKey rk_0011aabb:s3cret") == ("rk_0011aabb", "s3cret")
	assert keys.parse_header("rmakey rk_0011aabb:s:with:colons") == ("rk_0011aabb", "s:with:colons")
	for frappes in (None, "", "token abc:def", "Bearer xyz", "Basic YWJjOmRlZg=="):
		assert keys.parse_header(frappes) is None
	for broken in ("RmaKey", "RmaKey rk_1", "RmaKey rk_1:", "RmaKey other:secret", "RmaKey :secret"):
		with pytest.raises(keys.BadKeyHeader):
			keys.parse_header(broken)


def test_the_secret_is_kept_as_its_hash_and_compared_whole():
	secret = keys.new_secret()
	stored = keys.secret_hash(secret)
	assert secret not in stored and len(stored) == 64
	assert keys.secret_matches(secret, stored)
	assert not keys.secret_matches(secret + "x", stored)
	assert not keys.secret_matches(secret, None)
	assert keys.new_key_id().startswith("rk_") and keys.new_key_id() != keys.new_key_id()


def test_a_key_acts_with_the_members_rights_or_fewer():
	assert keys.key_rights(("RM", "FI"), False, True, ()) == (frozenset({"RM", "FI"}), False)
	assert keys.key_rights(("RM", "FI"), False, False, ("RM",)) == (frozenset({"RM"}), False)
	# never a right the member lost, never the administrator's own actions through a narrowed key
	assert keys.key_rights(("RM",), False, False, ("RM", "FI")) == (frozenset({"RM"}), False)
	assert keys.key_rights((), True, False, ("FI",)) == (frozenset({"FI"}), False)
	assert keys.key_rights((), True, True, ()) == (frozenset(), True)


def test_who_may_make_which_key():
	admin = dict(actor_flags=(), actor_is_admin=True)
	manager = dict(actor_flags=("US", "RM"), actor_is_admin=False)
	assert (
		keys.key_refusal(
			**admin, target_flags=("RM",), target_is_admin=False, all_rights=False, key_flags=("RM",)
		)
		is None
	)
	assert keys.key_refusal(
		**admin, target_flags=("RM",), target_is_admin=False, all_rights=False, key_flags=("FI",)
	) == (
		keys.NOT_HELD_BY_MEMBER,
		("FI",),
	)
	assert (
		keys.key_refusal(**admin, target_flags=(), target_is_admin=False, all_rights=False, key_flags=())[0]
		== keys.NO_RIGHTS
	)
	assert keys.key_refusal(
		**manager, target_flags=("RM", "FI"), target_is_admin=False, all_rights=True, key_flags=()
	) == (
		keys.NOT_HELD_BY_ACTOR,
		("FI",),
	)
	assert (
		keys.key_refusal(
			**manager, target_flags=("RM", "FI"), target_is_admin=False, all_rights=False, key_flags=("RM",)
		)
		is None
	)
	assert (
		keys.key_refusal(
			**manager, target_flags=(), target_is_admin=True, all_rights=False, key_flags=("RM",)
		)[0]
		== keys.ADMIN_RECORD
	)


def test_requests_per_minute_are_bounded():
	assert keys.requests_per_minute(None) == keys.DEFAULT_REQUESTS_PER_MINUTE
	assert keys.requests_per_minute("abc") == keys.DEFAULT_REQUESTS_PER_MINUTE
	assert keys.requests_per_minute(5) == 5
	assert keys.requests_per_minute(10**9) == keys.MAX_REQUESTS_PER_MINUTE


def test_a_signature_verifies_only_its_own_body_secret_and_time():
	body = b'{"event": "rma.status_changed"}'
	header = hooks.sign("whsec_a", 1_700_000_000, body)
	assert header.startswith("t=1700000000,v1=")
	assert hooks.verify("whsec_a", header, body, 1_700_000_100)
	assert not hooks.verify("whsec_b", header, body, 1_700_000_100)
	assert not hooks.verify("whsec_a", header, body + b" ", 1_700_000_100)
	assert not hooks.verify("whsec_a", header, body, 1_700_000_000 + hooks.TOLERANCE_SECONDS + 1)
	assert not hooks.verify("whsec_a", header.replace("t=1700000000", "t=1700000050"), body, 1_700_000_100)
	for broken in (None, "", "v1=abc", "t=x,v1=abc"):
		assert not hooks.verify("whsec_a", broken, body, 1_700_000_100)


@pytest.mark.parametrize(
	"url, developer_mode, refusal",
	[
		("https://erp.example.com/hooks/rma", False, None),
		("https://erp.example.com:8443/x", False, None),
		("http://erp.example.com/hooks", False, hooks.NOT_HTTPS),
		("http://127.0.0.1:8999/hook", False, hooks.LOOPBACK),
		("http://127.0.0.1:8999/hook", True, None),
		("http://localhost/hook", True, None),
		("https://localhost/hook", False, hooks.LOOPBACK),
		("https://[::1]/hook", False, hooks.LOOPBACK),
		("https://10.1.2.3/hook", True, hooks.PRIVATE),
		("https://192.168.1.1/hook", False, hooks.PRIVATE),
		("https://169.254.169.254/latest", True, hooks.PRIVATE),
		("https://0.0.0.0/hook", False, hooks.PRIVATE),
		("https://user:pw@erp.example.com/", False, hooks.BAD_URL),
		("https://erp.example.com/<script>", False, hooks.BAD_URL),
		("https://erp.example.com:notaport/", False, hooks.BAD_URL),
		("ftp://erp.example.com/", False, hooks.NOT_HTTPS),
		("", False, hooks.BAD_URL),
		("https://" + "a" * 600 + ".com/", False, hooks.BAD_URL),
	],
)
def test_which_endpoint_addresses_are_refused(url, developer_mode, refusal):
	assert hooks.url_refusal(url, developer_mode) == refusal


def test_retries_back_off_then_give_up():
	waits = [hooks.retry_after_minutes(n) for n in range(1, hooks.MAX_ATTEMPTS + 1)]
	assert waits == [1, 5, 30, 120, 720, None]
	assert waits[:-1] == sorted(waits[:-1])
	assert hooks.parse_events("invoice.due\nbogus\nrma.status_changed") == (
		"rma.status_changed",
		"invoice.due",
	)
