"""Signed dealer webhooks (issue 26): a receiver on 127.0.0.1 gets one signed event per status change
of its company's RMA and verifies it; a receiver that fails first gets the retry; the administrator
reads the delivery log; endpoints outside HTTPS, on this server (outside developer mode) or in a
private network are refused.

The deliveries are sent as the job does (services/dealer_api/webhooks.deliver), right after each
commit in tests; the retry is the scheduler's retry_due, asked as of the delivery's next attempt."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date

from rma_portal import access
from rma_portal.demo.data import DEMO_PASSWORD, make_customer
from rma_portal.domain import webhooks as rules
from rma_portal.rma_portal.doctype.rma.test_rma import (
	ITEMS,
	_make_customer,
	_portal_return,
	_sell,
	prepare_returns_data,
)
from rma_portal.services.company import members
from rma_portal.services.dealer_api import events, webhooks
from rma_portal.services.returns import lifecycle
from rma_portal.tests.http import Browser


class Receiver:
	"""An HTTP endpoint on 127.0.0.1 that records every delivery; it answers 500 to the first
	`failures` ones."""

	def __init__(self, failures: int = 0):
		self.received, self.failures = [], failures
		receiver = self

		class Handler(BaseHTTPRequestHandler):
			def do_POST(self):
				body = self.rfile.read(int(self.headers["Content-Length"]))
				receiver.received.append((dict(self.headers), body))
				failing = len(receiver.received) <= receiver.failures
				self.send_response(500 if failing else 204)
				self.end_headers()

			def log_message(self, *args):
				pass

		self.server = HTTPServer(("127.0.0.1", 0), Handler)
		self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
		threading.Thread(target=self.server.serve_forever, daemon=True).start()

	def stop(self):
		self.server.shutdown()
		self.server.server_close()


class TestDealerWebhooks(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		cls.customer, cls.user = _make_customer("Hook Owner")
		member = members.load(cls.customer, cls.user).name
		frappe.db.set_value(members.MEMBER, member, {"is_admin": 1, "admin_key": cls.customer})
		cls.sale = _sell(cls.customer, [(ITEMS[0], 4, 7.0)])
		frappe.db.commit()

	def setUp(self):
		self.developer_mode = frappe.local.conf.get("developer_mode")
		frappe.local.conf.developer_mode = 1  # loopback endpoints are for developers only
		self.receivers = []

	def tearDown(self):
		frappe.local.conf.developer_mode = self.developer_mode
		for receiver in self.receivers:
			receiver.stop()
		frappe.db.rollback()
		frappe.db.set_value(webhooks.WEBHOOK, {"customer": self.customer}, "enabled", 0)
		frappe.set_user("Administrator")
		access.clear_cache()
		frappe.db.commit()

	def endpoint(self, failures: int = 0, events=("rma.status_changed",)) -> tuple[Receiver, str]:
		receiver = Receiver(failures)
		self.receivers.append(receiver)
		made = webhooks.add_webhook(self.customer, receiver.url, list(events), self.user)
		frappe.db.commit()
		return receiver, made["secret"]

	def new_return(self) -> str:
		return _portal_return(self.user, self.sale.dn.items[0].name)

	def received(self, receiver: Receiver, event: str) -> list[dict]:
		return [
			json.loads(body) for headers, body in receiver.received if headers[rules.EVENT_HEADER] == event
		]

	def events_of(self, receiver: Receiver, rma: str) -> list[tuple[dict, bytes, dict]]:
		out = []
		for headers, body in receiver.received:
			event = json.loads(body)
			if event["data"]["rma"] == rma:
				out.append((headers, body, event))
		return out

	def test_a_signed_event_per_status_change_that_the_receiver_verifies(self):
		receiver, secret = self.endpoint()
		rma = self.new_return()
		if frappe.db.get_value("RMA", rma, "status") == "Requested":
			lifecycle.approve(rma)
			frappe.db.commit()
		lifecycle.cancel(rma, "changed our mind")
		frappe.db.commit()

		events = self.events_of(receiver, rma)
		statuses = [event["data"]["status"] for _h, _b, event in events]
		logged = [row.status for row in frappe.get_doc("RMA", rma).status_log]
		changes = [status for n, status in enumerate(logged) if n == 0 or logged[n - 1] != status]
		self.assertEqual(statuses, changes)
		self.assertEqual(statuses[-1], "Cancelled")
		now = int(frappe.utils.now_datetime().timestamp())
		for headers, body, event in events:
			self.assertEqual(event["event"], "rma.status_changed")
			self.assertEqual(event["customer"], self.customer)
			self.assertEqual(headers[rules.EVENT_HEADER], "rma.status_changed")
			self.assertTrue(rules.verify(secret, headers[rules.SIGNATURE_HEADER], body, now))
			self.assertFalse(rules.verify("whsec_wrong", headers[rules.SIGNATURE_HEADER], body, now))
			self.assertFalse(rules.verify(secret, headers[rules.SIGNATURE_HEADER], body + b" ", now))
		delivered = frappe.get_all(
			webhooks.DELIVERY, filters={"reference_name": rma}, pluck="status", order_by="creation asc"
		)
		self.assertEqual(delivered, ["Delivered"] * len(statuses))

	def test_a_receiver_that_fails_first_gets_the_retry(self):
		receiver, secret = self.endpoint(failures=1)
		rma = self.new_return()

		first = frappe.get_all(
			webhooks.DELIVERY,
			filters={"reference_name": rma},
			fields=["name", "status", "attempts", "next_attempt", "response_code", "event_id"],
			order_by="creation asc",
		)[0]
		self.assertEqual((first.status, first.attempts, first.response_code), ("Retrying", 1, 500))
		self.assertTrue(first.next_attempt)
		self.assertEqual(webhooks.retry_due(now=add_to_date(first.next_attempt, seconds=-1)), [])

		queued = webhooks.retry_due(now=first.next_attempt)
		frappe.db.commit()  # the retry's job runs after the commit in tests

		self.assertIn(first.name, queued)
		row = frappe.db.get_value(webhooks.DELIVERY, first.name, ["status", "attempts"], as_dict=True)
		self.assertEqual((row.status, row.attempts), ("Delivered", 2))
		sent = [(h, b) for h, b, event in self.events_of(receiver, rma) if event["id"] == first.event_id]
		self.assertEqual(len(sent), 2)  # the failed attempt and its retry, the same event
		now = int(frappe.utils.now_datetime().timestamp())
		self.assertTrue(rules.verify(secret, sent[1][0][rules.SIGNATURE_HEADER], sent[1][1], now))

	def test_the_administrator_reads_the_delivery_log_and_nobody_else(self):
		self.endpoint()
		rma = self.new_return()
		browser = Browser(self.user, DEMO_PASSWORD)
		log = browser.get("/api/method/rma_portal.api.dealer_api.list_deliveries")
		self.assertEqual(log.status_code, 200, log.get_data(as_text=True)[:300])
		self.assertIn(rma, {row["reference_name"] for row in log.json["message"]["deliveries"]})

		manager = frappe.generate_hash(length=8) + "@hooks.example"
		make_customer(self.customer, manager, "Hook", "Manager")
		member = members.load(self.customer, manager).name
		frappe.db.set_value(members.MEMBER, member, "flag_us", 1)
		frappe.db.commit()
		refused = Browser(manager, DEMO_PASSWORD).get("/api/method/rma_portal.api.dealer_api.list_deliveries")
		self.assertEqual(refused.status_code, 403)

	def test_endpoints_outside_https_on_this_server_or_inside_the_network_are_refused(self):
		frappe.local.conf.developer_mode = 0
		for url in (
			"http://127.0.0.1:9/hook",
			"https://127.0.0.1/hook",
			"https://localhost/hook",
			"https://10.0.0.5/hook",
			"https://169.254.169.254/latest/meta-data",
			"http://example.com/hook",
			"ftp://example.com/hook",
		):
			with self.assertRaises(frappe.ValidationError, msg=url):
				webhooks.add_webhook(self.customer, url, ["rma.status_changed"], self.user)
		with self.assertRaises(frappe.ValidationError):
			webhooks.add_webhook(self.customer, "https://example.com/hook", ["rma.deleted"], self.user)
		made = webhooks.add_webhook(self.customer, "https://example.com/hook", ["invoice.due"], self.user)
		self.assertTrue(made["secret"].startswith("whsec_"))
		stored = frappe.db.sql("select * from `tabDealer Webhook` where name=%s", made["name"], as_dict=True)[
			0
		]
		self.assertNotIn(made["secret"], json.dumps(stored, default=str))  # encrypted, as Frappe's passwords

	def test_invoices_falling_due_credit_notes_and_offers_become_events(self):
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		receiver, _secret = self.endpoint(
			events=("invoice.due", "invoice.overdue", "credit_note.created", "offer.received")
		)
		sale = _sell(self.customer, [(ITEMS[1], 2, 5.0)])
		today = frappe.utils.getdate(frappe.utils.today())
		frappe.db.set_value("Sales Invoice", sale.si.name, "due_date", today)
		frappe.db.commit()

		events.invoices_due(today)  # the daily job: due today
		events.invoices_due(frappe.utils.add_days(today, 1))  # the next day: overdue since yesterday
		due = [e["data"]["invoice"] for e in self.received(receiver, "invoice.due")]
		overdue = [e["data"]["invoice"] for e in self.received(receiver, "invoice.overdue")]
		self.assertEqual(due.count(sale.si.name), 1)
		self.assertEqual(overdue.count(sale.si.name), 1)

		credit = make_return_doc("Sales Invoice", sale.si.name)
		credit.insert(ignore_permissions=True)
		credit.submit()
		frappe.db.commit()
		credited = self.received(receiver, "credit_note.created")
		self.assertEqual([e["data"]["credit_note"] for e in credited], [credit.name])
		self.assertEqual(credited[0]["customer"], self.customer)

		offer = frappe.get_doc(
			{
				"doctype": "Quotation",
				"quotation_to": "Customer",
				"party_name": self.customer,
				"company": sale.si.company,
				"transaction_date": frappe.utils.today(),
				"items": [{"item_code": ITEMS[1], "qty": 1, "rate": 5.0}],
			}
		).insert(ignore_permissions=True)
		offer.submit()
		frappe.db.commit()
		self.assertEqual(
			[e["data"]["quotation"] for e in self.received(receiver, "offer.received")], [offer.name]
		)
		# nothing of the other events: the endpoint did not ask for RMA status changes
		self.assertEqual(self.received(receiver, "rma.status_changed"), [])
