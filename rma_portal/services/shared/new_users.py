"""Frappe's limit on new users an hour, said before it is hit.

Frappe refuses a new User with a bare "Throttled" once more than `throttle_user_limit` (site config,
default 60) users were made in the last hour on the site (frappe.core.doctype.user.user.
throttle_user_creation). Every place of the app that makes a User — activation of a registration,
an invitation, an approved account request — asks here first, so the person is told in their
language when to try again, next to what they sent.
"""

import math

import frappe
from frappe import _
from frappe.utils import add_to_date, get_datetime, now_datetime

WINDOW_MINUTES = 60


class TooManyNewUsers(frappe.ValidationError):
	http_status_code = 429


def hourly_limit() -> int:
	return frappe.utils.cint(frappe.local.conf.get("throttle_user_limit", 60))


def minutes_until_room() -> int:
	"""Minutes until the oldest user of the last hour leaves the window (a new one can be made)."""
	oldest = frappe.get_all(
		"User",
		filters={"creation": (">=", add_to_date(now_datetime(), minutes=-WINDOW_MINUTES))},
		pluck="creation",
		order_by="creation asc",
		limit=1,
	)
	if not oldest:
		return 1
	ends = add_to_date(get_datetime(oldest[0]), minutes=WINDOW_MINUTES)
	return max(1, math.ceil((ends - now_datetime()).total_seconds() / 60))


def require_room_for_new_user() -> None:
	"""Refuse (429) with a message that says when to try again, where Frappe would say "Throttled"."""
	if frappe.db.get_creation_count("User", WINDOW_MINUTES) > hourly_limit():
		frappe.throw(
			_(
				"Many new user accounts were made on this portal in the last hour, more than it allows. Please try again in {0} minutes."
			).format(minutes_until_room()),
			TooManyNewUsers,
			title=_("Please try again later"),
		)
