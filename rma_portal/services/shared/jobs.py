"""Background jobs that start once the current transaction commits."""

import frappe


def enqueue_after_commit(method: str, queue: str = "short", **kwargs) -> None:
	"""Queue `method` (a dotted path) with `kwargs` once the transaction commits, so the job reads
	what this request wrote; tests (no worker) run it at once, in the same process."""
	frappe.enqueue(method, queue=queue, enqueue_after_commit=True, now=bool(frappe.flags.in_test), **kwargs)
