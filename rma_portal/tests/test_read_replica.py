"""The methods a read replica may answer: marked with Frappe's read_only() (frappe.connect_replica
sends them to the replica when the site has `read_from_replica`), and none that writes.

A method is marked when it only reads and its answer is not what the user sees right after their
own write (replication is asynchronous): the ticket, claim and quotation pages a write leads to, and
the import's progress, stay on the primary. scripts/replica-demo shows the marks at work against a
real replica (benchmarks/replica_check.py)."""

import importlib
import inspect
import pkgutil
import socket

import frappe
from frappe.tests.utils import FrappeTestCase

import rma_portal.api
from rma_portal.overrides import replica_fallback

READ_ONLY = {
	"account_requests.get_form_options",
	"account_requests.list_requests",
	"company.list_addresses",
	"company.list_members",
	"contracts.list_contracts",
	"dealer_api.list_deliveries",
	"invoices.list_invoices",
	"orders.export_pending_lines",
	"orders.get_pending_lines",
	"projects.get_project",
	"projects.list_projects",
	"quote_requests.get_form_options",
	"quote_requests.search_items",
	"returns.get_candidates",
	"returns.get_line_serials",
	"returns.list_rmas",
	"returns.preview_fee",
	"service.check_ean",
	"service.export_requests",
	"service.lookup_serial",
	"service.rma_types",
	"service.search",
	"shared_files.list_files",
	"shipments.list_shipments",
	"tickets.list_tickets",
	"warranty.export_claims",
	"warranty.get_form_options",
	"warranty.item_invoices",
	"warranty.list_claims",
}
# the code of Frappe's read_only() wrapper, to recognise it under functools.wraps' borrowed names
READ_ONLY_CODE = frappe.read_only()(lambda: None).__code__


def whitelisted_methods() -> dict:
	"""module.function -> the whitelisted function, for every method of rma_portal.api."""
	found = {}
	for info in pkgutil.iter_modules(rma_portal.api.__path__):
		if info.name.startswith("test_"):
			continue
		module = importlib.import_module(f"rma_portal.api.{info.name}")
		for name, fn in inspect.getmembers(module, inspect.isfunction):
			if fn.__module__ == module.__name__ and fn in frappe.whitelisted:
				found[f"{info.name}.{name}"] = fn
	return found


def is_read_only(fn) -> bool:
	"""Whether Frappe's read_only() wrapper is in the chain the request handler calls."""
	while fn is not None:
		if getattr(fn, "__code__", None) is READ_ONLY_CODE:
			return True
		fn = getattr(fn, "__wrapped__", None)
	return False


class TestReadOnlyMarks(FrappeTestCase):
	def test_the_read_only_methods_are_marked_and_no_other(self):
		methods = whitelisted_methods()
		self.assertTrue(READ_ONLY <= set(methods), sorted(READ_ONLY - set(methods)))
		marked = {name for name, fn in methods.items() if is_read_only(fn)}
		self.assertEqual(marked, READ_ONLY)

	def test_no_method_that_writes_is_marked(self):
		for name, fn in whitelisted_methods().items():
			allowed = frappe.allowed_http_methods_for_whitelisted_func[fn]
			if "GET" not in allowed:  # the app's writes are POST only
				self.assertFalse(is_read_only(fn), name)
			if is_read_only(fn):
				self.assertIn("GET", allowed, name)

	def test_the_marked_methods_only_read(self):
		"""Each marked method answers in a READ ONLY transaction, as a replica with read_only would:
		a write there fails (MariaDB error 1792)."""
		frappe.set_user("Administrator")
		customer = "Demo Dealer"
		item = frappe.db.get_value(
			"Sales Invoice Item", {"docstatus": 1, "parenttype": "Sales Invoice"}, "item_code"
		)
		serial = frappe.db.get_value("Serial No", {}, "name")
		ean = frappe.db.get_value("Item Barcode", {}, "barcode")
		project = frappe.db.get_value("Project", {"customer": customer}, "name")
		delivered = frappe.db.get_value("Delivery Note", {"customer": customer, "docstatus": 1}, "name")
		delivered = delivered and frappe.db.get_value("Delivery Note Item", {"parent": delivered}, "name")
		calls = {
			"account_requests.get_form_options": {},
			"account_requests.list_requests": {},
			"company.list_addresses": {},
			"company.list_members": {},
			"contracts.list_contracts": {},
			"invoices.list_invoices": {},
			"orders.export_pending_lines": {},
			"orders.get_pending_lines": {},
			"projects.list_projects": {},
			"quote_requests.get_form_options": {},
			"quote_requests.search_items": {"text": "LED"},
			"returns.get_candidates": {},
			"returns.get_line_serials": {"lines": '["' + (delivered or "none") + '"]'},
			"returns.list_rmas": {},
			"returns.preview_fee": {"lines": [{"delivery_note_item": delivered or "none", "qty": 1}]},
			"dealer_api.list_deliveries": {},
			"service.check_ean": {"ean": ean or "0000000000000"},
			"service.export_requests": {"status": "Completed"},
			"service.lookup_serial": {"serial_no": serial or "none"},
			"service.rma_types": {},
			"service.search": {"text": "RMA"},
			"shared_files.list_files": {},
			"shipments.list_shipments": {},
			"tickets.list_tickets": {},
			"warranty.export_claims": {"status": "Refused"},
			"warranty.get_form_options": {},
			"warranty.item_invoices": {"item_code": item},
			"warranty.list_claims": {},
		}
		if project:
			calls["projects.get_project"] = {"name": project}
		self.assertEqual(set(calls) | {"projects.get_project"}, READ_ONLY)
		methods = whitelisted_methods()
		# the demo dealer as their company's administrator, so no method stops at the access check
		member = frappe.db.get_value(
			"Company Member", {"user": "dealer@demo.example", "customer": customer}, ["name", "is_admin"]
		)
		self.assertIsNotNone(member)
		frappe.db.set_value("Company Member", member[0], "is_admin", 1)
		frappe.db.commit()
		self.addCleanup(frappe.db.commit)
		self.addCleanup(frappe.db.set_value, "Company Member", member[0], "is_admin", member[1])
		frappe.set_user("dealer@demo.example")
		try:
			for name, kwargs in calls.items():
				with self.subTest(method=name):
					frappe.local.response = frappe._dict()
					frappe.db.rollback()
					frappe.db.begin(read_only=True)
					try:
						methods[name](**kwargs)
					finally:
						frappe.db.rollback()
		finally:
			frappe.set_user("Administrator")
			frappe.local.response = frappe._dict()


class TestReplicaFallback(FrappeTestCase):
	"""With `read_from_replica` and the replica down, a read_only method answers from the primary (a
	warning logged) instead of failing on its first query; once the replica answers, it is read again
	(overrides/replica_fallback.py). scripts/replica-demo shows the same with a real replica stopped
	and started (benchmarks/replica_check.py)."""

	def setUp(self):
		replica_fallback.install()
		replica_fallback._replica_down_until = 0.0
		conf = frappe.local.conf
		saved = {key: conf.get(key) for key in REPLICA_KEYS}
		self.addCleanup(conf.update, saved)
		self.addCleanup(setattr, replica_fallback, "_replica_down_until", 0.0)
		# the site's own database server stands in for a replica that answers
		conf.update(read_from_replica=1, replica_host="127.0.0.1", replica_retry_seconds=0)
		self.live_port = int(conf.db_port or 3306)
		self.logger = f"rma_portal.replica-{frappe.local.site}"

	def ask(self):
		"""A marked method as a dealer: its answer and which connection its queries used."""
		seen = {}

		@frappe.read_only()
		def read():
			seen["replica"] = frappe.local.db is getattr(frappe.local, "replica_db", None)
			return whitelisted_methods()["service.rma_types"]()

		primary = frappe.local.db
		frappe.set_user("dealer@demo.example")
		try:
			answer = read()
		finally:
			frappe.set_user("Administrator")
			# Frappe leaves the swapped pair on frappe.local for the rest of a request; a request's
			# locals are dropped after it, the test's are not
			for name in ("replica_db", "primary_db"):
				if hasattr(frappe.local, name):
					delattr(frappe.local, name)
		self.assertIs(frappe.local.db, primary)
		return answer, seen["replica"]

	def test_replica_down_then_back(self):
		frappe.local.conf.replica_db_port = closed_port()
		with self.assertLogs(self.logger, "WARNING") as logged:
			answer, on_replica = self.ask()
		self.assertTrue(answer)
		self.assertFalse(on_replica)
		self.assertIn("unreachable", logged.output[0])

		frappe.local.conf.replica_db_port = self.live_port
		with self.assertLogs(self.logger, "WARNING") as logged:
			answer_back, on_replica = self.ask()
		self.assertEqual(answer_back, answer)
		self.assertTrue(on_replica)
		self.assertIn("answers again", logged.output[0])

	def test_a_replica_that_failed_is_left_alone_for_the_retry_window(self):
		frappe.local.conf.update(replica_db_port=closed_port(), replica_retry_seconds=600)
		with self.assertLogs(self.logger, "WARNING"):
			self.ask()
		frappe.local.conf.replica_db_port = self.live_port
		self.assertFalse(self.ask()[1])  # within the window: the primary, without trying


REPLICA_KEYS = ("read_from_replica", "replica_host", "replica_db_port", "replica_retry_seconds")


def closed_port() -> int:
	"""A local TCP port nothing listens on (bound, then let go)."""
	with socket.socket() as probe:
		probe.bind(("127.0.0.1", 0))
		return probe.getsockname()[1]
