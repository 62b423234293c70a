"""Generated CSV files and form/JSON payloads against the real portal endpoints, through Frappe's whole
request path as the demo dealer: never a server error or a traceback, and a rejected input writes
nothing (the rows of every table a request could write are counted before and after).
"""

import csv
import io
import json
import string
from urllib.parse import quote

import frappe
from frappe.tests.utils import FrappeTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD, ITEMS, gtin13_for
from rma_portal.tests.http import Browser

DEALER = CUSTOMERS["Demo Dealer"][0]
API = "/api/method/rma_portal.api."
WRITTEN_TABLES = ("RMA", "RMA Item", "RMA Attachment", "Customer Warranty Claim", "File", "RMA Status Log")
FUZZ = settings(
	max_examples=60,
	deadline=None,
	database=None,
	suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

text = st.one_of(
	st.text(max_size=60),
	st.text(alphabet=string.printable + "\x00\x1b\u202e\ufeffąęłćśżźńóéèàç€", max_size=60),
	st.sampled_from(["=", "+", "-", "@"]).flatmap(lambda p: st.text(max_size=20).map(lambda t: p + t)),
	st.sampled_from(["<img src=x onerror=alert(1)>", "1e999", "nan", "-1", "0.5", "9" * 30, "", " "]),
	st.text(min_size=1, max_size=20).map(lambda t: t * 300),
)
values = st.recursive(
	st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text),
	lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
	max_leaves=8,
)
eans = st.one_of(
	st.integers(1, len(ITEMS)).map(gtin13_for), st.text(alphabet="0123456789", max_size=14), text
)
dates = st.one_of(
	st.dates().map(str),
	st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
	st.dates().map(lambda d: d.strftime("%d/%m/%y")),
	text,
)
expectations = st.one_of(
	st.sampled_from(["Repair", "replace", "Réparation", "Naprawa", "Credit", "Diagnosis"]), text
)
csv_rows = st.lists(
	st.tuples(text, eans, text, dates, text, expectations, text).map(list), min_size=0, max_size=35
)


# Routes a user can type: the app's pages, ERPNext's and Frappe's portal pages, print views, files and
# Frappe's generic "/<DocType>/<name>" pages (DocType names in any case)
ROUTE_HEADS = [
	"rma", "rma/new", "rma/view", "service", "warranty", "warranty/view", "portal", "portal/tickets/view",
	"portal/projects/view", "portal/offers", "portal/invoices", "portal/orders", "portal/files",
	"company", "company/users", "account-requests", "register", "register/activate", "invoices",
	"orders", "quotations", "projects", "issues", "addresses", "addresses/new", "tasks", "shipments",
	"printview", "files", "private/files", "quotation", "Quotation", "sales invoice", "issue", "file",
	"contact", "project", "contract", "customer", "address", "rma settings", "user", "me", "login",
	"update-password", "list", "newsletters", "blog", "search",
]  # fmt: skip
QUERY_KEYS = (
	"name", "doctype", "format", "page", "filters", "project", "search", "kind", "key", "_lang",
	"settings", "letterhead", "no_letterhead", "trigger_print", "show", "cmd", "web_form", "redirect-to",
)  # fmt: skip
segments = st.one_of(
	st.text(alphabet=string.ascii_letters + string.digits + "-_.~ äé<>'\"%", max_size=24),
	st.sampled_from(["SAL-QTN-2026-00001", "ISS-2026-00001", "x", "..", "%00", "new", "edit", "1"]),
)


class TestFuzzEndpoints(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.dealer = Browser(DEALER, DEMO_PASSWORD)
		cls.guest = Browser()
		cls.stats = {"inputs": 0, "server_errors": 0, "partial_writes": 0, "accepted": 0}

	@classmethod
	def tearDownClass(cls):
		print(
			f"\nfuzzing (endpoints): {cls.stats['inputs']} generated inputs, {cls.stats['server_errors']} server "
			f"errors, {cls.stats['partial_writes']} partial writes, {cls.stats['accepted']} accepted"
		)
		super().tearDownClass()

	def setUp(self):
		frappe.cache.delete_keys("rma_portal:rate:")  # the per-user query limit is not under test here

	def counts(self) -> dict:
		frappe.db.rollback()  # a fresh snapshot: the requests commit on connections of their own
		return {table: frappe.db.count(table) for table in WRITTEN_TABLES}

	def send(self, method: str, data: dict):
		before = self.counts()
		response = self.dealer.post(API + method, data, csrf=True)
		body = response.get_data(as_text=True)
		self.stats["inputs"] += 1
		if response.status_code >= 500 or "Traceback" in body:
			self.stats["server_errors"] += 1
		self.assertLess(response.status_code, 500, f"{method} {str(data)[:300]}\n{body[:600]}")
		self.assertNotIn("Traceback", body)
		message = (response.json or {}).get("message") if response.status_code == 200 else None
		accepted = (
			isinstance(message, dict)
			and (message.get("ok") or message.get("name"))
			and not message.get("errors")
		)
		if accepted:
			self.stats["accepted"] += 1
			return
		after = self.counts()
		if after != before:
			self.stats["partial_writes"] += 1
		self.assertEqual(after, before, f"{method} rejected {str(data)[:300]} but wrote rows")

	@FUZZ
	@given(rows=csv_rows, separator=st.sampled_from([",", ";", "\t"]), header=st.booleans())
	def test_generated_csv_text(self, rows, separator, header):
		out = io.StringIO()
		writer = csv.writer(out, delimiter=separator)
		if header:
			writer.writerow(
				[
					"Own RMA number",
					"EAN",
					"Serial number",
					"Sale date",
					"Problem",
					"Expectation",
					"Fault type",
				]
			)
		writer.writerows(rows)
		self.send("service.import_csv", {"csv_text": out.getvalue()})

	@FUZZ
	@given(
		rows=csv_rows,
		encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1250", "cp1252", "utf-16"]),
		name=st.sampled_from(["requests.csv", "requests.CSV", "r.txt", "../../x.csv"]),
	)
	def test_generated_csv_uploads(self, rows, encoding, name):
		out = io.StringIO()
		csv.writer(out, delimiter=";").writerows(rows)
		content = out.getvalue().encode(encoding, errors="replace")
		self.send("service.import_csv", {"csv": (io.BytesIO(content), name)})

	@FUZZ
	@given(
		header=st.one_of(values, st.dictionaries(text, values, max_size=6)),
		lines=st.one_of(values, st.lists(st.dictionaries(text, values, max_size=6), max_size=3)),
	)
	def test_generated_service_requests(self, header, lines):
		self.send("service.submit_request", {"header": json.dumps(header), "lines": json.dumps(lines)})

	@FUZZ
	@given(
		lines=st.one_of(
			values, st.lists(st.fixed_dictionaries({"delivery_note_item": text, "qty": values}), max_size=3)
		),
		reason=values,
		reference=text,
		terms=values,
	)
	def test_generated_return_requests(self, lines, reason, reference, terms):
		self.send(
			"returns.submit_return",
			{
				"lines": json.dumps(lines),
				"return_reason": json.dumps(reason) if not isinstance(reason, str) else reason,
				"customer_reference": reference,
				"terms_accepted": json.dumps(terms),
			},
		)

	@FUZZ
	@given(
		fields=st.dictionaries(
			st.sampled_from(
				["item_code", "description", "serial_no", "sales_invoice", "purchase_date", "remark"]
			),
			text,
			max_size=6,
		)
	)
	def test_generated_warranty_claims(self, fields):
		self.send("warranty.submit_claim", fields)

	@FUZZ
	@given(filters=st.one_of(values.map(json.dumps), text), page=st.one_of(text, st.integers().map(str)))
	def test_generated_candidate_filters(self, filters, page):
		response = self.dealer.get(API + "returns.get_candidates", filters=filters, page=page)
		self.stats["inputs"] += 1
		self.assertLess(
			response.status_code, 500, f"{filters!r} {page!r}\n{response.get_data(as_text=True)[:600]}"
		)

	@FUZZ
	@given(
		head=st.sampled_from(ROUTE_HEADS),
		tail=st.lists(segments, max_size=3),
		query=st.dictionaries(st.sampled_from(QUERY_KEYS), text, max_size=4),
		as_guest=st.booleans(),
	)
	def test_generated_routes(self, head, tail, query, as_guest):
		"""Any page a user can type, with any query: never a server error or a traceback."""
		path = "/" + "/".join([quote(head), *(quote(part, safe="") for part in tail)])
		browser = self.guest if as_guest else self.dealer
		response = browser.get(path, **query)
		body = response.get_data(as_text=True)
		self.stats["inputs"] += 1
		if response.status_code >= 500 or "Traceback" in body:
			self.stats["server_errors"] += 1
		self.assertLess(response.status_code, 500, f"{path} {query!r}\n{body[:600]}")
		self.assertNotIn("Traceback", body, f"{path} {query!r}")
