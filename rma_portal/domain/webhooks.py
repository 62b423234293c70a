"""Dealer webhooks (issue 26): the events, which endpoints may be registered, the signature, and the
retry schedule. Plain functions, no Frappe: services/dealer_api/webhooks.py sends the deliveries.

Every delivery is a POST of a JSON body with the header

    X-RMA-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." followed by the body>

made with the endpoint's secret. A receiver recomputes it over the raw body it got, compares in
constant time and refuses a timestamp more than five minutes old (a replayed delivery).
"""

import hashlib
import hmac
import ipaddress
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-RMA-Signature"
EVENT_HEADER = "X-RMA-Event"
DELIVERY_HEADER = "X-RMA-Delivery"
TOLERANCE_SECONDS = 300

EVENTS = (
	"rma.status_changed",
	"credit_note.created",
	"warranty_claim.decided",
	"offer.received",
	"invoice.due",
	"invoice.overdue",
)

# minutes to wait after the n-th failed attempt; one more attempt than waits, then the delivery fails
RETRY_MINUTES = (1, 5, 30, 120, 720)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1
MAX_ENDPOINTS = 10
MAX_URL_LENGTH = 500

# why an endpoint is refused (the service words each one)
NOT_HTTPS = "not_https"
BAD_URL = "bad_url"
LOOPBACK = "loopback"
PRIVATE = "private"


def sign(secret: str, timestamp: int, body: bytes) -> str:
	"""The X-RMA-Signature header's value for `body` sent at `timestamp`."""
	mac = hmac.new(secret.encode(), f"{int(timestamp)}.".encode() + body, hashlib.sha256)
	return f"t={int(timestamp)},v1={mac.hexdigest()}"


def verify(
	secret: str, header: str | None, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
	"""Is `header` a signature of `body` with `secret`, made less than `tolerance` seconds before `now`?
	What a receiver does (the README's example is this function)."""
	parts = dict(part.split("=", 1) for part in (header or "").split(",") if "=" in part)
	try:
		timestamp = int(parts.get("t", ""))
	except ValueError:
		return False
	if abs(now - timestamp) > tolerance:
		return False
	expected = sign(secret, timestamp, body).split("v1=", 1)[1]
	return hmac.compare_digest(expected, parts.get("v1", ""))


def retry_after_minutes(attempts: int) -> int | None:
	"""Minutes to wait before the next attempt after `attempts` failed ones; None: give up."""
	if attempts < 1 or attempts >= MAX_ATTEMPTS:
		return None
	return RETRY_MINUTES[attempts - 1]


def _is_loopback_host(host: str) -> bool:
	return host == "localhost" or host.endswith(".localhost")


def url_refusal(url: str, developer_mode: bool) -> str | None:
	"""Why `url` may not be a dealer's endpoint, or None. HTTPS only; loopback (127.0.0.1, ::1,
	localhost), where http is then allowed too, only in developer mode; addresses of private,
	link-local and reserved networks never (the server would post into its own network)."""
	if not url or len(url) > MAX_URL_LENGTH or any(c.isspace() or c in "<>\"'\\" for c in url):
		return BAD_URL
	try:
		parts = urlsplit(url)
		port = parts.port  # raises on a port that is not a number
	except ValueError:
		return BAD_URL
	host = (parts.hostname or "").lower()
	if not host or parts.username or parts.password or port == 0:
		return BAD_URL
	refusal = address_refusal(host, developer_mode)
	if refusal:
		return refusal
	loopback = _is_loopback_host(host) or _is_loopback_address(host)
	if parts.scheme == "https" or (parts.scheme == "http" and loopback and developer_mode):
		return None
	return NOT_HTTPS


def _is_loopback_address(host: str) -> bool:
	try:
		return ipaddress.ip_address(host).is_loopback
	except ValueError:
		return False


def address_refusal(host: str, developer_mode: bool) -> str | None:
	"""Why a host name or IP address (as resolved before each delivery) may not be posted to."""
	if _is_loopback_host(host):
		return None if developer_mode else LOOPBACK
	try:
		address = ipaddress.ip_address(host)
	except ValueError:
		return None  # a name: its addresses are checked when it is resolved
	if address.is_loopback:
		return None if developer_mode else LOOPBACK
	if (
		address.is_private
		or address.is_link_local
		or address.is_multicast
		or address.is_reserved
		or address.is_unspecified
	):
		return PRIVATE
	return None


def parse_events(text: str | None) -> tuple[str, ...]:
	"""An endpoint's stored events (one a line) in the order of EVENTS; unknown ones dropped."""
	given = {line.strip() for line in (text or "").splitlines()}
	return tuple(event for event in EVENTS if event in given)
