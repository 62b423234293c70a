"""after_request: the answer to a login while Frappe's lock-out holds.

After too many failed logins (System Settings: "Allow Consecutive Login Attempts" within "Allow
Login After Fail" seconds, per user and per IP address) Frappe refuses the next login with a
SecurityException, before any hook of the app runs, and answers HTTP 500. The lock-out is no
server error: the answer becomes a 429 with a translated message saying when to try again.
"""

import json
import math

import frappe
from frappe import _
from frappe.auth import LoginAttemptTracker
from frappe.translate import get_language
from frappe.utils import format_time, get_datetime

LOGIN_PATHS = ("/api/method/login", "/api/v1/method/login", "/api/v2/method/login")


def after_request(response, request):
	if response is None or response.status_code < 500 or not _is_login(request):
		return
	until = locked_until(frappe.form_dict.get("usr"), getattr(frappe.local, "request_ip", None))
	if until:
		_answer_locked(response, until)


def _is_login(request) -> bool:
	return frappe.form_dict.get("cmd") == "login" or request.path.rstrip("/") in LOGIN_PATHS


def locked_until(user: str | None, ip: str | None):
	"""When the lock-out of this user name or IP address ends (the later one), or None."""
	settings = frappe.get_cached_doc("System Settings")
	attempts = settings.allow_consecutive_login_attempts or 0
	if attempts <= 0:
		return None
	keys = {ip, user, _user_name(user)} - {None, ""}
	ends = []
	for key in keys:
		tracker = LoginAttemptTracker(
			key, max_consecutive_login_attempts=attempts, lock_interval=settings.allow_login_after_fail
		)
		if not tracker.is_user_allowed():
			ends.append(get_datetime(tracker.login_failed_time) + tracker.lock_interval)
	return max(ends) if ends else None


def _user_name(login: str | None) -> str | None:
	"""The User a login name stands for (its e-mail address or user name), as the tracker keys it."""
	if not login or not isinstance(login, str):
		return None
	return frappe.db.get_value("User", {"email": login}, "name") or frappe.db.get_value(
		"User", {"username": login}, "name"
	)


def _answer_locked(response, until):
	frappe.local.lang = get_language()  # the login failed before Frappe set the guest's language
	seconds = max(1, math.ceil((until - get_datetime()).total_seconds()))
	message = _("Too many failed logins: logging in is locked for now. Please try again after {0}.").format(
		format_time(until)
	)
	response.status_code = 429
	response.headers["Retry-After"] = str(seconds)
	response.mimetype = "application/json"
	response.set_data(
		json.dumps(
			{
				"exc_type": "LoginLocked",
				"message": message,
				"_server_messages": json.dumps([json.dumps({"message": message, "indicator": "red"})]),
			}
		)
	)
