"""Dealer API keys over HTTP (issue 26): a whole return driven only with a key and the paths of the
OpenAPI document the site serves, a key's rights (fewer than its member's), its company, revocation,
its rate limit, and that a key is never taken together with a browser session.

Requests go through Frappe's whole WSGI application (rma_portal/tests/http.py): the key is checked
by the app's first before_request hook, then the same guards and access point as a browser's. The
return documents' PDF needs the site served (scripts/test serves it)."""

import hashlib
import json

import frappe
from frappe.app import application
from frappe.tests.utils import FrappeTestCase
from werkzeug.test import Client

from rma_portal import access
from rma_portal.demo.data import DEMO_PASSWORD, make_customer
from rma_portal.rma_portal.doctype.rma.test_rma import (
	ITEMS,
	REASON,
	_make_customer,
	_portal_return,
	_sell,
	prepare_returns_data,
)
from rma_portal.services.company import members
from rma_portal.services.dealer_api import keys
from rma_portal.tests.http import Browser, over_http

DOCUMENT = "/api/method/rma_portal.api.openapi.document"


class KeyClient:
	"""A dealer's system: no cookies, every request with `Authorization: RmaKey <id>:<secret>`."""

	def __init__(self, authorization: str):
		self.client = Client(application, use_cookies=False)
		self.headers = {"Authorization": authorization}

	def get(self, path: str, **params):
		return over_http(self.client.get, path, query_string=params or None, headers=self.headers)

	def post(self, path: str, body: dict | None = None):
		return over_http(self.client.post, path, json=body or {}, headers=self.headers)


def admin_of(customer: str, user: str):
	name = members.load(customer, user).name
	frappe.db.set_value(members.MEMBER, name, {"is_admin": 1, "admin_key": customer})
	return name


def new_key(customer: str, user: str, all_rights=True, flags=(), per_minute=None, actor=None) -> str:
	member = members.load(customer, user).name
	made = keys.create_key(customer, member, actor or user, "test", all_rights, list(flags), per_minute)
	frappe.db.commit()
	return made["authorization"]


class TestDealerApiKeys(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		cls.customer, cls.user = _make_customer("Key Owner")
		admin_of(cls.customer, cls.user)
		cls.other, cls.other_user = _make_customer("Key Other")
		cls.sale = _sell(cls.customer, [(ITEMS[0], 3, 7.0)])
		other_sale = _sell(cls.other, [(ITEMS[1], 2, 4.0)])
		# the key's user is a member of the other company too: a key acts for its own company only
		make_customer(cls.other, cls.user, "Key", "Owner")
		cls.other_rma = _portal_return(cls.other_user, other_sale.dn.items[0].name)
		cls.other_invoice = other_sale.si.name
		frappe.set_user("Administrator")
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		access.clear_cache()

	def paths(self, client: KeyClient) -> dict:
		"""operationId -> (path, operation) of the document the site serves."""
		response = client.get(DOCUMENT)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
		document = response.json["message"]
		return {
			op["operationId"]: (path, op) for path, item in document["paths"].items() for op in item.values()
		}

	def test_a_whole_return_with_a_key_and_the_documents_paths(self):
		client = KeyClient(new_key(self.customer, self.user))
		paths = self.paths(client)

		path, op = paths["returns.get_candidates"]
		self.assertIn("filters", [p["name"] for p in op["parameters"]])
		found = client.get(path, filters=json.dumps({"item_code": ITEMS[0]}))
		self.assertEqual(found.status_code, 200, found.get_data(as_text=True)[:300])
		line = next(row for row in found.json["message"]["rows"] if row["delivery_note"] == self.sale.dn.name)

		path, op = paths["returns.submit_return"]
		body = {
			"lines": [{"delivery_note_item": line["delivery_note_item"], "qty": 1}],
			"return_reason": REASON,
			"terms_accepted": 1,
		}
		self.assertLessEqual(
			set(body), set(op["requestBody"]["content"]["application/json"]["schema"]["properties"])
		)
		made = client.post(path, body)  # no CSRF token: a key's request has no session
		self.assertEqual(made.status_code, 200, made.get_data(as_text=True)[:500])
		rma = made.json["message"]["name"]
		self.assertEqual(frappe.db.get_value("RMA", rma, "portal_user"), self.user)

		path, _op = paths["returns.list_rmas"]
		listed = client.get(path, search=rma)
		self.assertEqual(listed.status_code, 200)
		row = next(row for row in listed.json["message"]["rows"] if row["name"] == rma)
		self.assertEqual(row["status"], frappe.db.get_value("RMA", rma, "status"))

		path, _op = paths["returns.download_documents"]
		pdf = client.get(path, name=rma)
		self.assertEqual(pdf.status_code, 200, pdf.data[:300])
		self.assertTrue(pdf.data.startswith(b"%PDF"))

	def test_a_key_with_rm_only_is_refused_on_invoices(self):
		rm_only = KeyClient(new_key(self.customer, self.user, all_rights=False, flags=["RM"]))
		every = KeyClient(new_key(self.customer, self.user))
		invoices = "/api/method/rma_portal.api.invoices.list_invoices"

		refused = rm_only.get(invoices)
		self.assertEqual(refused.status_code, 403, refused.get_data(as_text=True)[:300])
		self.assertIn("FI", refused.get_data(as_text=True))
		self.assertEqual(rm_only.get("/api/method/rma_portal.api.returns.list_rmas").status_code, 200)
		self.assertEqual(every.get(invoices).status_code, 200)  # the member (administrator) has FI
		# ERPNext's own pages and REST routes go through the same access point
		self.assertIn(rm_only.get("/api/resource/Sales Invoice").status_code, (403, 404))

	def test_a_revoked_key_is_refused_at_once(self):
		authorization = new_key(self.customer, self.user)
		client = KeyClient(authorization)
		rmas = "/api/method/rma_portal.api.returns.list_rmas"
		self.assertEqual(client.get(rmas).status_code, 200)

		browser = Browser(self.user, DEMO_PASSWORD)
		# a user of two companies: the token from the switcher's page (/rma sends to it)
		page = browser.get("/company").get_data(as_text=True)
		browser.csrf_token = page.split('frappe.csrf_token = "', 1)[1].split('"', 1)[0]
		chosen = browser.post(
			"/api/method/rma_portal.api.company.switch_customer", {"customer": self.customer}, csrf=True
		)
		self.assertEqual(chosen.status_code, 200)
		key_id = authorization.split(" ", 1)[1].split(":", 1)[0]
		revoked = browser.post(
			"/api/method/rma_portal.api.dealer_api.revoke_key", {"key_id": key_id}, csrf=True
		)
		self.assertEqual(revoked.status_code, 200, revoked.get_data(as_text=True)[:300])

		refused = client.get(rmas)
		self.assertEqual(refused.status_code, 401)
		self.assertNotIn("Traceback", refused.get_data(as_text=True))
		wrong = KeyClient(authorization[:-3] + "xyz")
		self.assertEqual(wrong.get(rmas).status_code, 401)

	def test_a_key_of_one_company_is_refused_on_anothers_documents(self):
		client = KeyClient(new_key(self.customer, self.user))
		refused = client.get("/api/method/rma_portal.api.returns.download_documents", name=self.other_rma)
		self.assertEqual(refused.status_code, 403)
		listed = client.get("/api/method/rma_portal.api.returns.list_rmas", search=self.other_rma)
		self.assertNotIn(self.other_rma, listed.get_data(as_text=True))
		if self.other_invoice:
			invoice = client.get(
				"/api/method/rma_portal.api.invoices.download_invoice", name=self.other_invoice
			)
			self.assertIn(invoice.status_code, (403, 404))
		switched = client.post("/api/method/rma_portal.api.company.switch_customer", {"customer": self.other})
		self.assertEqual(switched.status_code, 403)

	def test_each_key_has_its_own_rate_limit(self):
		limited = KeyClient(new_key(self.customer, self.user, per_minute=3))
		other = KeyClient(new_key(self.customer, self.user))
		path = "/api/method/rma_portal.api.company.list_addresses"
		# counted per minute: the calls may straddle the minute's end, so the fourth call of one minute
		# is refused, or at the latest the fourth of the next (the seventh call)
		statuses = []
		while 429 not in statuses and len(statuses) < 7:
			statuses.append(limited.get(path).status_code)
		self.assertEqual(statuses[:3], [200, 200, 200])
		self.assertEqual(statuses[-1], 429, statuses)
		self.assertEqual(set(statuses[:-1]), {200})
		self.assertEqual(other.get(path).status_code, 200)  # the same user's other key counts apart

	def test_a_page_past_the_keys_limit_answers_429(self):
		"""A page (not /api/) past the key's limit is a 429 too, not a request left without an answer
		(Frappe's handle_exception has a 429 page only for its own rate limiter)."""
		limited = KeyClient(new_key(self.customer, self.user, per_minute=2))
		statuses = []
		while 429 not in statuses and len(statuses) < 5:
			statuses.append(limited.get("/portal").status_code)
		self.assertEqual(statuses[-1], 429, statuses)
		self.assertLess(len(statuses), 5)

	def test_a_key_is_not_taken_with_a_browser_session(self):
		authorization = new_key(self.customer, self.user)
		browser = Browser(self.user, DEMO_PASSWORD)
		both = over_http(
			browser.client.get,
			"/api/method/rma_portal.api.returns.list_rmas",
			headers={"Authorization": authorization},
		)
		self.assertEqual(both.status_code, 401)

	def test_keys_are_made_on_the_company_users_page_shown_once_and_stored_hashed(self):
		manager = frappe.generate_hash(length=8) + "@keys.example"
		make_customer(self.customer, manager, "Key", "Manager")
		member = members.load(self.customer, manager).name
		frappe.db.set_value(members.MEMBER, member, {"flag_us": 1, "flag_fi": 0})
		target = members.load(self.customer, self.user).name
		frappe.db.commit()
		browser = Browser(manager, DEMO_PASSWORD)
		create = "/api/method/rma_portal.api.dealer_api.create_key"

		# a user manager gives a key only rights they hold (not FI), and none for the administrator
		refused = browser.post(create, {"member": member, "label": "ERP", "rights": '["FI"]'}, csrf=True)
		self.assertEqual(refused.status_code, 403, refused.get_data(as_text=True)[:300])
		refused = browser.post(create, {"member": target, "label": "ERP", "all_rights": 1}, csrf=True)
		self.assertEqual(refused.status_code, 403)

		made = browser.post(create, {"member": member, "label": "ERP", "rights": '["RM"]'}, csrf=True)
		self.assertEqual(made.status_code, 200, made.get_data(as_text=True)[:300])
		answer = made.json["message"]
		stored = frappe.db.get_value(
			"Dealer API Key", answer["key_id"], ["secret_hash", "rights", "user", "customer"], as_dict=True
		)
		self.assertEqual(stored.secret_hash, hashlib.sha256(answer["secret"].encode()).hexdigest())
		self.assertEqual((stored.rights, stored.user, stored.customer), ("RM", manager, self.customer))
		row = frappe.db.sql(
			"select * from `tabDealer API Key` where name=%s", answer["key_id"], as_dict=True
		)[0]
		self.assertNotIn(answer["secret"], json.dumps(row, default=str))

		page = browser.get("/company/users").get_data(as_text=True)
		self.assertIn(answer["key_id"], page)
		self.assertNotIn(answer["secret"], page)

		client = KeyClient(answer["authorization"])
		self.assertEqual(client.get("/api/method/rma_portal.api.returns.list_rmas").status_code, 200)
		frappe.db.rollback()  # a snapshot of our own: the request recorded the use in its own transaction
		self.assertTrue(frappe.db.get_value("Dealer API Key", answer["key_id"], "last_used"))
		# a key never makes keys, nor reads the webhooks' log
		again = client.post(create, {"member": member, "label": "more", "rights": ["RM"]})
		self.assertEqual(again.status_code, 403)
		self.assertEqual(client.get("/api/method/rma_portal.api.dealer_api.list_deliveries").status_code, 403)
