"""before_request / before_job: a read replica that is down costs the read_only methods nothing.

Frappe (v15) sends a method marked `@frappe.read_only()` to the replica when the site has
`read_from_replica` (frappe.connect_replica). The replica's connection is opened by the method's
first query, so with the replica down every such method answered 500 until `read_from_replica` was
switched off by hand. The app's connect_replica opens the connection at once instead; when it cannot,
it logs a warning (logs/rma_portal.replica.log), leaves the request on the primary and reads from the
primary for `replica_retry_seconds` (site config, default 10) before it tries the replica again, so a
replica that is back is used again within that time, and one that is unreachable slows at most one
request per window and process.

Installed by replacing frappe.connect_replica, which frappe.read_only() and Frappe's read-only
maintenance mode call by that name (docs/v16-compatibility.md).
"""

import logging
import time

import frappe

DEFAULT_RETRY_SECONDS = 10
# per process: time.monotonic() before which the replica is not tried again
_replica_down_until = 0.0


def before_request():
	install()


def before_job():
	install()


def install():
	original = getattr(frappe, "connect_replica", None)
	if original is None or getattr(original, "falls_back", False):
		return
	frappe.connect_replica = _with_fallback(original)


def _with_fallback(frappe_connect_replica):
	def connect_replica() -> bool:
		global _replica_down_until
		if time.monotonic() < _replica_down_until:
			return False  # the replica failed a moment ago: stay on the primary
		switched = frappe_connect_replica()
		if not switched:
			return False
		try:
			frappe.local.db.connect()
		except Exception as error:  # any driver's refusal: the replica is not there to read from
			_back_to_primary()
			_replica_down_until = time.monotonic() + _retry_seconds()
			_logger().warning(
				"read replica %s:%s unreachable (%s): reading from the primary for %s s",
				frappe.conf.replica_host,
				frappe.conf.replica_db_port,
				error,
				_retry_seconds(),
			)
			return False
		if _replica_down_until:
			_replica_down_until = 0.0
			_logger().warning(
				"read replica %s:%s answers again", frappe.conf.replica_host, frappe.conf.replica_db_port
			)
		return True

	connect_replica.falls_back = True
	return connect_replica


def _back_to_primary():
	local = frappe.local
	local.db = local.primary_db
	del local.primary_db
	del local.replica_db
	if frappe.flags.read_only:  # maintenance mode's read-only requests stay read-only on the primary
		local.db.begin(read_only=True)


def _retry_seconds() -> float:
	return float(frappe.conf.get("replica_retry_seconds", DEFAULT_RETRY_SECONDS))


def _logger():
	logger = frappe.logger("rma_portal.replica", allow_site=True)
	if logger.level > logging.WARNING:  # Frappe's loggers keep only errors unless in developer mode
		logger.setLevel(logging.WARNING)
	return logger
