"""The background jobs that work through several RMAs commit each one as they go, in tests as in
production (no test-only branch): a failure later in the job keeps what was done before it, and a
document batch hands the rest back to the queue when an import waits.

The RMAs are committed (the jobs commit), so each test deletes what it made.
"""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime
from frappe.utils.background_jobs import get_queue

from rma_portal.services.returns import documents
from rma_portal.services.returns.test_documents import (
	ensure_email_templates,
	ensure_outgoing_email_account,
	make_rma,
)
from rma_portal.services.service import service_rma
from rma_portal.services.service.service_rma import IMPORT_QUEUE


def has_documents(name: str) -> bool:
	return bool(frappe.db.get_value("RMA", name, documents.DOCUMENTS_FIELD))


class CommittedRmasCase(FrappeTestCase):
	"""Three RMAs sent an hour ago without documents, committed; deleted with what was made for them."""

	def setUp(self):
		frappe.set_user("Administrator")
		ensure_email_templates()
		ensure_outgoing_email_account()
		# sent an hour ago, without documents: what the scheduler's retry looks for
		self.rmas = [make_rma(submitted_on=add_to_date(now_datetime(), hours=-1)).name for _n in range(3)]
		frappe.db.commit()
		self.jobs = []

	def tearDown(self):
		frappe.db.rollback()
		for job in self.jobs:
			job.delete()
		for name in self.rmas:
			for file in frappe.get_all(
				"File", {"attached_to_doctype": "RMA", "attached_to_name": name}, pluck="name"
			):
				frappe.delete_doc("File", file, force=True, ignore_permissions=True)
			for mail in frappe.get_all(
				"Email Queue", {"reference_doctype": "RMA", "reference_name": name}, pluck="name"
			):
				frappe.delete_doc("Email Queue", mail, force=True, ignore_permissions=True)
			frappe.db.delete("Comment", {"reference_doctype": "RMA", "reference_name": name})
			frappe.delete_doc("RMA", name, force=True, ignore_permissions=True)
			frappe.cache.delete_value(documents._attempts_key(name))
		frappe.db.commit()

	def failing_for(self, failing: str):
		"""make_documents_and_confirm, raising (the job dies) for the RMA `failing` only."""
		real = documents.make_documents_and_confirm

		def run(name):
			if name == failing:
				raise RuntimeError("the worker was killed")
			return real(name)

		return patch.object(documents, "make_documents_and_confirm", side_effect=run)


class TestJobCommits(CommittedRmasCase):
	def test_a_batch_that_dies_keeps_the_rmas_done_before(self):
		first, second, third = self.rmas
		with self.failing_for(third), self.assertRaises(RuntimeError):
			service_rma.make_documents_batch([first, second, third])
		frappe.db.rollback()  # what the job runner does with a job that raised
		self.assertEqual([has_documents(n) for n in self.rmas], [True, True, False])

	def test_the_retry_job_keeps_each_rma_it_built(self):
		first, second, third = self.rmas

		def build(doc):
			if doc.name == second:
				raise OSError("wkhtmltopdf exited with code 1")
			return real_build(doc)

		real_build = documents.build_documents_pdf
		with patch.object(documents, "build_documents_pdf", side_effect=build):
			built = documents.retry_missing_documents()
		frappe.db.rollback()  # a later failure in the same job or request
		self.assertIn(first, built)
		self.assertIn(third, built)
		self.assertNotIn(second, built)
		self.assertEqual([has_documents(n) for n in self.rmas], [True, False, True])
		notes = frappe.get_all(
			"Comment", {"reference_doctype": "RMA", "reference_name": second}, pluck="content"
		)
		self.assertTrue([note for note in notes if "attempt 1" in note], notes)

	def test_a_waiting_import_gets_the_worker_before_the_rest_of_a_batch(self):
		"""The rest goes back to the real queue. An import is said to be waiting (other workers on
		this machine would take a real one at once); the hand-back is a real job, which one of them
		may run meanwhile."""
		from frappe.utils.background_jobs import create_job_id
		from rq.job import Job

		first, second, third = self.rmas
		service_rma.make_documents_batch([first, second, third], waiting=lambda: True)
		frappe.db.rollback()
		self.assertTrue(has_documents(first))
		job = Job.fetch(
			create_job_id(service_rma.hand_back_job_id([second, third])),
			connection=get_queue("long").connection,
		)
		self.jobs.append(job)
		self.assertEqual(
			(job.kwargs["method"], job.kwargs["site"], job.kwargs["kwargs"]["names"]),
			(f"{service_rma.__name__}.make_documents_batch", frappe.local.site, [second, third]),
		)
		if job.get_status() == "queued":  # not taken by a worker yet: the batch stopped after the first
			self.assertEqual([has_documents(n) for n in (second, third)], [False, False])

	def test_without_a_waiting_import_the_batch_does_every_rma(self):
		self.assertFalse(service_rma.import_waiting())
		service_rma.make_documents_batch(self.rmas)
		frappe.db.rollback()
		self.assertEqual([has_documents(n) for n in self.rmas], [True, True, True])


class TestDocumentsDrainer(CommittedRmasCase):
	"""Returns sent in a row share one documents job (documents.drain_documents): the first queues
	it, the others are listed for it; it does each with its own commit, makes way for a waiting job
	and leaves what is left to the next one."""

	def setUp(self):
		super().setUp()
		self.redis = documents._queue_redis()
		self.clear_drainer()
		self.queued = []

	def tearDown(self):
		self.clear_drainer()
		frappe.db.delete("Error Log", {"method": ("like", "RMA % documents and confirmation failed")})
		super().tearDown()

	def clear_drainer(self):
		self.redis.delete(documents._key(documents.PENDING_KEY), documents._key(documents.DRAINER_KEY))

	def listed(self) -> list[str]:
		return [
			frappe.safe_decode(n) for n in self.redis.lrange(documents._key(documents.PENDING_KEY), 0, -1)
		]

	def queue(self):
		self.queued.append("drainer")

	def test_returns_sent_in_a_row_share_one_job_that_does_each(self):
		first, second, third = self.rmas
		self.assertTrue(documents.hand_to_drainer([first], enqueue=self.queue))
		self.assertFalse(documents.hand_to_drainer([second], enqueue=self.queue))  # one is queued
		self.assertFalse(documents.hand_to_drainer([third], enqueue=self.queue))
		self.assertEqual(self.queued, ["drainer"])
		self.assertEqual(self.listed(), self.rmas)

		done = documents.drain_documents(others_waiting=lambda: False, linger=0, enqueue=self.queue)
		frappe.db.rollback()  # each was committed on its own
		self.assertEqual(done, self.rmas)
		self.assertEqual([has_documents(n) for n in self.rmas], [True, True, True])
		for name in self.rmas:  # each return's confirmation, once
			self.assertEqual(frappe.db.count("Email Queue", {"reference_name": name}), 1)
		self.assertEqual(self.listed(), [])
		# ended: the next return queues a drainer again
		self.assertTrue(documents.hand_to_drainer([first], enqueue=self.queue))
		self.assertEqual(self.queued, ["drainer", "drainer"])

	def test_each_return_is_made_as_the_user_who_sent_it(self):
		"""A private file is readable by its owner: the documents of one customer's return must not be
		owned by the user of another customer whose return queued the drainer."""
		from rma_portal.tests.test_company_members import make_user, remove_made_users

		senders = [make_user("drained-a"), make_user("drained-b")]
		self.addCleanup(remove_made_users)
		for name, sender in zip(self.rmas[:2], senders, strict=True):
			frappe.db.set_value("RMA", name, "owner", sender)
		frappe.db.commit()
		documents.hand_to_drainer(self.rmas[:2], enqueue=self.queue)
		frappe.set_user(senders[0])  # the job runs as the user whose return queued it
		documents.drain_documents(others_waiting=lambda: False, linger=0, enqueue=self.queue)
		self.assertEqual(frappe.session.user, senders[0])
		frappe.set_user("Administrator")
		for name, sender in zip(self.rmas[:2], senders, strict=True):
			file_url = frappe.db.get_value("RMA", name, documents.DOCUMENTS_FIELD)
			self.assertEqual(frappe.db.get_value("File", {"file_url": file_url}, "owner"), sender)

	def test_a_failing_return_is_logged_and_the_others_done(self):
		second = self.rmas[1]
		documents.hand_to_drainer(self.rmas, enqueue=self.queue)
		with self.failing_for(second):
			done = documents.drain_documents(others_waiting=lambda: False, linger=0, enqueue=self.queue)
		frappe.db.rollback()
		self.assertEqual(done, self.rmas)
		self.assertEqual([has_documents(n) for n in self.rmas], [True, False, True])
		self.assertTrue(
			frappe.db.exists("Error Log", {"method": f"RMA {second}: documents and confirmation failed"})
		)

	def test_it_makes_way_for_a_waiting_job_and_hands_on_the_rest(self):
		first, second, third = self.rmas
		documents.hand_to_drainer(self.rmas, enqueue=self.queue)
		done = documents.drain_documents(others_waiting=lambda: True, linger=0, enqueue=self.queue)
		frappe.db.rollback()
		self.assertEqual(done, [first])  # one, then the waiting job's turn
		self.assertEqual(self.listed(), [second, third])
		self.assertEqual(self.queued, ["drainer", "drainer"])  # the next drainer, behind that job
		self.assertEqual([has_documents(n) for n in self.rmas], [True, False, False])

	def test_a_drainer_that_died_is_replaced_by_the_scheduler(self):
		first = self.rmas[0]
		self.redis.rpush(documents._key(documents.PENDING_KEY), first)  # listed, no drainer flag
		queued = []
		with patch.object(documents, "_enqueue_drainer", side_effect=lambda: queued.append("drainer")):
			documents.retry_missing_documents()
		self.assertEqual(queued, ["drainer"])
