"""Security findings of the attacker's walk-through, each held by a test that failed before its fix.

Requests go through Frappe's whole WSGI path (rma_portal.tests.http) as the demo portal users:
"dealer" (Demo Dealer, who has RMAs) and "second" (Second Dealer, the other company).
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD, ITEMS, gtin13_for
from rma_portal.services.returns import returns
from rma_portal.services.service import service_rma
from rma_portal.services.shared import files
from rma_portal.tests.http import Browser

DEALER, SECOND = (CUSTOMERS[name][0] for name in ("Demo Dealer", "Second Dealer"))
API = "/api/method/"


class TestPortalSecurity(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.dealer = Browser(DEALER, DEMO_PASSWORD)
		cls.second = Browser(SECOND, DEMO_PASSWORD)
		cls.rma = frappe.db.get_value("RMA", {"customer": "Demo Dealer"}, "name")

	def assertClientError(self, response, status=None, names=None):
		body = response.get_data(as_text=True)
		self.assertGreaterEqual(response.status_code, 400, body[:300])
		self.assertLess(response.status_code, 500, body[:300])
		if status:
			self.assertEqual(response.status_code, status, body[:300])
		if names:
			self.assertIn(names, body)
		self.assertNotIn("Traceback", body)
		return body

	# 1. counting another customer's data through frappe.client.get_count
	def test_generic_counts_and_reads_are_refused_to_portal_users(self):
		filters = json.dumps([["customer", "=", "Demo Dealer"], ["customer_reference", "like", "D%"]])
		for method in ("frappe.client.get_count", "frappe.desk.reportview.get_count"):
			for prefix in (API, "/api/v2/method/"):
				response = self.second.get(prefix + method, doctype="RMA", filters=filters)
				self.assertClientError(response, 403)
				self.assertNotIn("data", response.json)  # v2's answer
				self.assertNotIsInstance(response.json.get("message"), int)  # v1's
		response = self.second.get(
			API + "frappe.client.get_value", doctype="RMA", filters=filters, fieldname="remarks"
		)
		self.assertClientError(response, 403)

	# 2. CSRF: portal sessions get a token and state changes need it
	def test_state_changes_need_the_sessions_csrf_token(self):
		token = self.dealer.page_csrf_token()
		self.assertTrue(token and token != "None", "the portal page renders no CSRF token")
		method = API + "rma_portal.api.returns.submit_return"
		for headers in ({}, {"X-Frappe-CSRF-Token": "bogus"}):
			response = self.dealer.post(method, {"lines": "[]"}, headers=headers)
			self.assertClientError(response, 400, "CSRFTokenError")
		response = self.dealer.post(method, {"lines": "[]"}, csrf=True)
		self.assertClientError(response, 417, "select at least one delivered line")

	# 3. wrong shapes are 4xx naming the field, never a server error
	def test_wrong_arguments_are_client_errors_naming_the_field(self):
		get, post = self.dealer.get, self.dealer.post
		cases = [
			(get(API + "rma_portal.api.returns.get_candidates", filters="{bad"), "filters"),
			(
				get(API + "rma_portal.api.returns.get_candidates", filters='{"item_code": {"x": 1}}'),
				"filters.item_code",
			),
			(get(API + "rma_portal.api.returns.get_candidates", page="999999999999999999999"), "page"),
			(get(API + "rma_portal.api.returns.list_rmas", page="abc"), "page"),
			(post(API + "rma_portal.api.returns.submit_return", {"lines": "x"}, csrf=True), "lines"),
			(post(API + "rma_portal.api.returns.submit_return", {"lines": '["a"]'}, csrf=True), "lines[1]"),
			(
				post(
					API + "rma_portal.api.service.submit_request",
					{"header": '{"rma_type": {"a": 1}}'},
					csrf=True,
				),
				"header.rma_type",
			),
			(post(API + "rma_portal.api.service.submit_request", {"header": "{bad"}, csrf=True), "header"),
		]
		# a row sent as JSON text is read as the row it encodes (it was a server error)
		row_as_text = json.dumps([json.dumps({"delivery_note_item": "NO-SUCH-LINE", "qty": 1})])
		cases.append(
			(
				post(API + "rma_portal.api.returns.submit_return", {"lines": row_as_text}, csrf=True),
				"NO-SUCH-LINE",
			)
		)
		for response, field in cases:
			self.assertClientError(response, 417, field)
		self.assertClientError(get("/rma/anything"), 404)

	def test_a_number_filter_of_nan_or_infinity_matches_nothing(self):
		for value in ("nan", "1e999", "-inf"):
			response = self.dealer.get(
				API + "rma_portal.api.returns.get_candidates", filters=json.dumps({"qty_delivered": value})
			)
			self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:300])
			self.assertEqual(response.json["message"]["rows"], [])

	# 4. quantities: whole units, rounded to the field's precision; 5. customer text is plain text
	def test_quantities_follow_the_unit_and_text_is_stored_plain(self):
		line = next(
			r for r in returns.candidate_lines("Demo Dealer", page_size=100)["rows"] if r.qty_returnable >= 2
		)
		reason = frappe.db.get_value("RMA Return Reason", {"enabled": 1})
		self.assertTrue(frappe.db.get_value("UOM", line.uom, "must_be_whole_number"), line.uom)

		def request(qty, remarks=None):
			return returns.create_return_rma(
				"Demo Dealer",
				DEALER,
				[{"delivery_note_item": line.delivery_note_item, "qty": qty}],
				return_reason=reason,
				remarks=remarks,
				terms_accepted=True,
			)

		try:
			for qty in (0.5, 6e-7):
				with self.assertRaises(returns.ReturnRequestError):
					request(qty)
			name = request(
				str(line.qty_returnable + 0.0000004), remarks='Box <img src="https://x.example/p.gif">dented'
			)
			rma = frappe.get_doc("RMA", name)
			self.assertEqual(rma.items[0].qty_requested, line.qty_returnable)
			self.assertEqual(rma.remarks, "Box dented")
		finally:
			frappe.db.rollback()

	# 6. the portal's own pages, not Frappe's print view, show an RMA to its customer
	def test_print_views_of_the_apps_documents_are_refused_to_portal_users(self):
		self.assertTrue(self.rma)
		self.assertClientError(self.dealer.get("/printview", doctype="RMA", name=self.rma), 403)
		self.assertClientError(
			self.dealer.get(API + "frappe.utils.print_format.download_pdf", doctype="RMA", name=self.rma), 403
		)
		self.assertClientError(self.dealer.get(f"/RMA/{self.rma}"), 404)
		self.assertClientError(self.dealer.get("/Customer Warranty Claim/anything"), 404)
		page = self.dealer.get("/rma/view", name=self.rma)
		self.assertEqual(page.status_code, 200)

	# 7. the same bytes uploaded for two documents are two files
	def test_identical_uploads_are_stored_apart(self):
		content = b"%PDF-1.4\n% the same bytes twice\n%%EOF\n"
		try:
			first = files.save_private_file("RMA", self.rma, "proof.pdf", content)
			second = files.save_private_file("Customer", "Second Dealer", "proof.pdf", content)
			self.assertNotEqual(first.file_url, second.file_url)
			self.assertTrue(first.file_url.startswith("/private/files/"))
			with open(second.get_full_path(), "rb") as stored:
				self.assertEqual(stored.read(), content)
		finally:
			frappe.db.rollback()

	# 8. per-user limits on queries, and no catalogue facts for products never bought
	def test_queries_are_limited_per_user(self):
		from rma_portal.api import QUERIES_PER_MINUTE
		from rma_portal.api import service as api

		frappe.set_user(SECOND)
		try:
			frappe.cache.delete_keys("rma_portal:rate:")
			for _n in range(QUERIES_PER_MINUTE):
				api.lookup_serial("NO-SUCH-SERIAL")
			with self.assertRaises(frappe.RateLimitExceededError):
				api.lookup_serial("NO-SUCH-SERIAL")
			frappe.set_user(DEALER)
			api.lookup_serial("NO-SUCH-SERIAL")  # another user's own allowance
		finally:
			frappe.set_user("Administrator")
			frappe.cache.delete_keys("rma_portal:rate:")

	def test_warranty_check_tells_nothing_of_products_never_bought(self):
		bought = service_rma.purchase_history("Second Dealer", [code for code, *_rest in ITEMS])
		index, code = next((i, c) for i, (c, *_r) in enumerate(ITEMS, start=1) if c not in bought)
		result = service_rma.warranty_check("Second Dealer", gtin13_for(index))
		self.assertFalse(result["known"] or result["purchased"], code)
		self.assertNotIn("item_code", result)
		self.assertNotIn("brand", result)

	# Frappe's "Not Permitted" page offered "Login" to a logged-in user refused for want of a right
	def test_a_refused_member_is_offered_the_way_back_not_login(self):
		refused = self.dealer.get("/company/users")  # the demo dealer has no US (manage users) right
		body = self.assertClientError(refused, status=403)
		self.assertIn("Back to the overview", body)
		self.assertIn("href='/portal'", body)
		self.assertNotIn("/login?redirect-to", body)
		guest = Browser().get("/rma")
		self.assertIn("/login?redirect-to", self.assertClientError(guest, status=403))
