"""Old path of rma_portal.services.warranty.warranty_claims, kept for one release: background jobs queued
before the upgrade name this module (rma_portal.tests.test_job_paths). Remove in the release after."""

from rma_portal.services.warranty.warranty_claims import send_status_mail
