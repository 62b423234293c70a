"""How many registration e-mails one address, and one IP address, may cause in an hour.

Counted are the e-mails the registration sends — an accepted registration form, a request for the
activation link again — never a refused form: a form with errors is answered with its errors, always,
so nobody can lock an address out by posting it with mistakes. Every accepted form sends exactly one
e-mail to the address (the activation link, "you already have an account", "no registration waiting"),
so the count says nothing about whether the address is known.

The limits are set in Dealer Registration Settings (empty: 5 and 10); the counts live in Redis for
an hour from the first e-mail, and the refusal (HTTP 429) says in how many minutes to try again.
"""

import hashlib
import math

import frappe
from frappe import _

WINDOW_SECONDS = 60 * 60
DEFAULT_PER_ADDRESS = 5
DEFAULT_PER_IP = 10


def limits() -> tuple[int, int]:
	"""(e-mails to one address, e-mails asked from one IP address) an hour."""
	doc = frappe.get_cached_doc("Dealer Registration Settings")
	return (
		frappe.utils.cint(doc.get("mails_per_address")) or DEFAULT_PER_ADDRESS,
		frappe.utils.cint(doc.get("mails_per_ip")) or DEFAULT_PER_IP,
	)


def counter_key(kind: str, value: str) -> str:
	digest = hashlib.sha256(str(value).encode()).hexdigest()[:32]
	return frappe.cache.make_key(f"rma_portal:mails:{kind}:{digest}")


def minutes_left(key: str) -> int:
	seconds = frappe.cache.ttl(key)
	return max(1, math.ceil((seconds if seconds and seconds > 0 else WINDOW_SECONDS) / 60))


def address_message(minutes: int) -> str:
	return _(
		"We already sent several e-mails to this address in the last hour. Please look in your inbox and spam folder, or try again in {0} minutes."
	).format(minutes)


def ip_message(minutes: int) -> str:
	return _(
		"Too many registration e-mails were asked for from your network in the last hour. Please try again in {0} minutes."
	).format(minutes)


def spend(email: str, ip: str | None) -> None:
	"""Count one e-mail to `email` asked from `ip`, or refuse (429) when either limit is reached
	(nothing is counted then)."""
	per_address, per_ip = limits()
	counters = [(counter_key("address", email), per_address, address_message)]
	if ip:
		counters.append((counter_key("ip", ip), per_ip, ip_message))
	for key, limit, message in counters:
		if int(frappe.cache.get(key) or 0) >= limit:
			frappe.throw(message(minutes_left(key)), frappe.RateLimitExceededError, title=_("Please wait"))
	for key, _limit, _message in counters:
		if frappe.cache.incrby(key, 1) == 1:
			frappe.cache.expire(key, WINDOW_SECONDS)
