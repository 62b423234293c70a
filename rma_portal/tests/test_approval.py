"""Approval of return requests (issue 24): RMA Approval Rules at sending, the review queue, the SLA
and the e-mails of every step (services/policy, services/shared/notify.py)."""

import json
from datetime import datetime

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime, getdate, today

from rma_portal.api import desk
from rma_portal.rma_portal.doctype.rma.test_rma import (
	ITEMS,
	REASON,
	_make_customer,
	_make_reason,
	_request,
	_sell,
	prepare_returns_data,
)
from rma_portal.services.policy import approval
from rma_portal.services.returns import documents, returns, review
from rma_portal.services.returns.test_documents import (
	ensure_email_templates,
	ensure_outgoing_email_account,
	queued_mails,
)
from rma_portal.services.shared import mail_preferences, notify

OTHER_REASON = "Test Wrong Order"
BRAND = "Test Approval Brand"


def _rule(name: str, outcome: str = "Review", priority: int = 10, **conditions) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "RMA Approval Rule",
			"rule_name": name,
			"priority": priority,
			"outcome": outcome,
			"decline_message": conditions.pop("decline_message", "Not returnable after use."),
			**conditions,
		}
	)
	return doc.insert(ignore_permissions=True).name


def _subjects(name: str) -> list[str]:
	import email

	return [email.message_from_string(row.message)["Subject"] or "" for row in queued_mails(name)]


class TestApproval(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		ensure_email_templates()
		ensure_outgoing_email_account()
		_make_reason(OTHER_REASON, 1)
		if not frappe.db.exists("Brand", BRAND):
			frappe.get_doc({"doctype": "Brand", "brand": BRAND}).insert(ignore_permissions=True)
		frappe.db.set_value("Item", ITEMS[3], "brand", BRAND)
		cls.customer, cls.user = _make_customer("Approval Dealer")
		sale = _sell(cls.customer, [(ITEMS[2], 100, 5.0), (ITEMS[3], 100, 40.0)])
		cls.line, cls.branded_line = sale.dn.items[0].name, sale.dn.items[1].name
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.delete("RMA Approval Rule")  # no rule: today's behaviour
		frappe.db.set_single_value(
			"RMA Settings",
			{"documents_at_sending": 0, "approval_sla": 2, "approval_sla_unit": "Business Days"},
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_document_cache("RMA Settings", "RMA Settings")
		frappe.clear_document_cache("Company")
		approval.clear_rules_cache()  # rules of a rolled-back test must not stay cached

	def _send(self, line=None, qty=1, reason=REASON) -> frappe._dict:
		approval.clear_rules_cache()  # the tests change rules with db calls, which skip the controller
		name = _request(self.customer, self.user, line or self.line, qty, return_reason=reason)
		return frappe._dict(frappe.db.get_value("RMA", name, ["*"], as_dict=True))

	# -- the rules at sending ---------------------------------------------------------------------

	def test_no_rule_approves_as_before(self):
		rma = self._send()
		self.assertEqual((rma.status, rma.approval_rule, rma.approval_due_on), ("Expected", None, None))
		self.assertTrue(rma.documents)  # form and label issued at once
		self.assertEqual(len(queued_mails(rma.name)), 1)

	def test_disabled_rule_is_not_applied(self):
		frappe.db.set_value("RMA Approval Rule", _rule("Everything"), "enabled", 0)
		self.assertEqual(self._send().status, "Expected")

	def test_review_holds_the_request_and_its_documents(self):
		_rule("All for review")
		rma = self._send()
		self.assertEqual((rma.status, rma.approval_rule), ("Requested", "All for review"))
		self.assertTrue(rma.approval_due_on)
		self.assertFalse(rma.documents)  # issued on approval (RMA Settings' default)
		self.assertIn("awaiting approval", _subjects(rma.name)[0])
		# the held request counts against the returnable quantity like any open request
		line = next(
			r
			for r in returns.candidate_lines(self.customer, page_size=100)["rows"]
			if r["delivery_note_item"] == self.line
		)
		self.assertEqual(line["qty_requested"], 1)
		frappe.set_user(self.user)
		with self.assertRaises(frappe.PermissionError):
			frappe.call("rma_portal.api.returns.download_documents", name=rma.name)

	def test_documents_at_sending_when_settings_say_so(self):
		frappe.db.set_single_value("RMA Settings", "documents_at_sending", 1)
		_rule("All for review")
		rma = self._send()
		self.assertEqual(rma.status, "Requested")
		self.assertTrue(rma.documents)

	def test_decline_ends_the_request_with_the_message(self):
		_rule(
			"No wrong orders", "Decline", return_reason=OTHER_REASON, decline_message="Wrong orders: call us."
		)
		rma = self._send(reason=OTHER_REASON)
		self.assertEqual((rma.status, rma.decision_note), ("Rejected", "Wrong orders: call us."))
		self.assertFalse(rma.documents)
		subjects = _subjects(rma.name)
		self.assertEqual(len(subjects), 1)
		self.assertIn("declined", subjects[0])
		self.assertIn("Wrong orders: call us.", queued_mails(rma.name)[0].message)
		line = next(
			r
			for r in returns.candidate_lines(self.customer, page_size=100)["rows"]
			if r["delivery_note_item"] == self.line
		)
		self.assertEqual(line["qty_requested"], 0)  # a declined request blocks nothing

	def test_first_matching_rule_wins(self):
		_rule("Approve small", "Approve", priority=1, max_request_value=50)
		_rule("Decline all", "Decline", priority=2)
		rma = self._send()
		self.assertEqual((rma.status, rma.approval_rule), ("Expected", "Approve small"))
		frappe.db.set_value("RMA Approval Rule", "Decline all", "priority", 0)
		rma = self._send()
		self.assertEqual((rma.status, rma.approval_rule), ("Rejected", "Decline all"))

	def test_each_condition_matches_and_misses(self):
		group = frappe.db.get_value("Item", ITEMS[2], "item_group")
		customer_group = frappe.db.get_value("Customer", self.customer, "customer_group")
		# the line sent: ITEMS[2], 2 units at 5.00 (value 10), reason REASON, no serial numbers
		cases = [
			("return_reason", REASON, OTHER_REASON),
			("item_group", "All Item Groups", None),  # a group above the item's matches
			("item_group", group, None),
			("brand", None, BRAND),
			("customer", self.customer, "_No Such Customer"),
			("customer_group", "All Customer Groups", None),
			("customer_group", customer_group, None),
			("min_request_value", 10, 10.01),
			("max_request_value", 10, 9.99),
			("min_line_value", 10, 10.01),
			("serial_required", "No", "Yes"),
			("max_days_since_delivery", 5, None),
		]
		for field, matching, missing in cases:
			for value, expected in ((matching, "Requested"), (missing, "Expected")):
				if value is None:
					continue
				with self.subTest(field=field, value=value):
					frappe.db.delete("RMA Approval Rule")
					if field == "customer" and value.startswith("_"):
						value = frappe.get_all(
							"Customer", filters={"name": ["!=", self.customer]}, pluck="name", limit=1
						)[0]
					_rule(f"Only {field}", **{field: value})
					self.assertEqual(self._send(qty=2).status, expected)

	def test_days_since_delivery_and_brand_read_each_line(self):
		_rule("Old goods", "Decline", min_days_since_delivery=30)
		approval.clear_rules_cache()
		lines = [
			{"item_code": ITEMS[2], "return_reason": REASON, "qty": 1, "rate": 5, "delivery_date": today()}
		]
		self.assertEqual(approval.decide(self.customer, lines).outcome, "Approve")
		lines.append({**lines[0], "delivery_date": add_days(today(), -30)})  # one old line declines it
		decision = approval.decide(self.customer, lines)
		self.assertEqual((decision.outcome, decision.rule), ("Decline", "Old goods"))
		frappe.db.delete("RMA Approval Rule")
		_rule("Brand", brand=BRAND)
		self.assertEqual(self._send(line=self.branded_line).status, "Requested")

	# -- the review queue -------------------------------------------------------------------------

	def test_approve_is_idempotent_and_issues_the_documents_once(self):
		_rule("All for review")
		first, second = self._send().name, self._send().name
		result = review.decide([first, second], review.APPROVE)
		self.assertEqual((result["done"], result["skipped"]), ([first, second], []))
		again = review.decide([first, second], review.APPROVE)  # the double click
		self.assertEqual((again["done"], again["skipped"]), ([], [first, second]))
		doc = frappe.get_doc("RMA", first)
		self.assertEqual(doc.status, "Expected")
		self.assertEqual([row.status for row in doc.status_log], ["Requested", "Expected"])
		self.assertTrue(doc.documents)
		subjects = _subjects(first)
		self.assertEqual(sum("has been approved" in s for s in subjects), 1)
		approved = next(
			m for m in queued_mails(first) if "has been approved" in m.message or m.attachment_list
		)
		self.assertTrue(any(a.get("file_url") == doc.documents for a in approved.attachment_list))
		# declining what was approved does nothing either
		self.assertEqual(review.decide([first], review.DECLINE, "too late")["skipped"], [first])

	def test_decline_needs_a_reason_and_mails_it_once(self):
		_rule("All for review")
		name = self._send().name
		with self.assertRaises(frappe.ValidationError):
			review.decide([name], review.DECLINE, "  ")
		review.decide([name], review.DECLINE, "Opened packaging.")
		review.decide([name], review.DECLINE, "Opened packaging.")
		doc = frappe.get_doc("RMA", name)
		self.assertEqual((doc.status, doc.decision_note), ("Rejected", "Opened packaging."))
		declined = [m for m in queued_mails(name) if "Opened packaging." in m.message]
		self.assertEqual(len(declined), 1)

	def test_only_staff_may_decide(self):
		_rule("All for review")
		name = self._send().name
		frappe.set_user(self.user)
		with self.assertRaises(frappe.PermissionError):
			desk.decide_requests(json.dumps([name]), "approve")
		frappe.set_user("Administrator")
		self.assertEqual(desk.decide_requests(json.dumps([name]), "approve")["done"], [name])

	# -- the SLA ----------------------------------------------------------------------------------

	def test_review_time_in_hours(self):
		frappe.db.set_single_value("RMA Settings", {"approval_sla": 4, "approval_sla_unit": "Hours"})
		sent = get_datetime("2026-03-06 16:30:00")
		self.assertEqual(approval.review_due_on(sent, None), get_datetime("2026-03-06 20:30:00"))
		frappe.db.set_single_value("RMA Settings", "approval_sla", 0)
		self.assertIsNone(approval.review_due_on(sent, None))

	def test_review_time_in_business_days_skips_the_holiday_list(self):
		company = frappe.db.get_value("RMA", {}, "company") or frappe.defaults.get_global_default("company")
		holidays = frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": f"Approval SLA {frappe.generate_hash(length=6)}",
				"from_date": "2026-03-01",
				"to_date": "2026-12-31",
				"holidays": [
					{"holiday_date": day, "description": "off"}
					for day in ("2026-03-07", "2026-03-08", "2026-03-09")  # Sat, Sun, Monday holiday
				],
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value("Company", company, "default_holiday_list", holidays.name)
		frappe.db.set_single_value("RMA Settings", {"approval_sla": 2, "approval_sla_unit": "Business Days"})
		due = approval.review_due_on(datetime(2026, 3, 6, 17, 0), company)  # a Friday
		self.assertEqual(due, get_datetime("2026-03-11 23:59:59"))  # Tue 1, Wed 2

	def test_overdue_requests_and_the_daily_digest(self):
		_rule("All for review")
		name = self._send().name
		self.assertNotIn(name, [r.name for r in review.overdue_requests()])
		frappe.db.set_value("RMA", name, "approval_due_on", add_days(get_datetime(), -1))
		self.assertIn(name, [r.name for r in review.overdue_requests()])
		manager = f"approval-manager-{frappe.generate_hash(length=6)}@example.com"
		user = frappe.get_doc(
			{"doctype": "User", "email": manager, "first_name": "Reviewer", "send_welcome_email": 0}
		)
		user.append("roles", {"role": "RMA Manager"})
		user.insert(ignore_permissions=True)
		self.assertTrue(review.send_overdue_digest())
		digest = frappe.get_all(
			"Email Queue Recipient", filters={"recipient": manager}, pluck="parent", order_by="creation desc"
		)
		self.assertEqual(len(digest), 1)
		self.assertIn(name, frappe.db.get_value("Email Queue", digest[0], "message"))
		frappe.db.set_value("RMA", name, "status", "Expected")  # decided: no digest
		self.assertNotIn(name, [r.name for r in review.overdue_requests()])


class TestApprovalMails(FrappeTestCase):
	"""The e-mails of every step: in the dealer's language, each kind switchable, never twice."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_outgoing_email_account()

	def setUp(self):
		frappe.set_user("Administrator")
		# the Received, Invoiced and claim decision texts as a fresh install makes them (a site installed before keeps
		# its own, which staff may have edited); rolled back after each test
		ensure_email_templates()
		with open(frappe.get_app_path("rma_portal", "data", "email_templates.json")) as f:
			shipped = {row["name"]: row for row in json.load(f)}
		for key in ("Received", "Invoiced", "Claim Granted", "Claim Refused"):
			name = notify.EMAIL_TEMPLATES[key]
			frappe.db.set_value("Email Template", name, "response_html", shipped[name]["response_html"])
		frappe.clear_document_cache("Email Template")

	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_document_cache("Email Template")

	def _rma(self, status="Expected", lang="fr", **fields):
		from rma_portal.services.returns.test_documents import make_rma

		email = f"approval-mail-{frappe.generate_hash(length=6)}@example.com"
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": "Dealer",
				"user_type": "Website User",
				"language": lang,
				"send_welcome_email": 0,
			}
		).insert(ignore_permissions=True)
		log = [{"status": "Requested"}, {"status": status}] if status != "Requested" else [{"status": status}]
		return make_rma(
			status=status,
			portal_user=user.name,
			contact_email=email,
			copy_email=None,
			decision_note="Opened.",
			status_log=log,
			**fields,
		)

	def test_each_mail_in_the_dealers_language(self):
		"""Subject and body of every step's mail, for an English and a French reader."""
		cases = {
			"Requested": ("Requested", "awaiting approval", "en attente"),
			"Approved": ("Expected", "has been approved", "a été approuvée"),
			"Declined": ("Rejected", "has been declined", "a été refusée"),
			"Completed": ("Completed", "is completed", "est terminé"),
		}
		for key, (status, english, french) in cases.items():
			template = notify.EMAIL_TEMPLATES[key]
			with self.subTest(mail=key):
				subject_en, body_en = notify.render_mail(template, self._rma(status, lang="en"))
				subject_fr, body_fr = notify.render_mail(template, self._rma(status, lang="fr"))
				self.assertIn(english, subject_en)
				self.assertIn(french, subject_fr)
				self.assertIn("Kind regards,", body_en)
				self.assertIn("Cordialement,", body_fr)
				self.assertNotIn("Kind regards,", body_fr)
		for key, english, french in (
			("Received", "We are now checking the goods.", "Nous vérifions maintenant la marchandise."),
			("Invoiced", "has been settled.", "a été réglé."),
		):
			template = notify.EMAIL_TEMPLATES[key]
			with self.subTest(mail=key):
				subject_en, body_en = notify.render_mail(template, self._rma("Received", lang="en"))
				subject_fr, body_fr = notify.render_mail(template, self._rma("Received", lang="fr"))
				self.assertNotEqual(subject_en, subject_fr)
				self.assertIn(english, body_en)
				self.assertIn(french, body_fr)
		self.assertEqual(frappe.local.lang, "en")  # the reader's language is not left behind

	def test_declined_in_review_gets_the_declined_mail_with_the_reason(self):
		doc = self._rma("Rejected", lang="en")
		self.assertTrue(notify.send_status_mail(doc.name, "Rejected"))
		mails = queued_mails(doc.name)
		self.assertEqual(len(mails), 1)
		self.assertIn("Opened.", mails[0].message)
		self.assertIn("declined", _subjects(doc.name)[0])

	def test_credited_mail_carries_the_credit_notes_pdf(self):
		invoice = frappe.get_all("Sales Invoice", filters={"docstatus": 1}, pluck="name", limit=1)[0]
		doc = self._rma("Invoiced", lang="en", credit_notes=[{"sales_invoice": invoice, "grand_total": -10}])
		self.assertTrue(notify.send_status_mail(doc.name, "Invoiced"))
		attachments = queued_mails(doc.name)[0].attachment_list
		self.assertEqual(
			[(a.get("print_format_attachment"), a.get("doctype"), a.get("name")) for a in attachments],
			[(1, "Sales Invoice", invoice)],
		)

	def test_completed_return_has_a_mail(self):
		doc = self._rma("Completed", lang="en")
		self.assertTrue(notify.send_status_mail(doc.name, "Completed"))
		self.assertIn("is completed", _subjects(doc.name)[0])

	def test_a_kind_switched_off_is_not_sent_and_the_others_are(self):
		doc = self._rma("Expected", lang="en")
		mail_preferences.save(doc.portal_user, {"approval": 0})
		self.assertEqual(mail_preferences.preferences(doc.portal_user)["approval"], False)
		self.assertFalse(notify.send_approval_mail(doc.name))
		self.assertEqual(queued_mails(doc.name), [])
		self.assertTrue(notify.send_status_mail(doc.name, "Completed"))
		self.assertEqual(len(queued_mails(doc.name)), 1)
		mail_preferences.save(doc.portal_user, {"approval": 1})
		self.assertTrue(notify.send_approval_mail(doc.name))
		with self.assertRaises(frappe.ValidationError):
			mail_preferences.save(doc.portal_user, {"newsletter": 0})

	def test_warranty_decision_mail_follows_the_switch(self):
		email = "dealer-warranty@example.com"
		self.assertEqual(mail_preferences.wanted([email], "Claim Granted"), [email])
		doc = self._rma("Expected", lang="en")
		mail_preferences.save(doc.portal_user, {"warranty": 0})
		self.assertEqual(mail_preferences.wanted([doc.contact_email], "Claim Granted"), [])
		self.assertEqual(mail_preferences.wanted([doc.contact_email], "Received"), [doc.contact_email])

	def test_the_dealer_and_the_rmas_contact_both_get_the_mail_each_by_their_switch(self):
		doc = self._rma("Expected", lang="en")
		contact = "approval-contact@example.com"
		frappe.db.set_value("RMA", doc.name, "contact_email", contact)
		self.assertTrue(notify.send_approval_mail(doc.name))
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": queued_mails(doc.name)[0].name}, pluck="recipient"
		)
		self.assertEqual(sorted(recipients), sorted([contact, doc.portal_user]))
		mail_preferences.save(doc.portal_user, {"approval": 0})  # the dealer switched it off
		self.assertTrue(notify.send_approval_mail(doc.name))
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": queued_mails(doc.name)[-1].name}, pluck="recipient"
		)
		self.assertEqual(recipients, [contact])

	def test_warranty_decisions_in_the_dealers_language(self):
		from rma_portal.services.warranty import warranty_claims

		for lang, granted, refused in (
			("en", "Good news: your warranty claim", "We are sorry: your warranty claim"),
			(
				"fr",
				"Bonne nouvelle : votre réclamation sous garantie",
				"Nous sommes désolés : votre réclamation",
			),
		):
			user = self._rma("Expected", lang=lang).portal_user
			claim = frappe._dict(
				name="CLAIM-TEST-1",
				customer_name="Dealer",
				item_code="IT-1",
				item_name="Thing",
				serial_no="SN-1",
				decision_note="Checked.",
				portal_user=user,
				company="Company",
			)
			with self.subTest(lang=lang):
				_subject, body = warranty_claims.render_mail(warranty_claims.mail_template("Granted"), claim)
				self.assertIn(granted, body)
				_subject, body = warranty_claims.render_mail(warranty_claims.mail_template("Refused"), claim)
				self.assertIn(refused, body)
