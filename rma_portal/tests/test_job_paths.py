"""Jobs queued by the release before the capability packages name the flat module paths
(rma_portal.services.documents, …): after an upgrade the worker must still find them. Each old
path resolves to the very function of its new package, and a job queued by its old path runs."""

import frappe
from frappe.tests.utils import FrappeTestCase

# old dotted path -> new dotted path
MOVED_JOBS = {
	"rma_portal.services.documents.make_documents_and_confirm": "rma_portal.services.returns.documents.make_documents_and_confirm",
	"rma_portal.services.documents.retry_missing_documents": "rma_portal.services.returns.documents.retry_missing_documents",
	"rma_portal.services.service_csv.run_service_csv_job": "rma_portal.services.service.service_csv.run_service_csv_job",
	"rma_portal.services.service_rma.make_documents_batch": "rma_portal.services.service.service_rma.make_documents_batch",
	"rma_portal.services.warranty_claims.send_status_mail": "rma_portal.services.warranty.warranty_claims.send_status_mail",
	# the review queue moved from policy/ to returns/ (issue 23: packages import one way)
	"rma_portal.services.policy.review.issue_approved": "rma_portal.services.returns.review.issue_approved",
	"rma_portal.services.policy.review.send_overdue_digest": "rma_portal.services.returns.review.send_overdue_digest",
}


class TestOldJobPaths(FrappeTestCase):
	def test_each_old_path_is_the_new_function(self):
		for old, new in MOVED_JOBS.items():
			with self.subTest(old=old):
				self.assertIs(frappe.get_attr(old), frappe.get_attr(new))

	def test_hooks_name_only_new_paths(self):
		hooks = frappe.get_hooks(app_name="rma_portal")
		named = repr({key: hooks.get(key) for key in ("doc_events", "scheduler_events", "jinja")})
		for old in MOVED_JOBS:
			self.assertNotIn(old.rpartition(".")[0] + ".", named)

	def test_a_job_queued_by_its_old_path_runs(self):
		"""The scheduler's retry job, queued by the old path as an upgraded site's queue holds it,
		runs (now=True executes it through frappe.get_attr, as a worker does)."""
		result = frappe.enqueue("rma_portal.services.documents.retry_missing_documents", now=True)
		self.assertIsInstance(result, list)
