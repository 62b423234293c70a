"""A serial number in an open service request is locked like a delivered line (SPEC §1).

Two requests for one serial sent at the same moment both pass the rules (each reads before the
other commits). So, just before inserting, the request takes a database lock per serial number
(MariaDB GET_LOCK, named after the site's database and the serial, in sorted order so two
requests never wait on each other), reads the open requests again with a locking read (the
latest committed rows, not the transaction's snapshot) and only then inserts. The locks are
released when the transaction commits or rolls back, so the second request sees the first's RMA.
"""

import hashlib

import frappe
from frappe import _

LOCK_WAIT_SECONDS = 10


def lock_name(serial: str) -> str:
	"""GET_LOCK names are server-wide and at most 64 characters: hash the database and serial."""
	digest = hashlib.sha1(f"{frappe.conf.db_name}\x00{serial}".encode(), usedforsecurity=False).hexdigest()
	return f"rma_serial_{digest}"


def lock_serials(serials) -> None:
	"""Hold a lock on every serial until the transaction ends; a serial locked longer than
	LOCK_WAIT_SECONDS by another request is refused with a clear error."""
	names = sorted({lock_name(s) for s in serials if s})
	taken = []
	for name in names:
		if frappe.db.sql("select get_lock(%s, %s)", (name, LOCK_WAIT_SECONDS))[0][0] != 1:
			_release(taken)
			frappe.throw(
				_("Serial number: another request for it is being sent; please try again in a moment."),
				frappe.ValidationError,
			)
		taken.append(name)
	if taken:
		frappe.db.after_commit.add(lambda: _release(taken))
		frappe.db.after_rollback.add(lambda: _release(taken))


def _release(names) -> None:
	for name in names:
		try:
			frappe.db.sql("select release_lock(%s)", (name,))
		except Exception:
			pass  # the connection is gone: the server released the lock with it
