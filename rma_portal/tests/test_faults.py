"""Faults: the return documents' job fails (wkhtmltopdf down, a broken template). Nothing of the RMA
is lost, staff see it on the RMA's timeline and in the Error Log, and the scheduler builds the
documents later, a bounded number of times."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from rma_portal.domain.transitions import RMA_ACCEPTED
from rma_portal.services.returns import documents


def broken_pdf(doc):
	raise OSError("wkhtmltopdf exited with code 1")


class TestDocumentJobFaults(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.rma = frappe.get_all(
			"RMA",
			filters={"status": ("in", RMA_ACCEPTED)},
			pluck="name",
			order_by="creation desc",
			limit=1,
		)[0]
		self.before = frappe.db.get_value(
			"RMA", self.rma, ["status", "modified", "submitted_on", documents.DOCUMENTS_FIELD], as_dict=True
		)
		frappe.db.set_value(
			"RMA",
			self.rma,
			{documents.DOCUMENTS_FIELD: None, "submitted_on": add_to_date(now_datetime(), hours=-1)},
			update_modified=False,
		)
		frappe.cache.delete_value(documents._attempts_key(self.rma))
		self.started = now_datetime()

	def tearDown(self):
		# the retry job commits each RMA (as in production): put the demo RMA back as it was
		frappe.db.rollback()
		frappe.cache.delete_value(documents._attempts_key(self.rma))
		# documents built by the test replaced the old file (kept then); none built: the old one is back
		built = frappe.db.get_value("RMA", self.rma, documents.DOCUMENTS_FIELD)
		frappe.db.set_value(
			"RMA",
			self.rma,
			{
				documents.DOCUMENTS_FIELD: built or self.before.documents,
				"submitted_on": self.before.submitted_on,
				"modified": self.before.modified,
			},
			update_modified=False,
		)
		frappe.db.commit()

	def comments(self) -> list[str]:
		return frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "RMA",
				"reference_name": self.rma,
				"comment_type": "Info",
				"creation": (">=", self.started),
			},
			pluck="content",
			order_by="creation asc",
		)

	def error_logs(self) -> int:
		return frappe.db.count("Error Log", {"method": ("like", f"%{self.rma}%")})

	def test_a_failed_job_keeps_the_rma_and_tells_staff(self):
		logs = self.error_logs()
		with patch.object(documents, "build_documents_pdf", broken_pdf):
			documents.make_documents_and_confirm(self.rma)
		after = frappe.db.get_value("RMA", self.rma, ["status", documents.DOCUMENTS_FIELD], as_dict=True)
		self.assertEqual(after.status, self.before.status)
		self.assertFalse(after.documents)
		self.assertEqual(self.error_logs(), logs + 1)
		self.assertTrue(
			[c for c in self.comments() if "could not be built (attempt 1)" in c], self.comments()
		)

	def test_a_deadlock_that_ended_the_transaction_still_confirms(self):
		"""A deadlock makes the database roll back the whole transaction, the savepoint with it: the
		job notes the failure and still sends the confirmation (it died on the missing savepoint)."""
		from rma_portal.services.returns.test_documents import queued_mails

		def deadlocked_pdf(doc):
			frappe.db.sql("rollback")  # what the database does to the victim of a deadlock
			raise frappe.QueryDeadlockError("Deadlock found when trying to get lock")

		logs, mails = self.error_logs(), len(queued_mails(self.rma))
		with patch.object(documents, "build_documents_pdf", deadlocked_pdf):
			documents.make_documents_and_confirm(self.rma)
		self.assertEqual(self.error_logs(), logs + 1)
		self.assertTrue(
			[c for c in self.comments() if "could not be built (attempt 1)" in c], self.comments()
		)
		self.assertEqual(len(queued_mails(self.rma)), mails + 1)

	def test_the_scheduler_builds_them_later(self):
		with patch.object(documents, "build_documents_pdf", broken_pdf):
			self.assertEqual(documents.retry_missing_documents(), [])
		self.assertFalse(frappe.db.get_value("RMA", self.rma, documents.DOCUMENTS_FIELD))
		self.assertIn(self.rma, documents.retry_missing_documents())
		file_url = frappe.db.get_value("RMA", self.rma, documents.DOCUMENTS_FIELD)
		self.assertTrue(file_url and file_url.startswith("/private/files/"))
		self.assertFalse(frappe.cache.get_value(documents._attempts_key(self.rma), expires=True))

	def test_retries_are_bounded(self):
		with patch.object(documents, "build_documents_pdf", broken_pdf):
			for _attempt in range(documents.MAX_ATTEMPTS + 2):
				documents.retry_missing_documents()
		notes = [c for c in self.comments() if "could not be built" in c]
		self.assertEqual(len(notes), documents.MAX_ATTEMPTS)
		self.assertIn(f"after {documents.MAX_ATTEMPTS} attempts", notes[-1])
		self.assertNotIn(self.rma, documents.retry_missing_documents())  # given up: staff rebuild it

	def test_the_retry_is_scheduled(self):
		jobs = frappe.get_hooks("scheduler_events")["cron"]["*/10 * * * *"]
		self.assertIn("rma_portal.services.returns.documents.retry_missing_documents", jobs)
