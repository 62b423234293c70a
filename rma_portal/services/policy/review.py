"""Old path of rma_portal.services.returns.review, kept for one release: approvals queued and the
daily digest scheduled before the upgrade name this module (rma_portal.tests.test_job_paths). Remove
in the release after."""

from rma_portal.services.returns.review import issue_approved, send_overdue_digest
