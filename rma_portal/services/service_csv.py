"""Old path of rma_portal.services.service.service_csv, kept for one release: background jobs queued
before the upgrade name this module (rma_portal.tests.test_job_paths). Remove in the release after."""

from rma_portal.services.service.service_csv import run_service_csv_job
