"""The OpenAPI document (issue 26): docs/openapi.json is what the code generates (a method changed
without the document following fails here: regenerate it with `bench --site <site> execute
rma_portal.api.openapi.write_document`), it lists every dealer-facing method, found here the way
the isolation probe finds each method's access action (not the generator's own reading), and the
site serves it to a logged-in user (guests are refused). Its validity as OpenAPI 3.1 is
tests/test_openapi_document.py (the validator lives in the test tools' environment)."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.api import openapi
from rma_portal.demo.data import DEMO_PASSWORD
from rma_portal.domain import api_keys
from rma_portal.rma_portal.doctype.rma.test_rma import _make_customer
from rma_portal.tests.http import Browser
from rma_portal.tests.test_isolation_probe import gate_of, http_methods, qualified, whitelisted_methods

SERVED = "/api/method/rma_portal.api.openapi.document"


class TestOpenApiDocument(FrappeTestCase):
	def test_the_kept_document_is_what_the_code_generates(self):
		kept = json.loads(openapi.DOCS_PATH.read_text(encoding="utf-8"))
		generated = json.loads(openapi.dumps(openapi.build()))
		changed = sorted(
			path
			for path in set(kept["paths"]) | set(generated["paths"])
			if kept["paths"].get(path) != generated["paths"].get(path)
		)
		self.assertEqual(changed, [], "docs/openapi.json is behind the code: regenerate it (see the module)")
		self.assertEqual(kept, generated)

	def test_every_dealer_facing_method_is_in_the_document(self):
		paths = openapi.build()["paths"]
		expected = {}
		for fn in whitelisted_methods():
			if not fn.__module__.startswith("rma_portal.api.") or fn in frappe.guest_methods:
				continue
			action = gate_of(fn)
			if action in (None, "desk") or action in api_keys.SESSION_ONLY_ACTIONS:
				continue
			expected[f"/api/method/{qualified(fn)}"] = {m.lower() for m in http_methods(fn)}
		self.assertGreater(len(expected), 40)
		missing = sorted(path for path in expected if path not in paths)
		self.assertEqual(missing, [])
		for path, methods in expected.items():
			self.assertEqual(set(paths[path]), methods, path)
		# and nothing a key may not call: desk methods, guests' registration, key administration
		for path in paths:
			self.assertNotIn("rma_portal.api.desk.", path)
			self.assertNotIn("rma_portal.api.registration.", path)
			self.assertNotIn("rma_portal.api.dealer_api.", path)

	def test_the_site_serves_it_to_logged_in_users_only(self):
		_customer, user = _make_customer("OpenAPI Reader")
		frappe.db.commit()
		served = Browser(user, DEMO_PASSWORD).get(SERVED)
		self.assertEqual(served.status_code, 200)
		document = served.json["message"]
		self.assertEqual(document["paths"], openapi.build()["paths"])
		self.assertEqual(document["servers"][0]["url"], frappe.utils.get_url())
		self.assertIn(Browser().get(SERVED).status_code, (401, 403))
