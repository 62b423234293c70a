"""What a portal page reads beyond Frappe's own page: the access point reads its user's memberships in
one statement (it ran five on every page, the menu included), `can` answers without the refusal's
message (whom to ask costs a query), the overview counts its badges in one statement and an RMA's page
reads the RMA once. Each gives the same answers as the record-by-record reading it replaces."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal import access, membership
from rma_portal.services.company import members
from rma_portal.services.portal import portal_dashboard, portal_quotations, projects
from rma_portal.services.returns.returns import rma_detail
from rma_portal.services.service.service_rma import service_detail
from rma_portal.tests.records import queries_asked
from rma_portal.tests.test_company_members import MadeUsersCase, make_company, make_rma, make_user


class TestPageReads(MadeUsersCase):
	def test_memberships_in_one_statement_as_record_by_record(self):
		rm_only, disabled, blocked = make_company(), make_company(), make_company(authorised=False)
		user = make_user("reader")
		members.ensure_member(rm_only, user, flags=("RM",))
		members.ensure_member(disabled, user, flags=("RM", "FI"))
		frappe.db.set_value(members.MEMBER, membership.load(disabled, user).name, "enabled", 0)
		members.link_user(blocked, user)  # linked by staff, no member record yet: the default flags
		access.clear_cache()

		with self.assertQueryCount(1):
			customers = access.customers_of(user)
			seen = {c: access.member(c, user) for c in (rm_only, disabled, blocked)}
		self.assertEqual(customers, sorted([rm_only, blocked]))  # the disabled membership drops out
		self.assertEqual(sorted(access.linked_customers(user)), sorted([rm_only, disabled, blocked]))
		self.assertEqual(seen[rm_only].flags, frozenset({"RM"}))
		self.assertTrue(seen[rm_only].authorised and seen[rm_only].enabled)
		self.assertFalse(seen[disabled].enabled)
		self.assertIsNone(seen[blocked].name)
		self.assertFalse(seen[blocked].authorised)

		# the same answers as reading each record on its own (a customer outside the user's links)
		for customer in (rm_only, disabled, blocked):
			access.clear_cache()
			self.assertEqual(access.member(customer, user), seen[customer])

	def test_can_answers_without_building_the_refusal(self):
		customer = make_company()
		user = make_user("no-fi")
		members.ensure_member(customer, user, flags=("RM",))
		frappe.set_user(user)
		access.can("rma.read", customer)  # reads the user's roles and memberships once per request
		with self.assertQueryCount(0):
			self.assertTrue(access.can("rma.read", customer))
			self.assertFalse(access.can("invoice.read", customer))
		self.assertIn(
			"FI", access.refusal("invoice.read", customer)
		)  # the message still says what is missing

	def test_overview_counts_as_the_lists_do(self):
		customer = make_company()
		user = make_user("overview")
		members.ensure_member(customer, user, flags=("RM",))
		make_rma(customer, user)  # Expected
		data = portal_dashboard.overview(customer)
		expected = frappe.db.count("RMA", {"customer": customer, "status": "Expected", "docstatus": ["<", 2]})
		by_status = {row["status"]: row for row in data["rmas"]}  # Requested (awaiting approval) first
		self.assertEqual(by_status["Expected"], {"status": "Expected", "count": expected})
		self.assertEqual(expected, 1)
		self.assertEqual(
			[row["status"] for row in data["claims"]], list(portal_dashboard.OPEN_CLAIM_STATUSES)
		)
		listed = projects.list_projects(customer, status="Open", page_size=5)
		self.assertEqual(data["projects"], {"rows": listed["rows"], "total": listed["total"]})
		awaiting = portal_quotations.awaiting_answer(customer)
		self.assertEqual(data["quotations"], {"rows": awaiting["rows"], "total": awaiting["total"]})

		# a customer with open projects and quotations: the demo's (a fresh site has them after rma-demo)
		busy = frappe.db.get_value("Project", {"status": "Open", "customer": ["is", "set"]}, "customer")
		if busy:
			data = portal_dashboard.overview(busy)
			listed = projects.list_projects(busy, status="Open", page_size=5)
			self.assertEqual(data["projects"], {"rows": listed["rows"], "total": listed["total"]})
			awaiting = portal_quotations.awaiting_answer(busy)
			self.assertEqual(data["quotations"], {"rows": awaiting["rows"], "total": awaiting["total"]})

	def test_service_rma_read_once_with_its_service_fields(self):
		customer = make_company()
		user = make_user("service")
		members.ensure_member(customer, user, flags=("RM",))
		name = make_rma(customer, user)
		detail = rma_detail(customer, name)
		service = service_detail(customer, name)
		self.assertEqual(detail["service"].rma_type, service.rma_type)
		self.assertEqual(detail["service"].lines, service.lines)
		self.assertEqual(detail["service"].attachments, service.attachments)
		self.assertEqual(detail["service"].lines[0].problem_description, "members test")
		with self.assertRaises(frappe.PermissionError):
			rma_detail(make_company(), name)
		with self.assertRaises(frappe.PermissionError):
			rma_detail(customer, "RMA/does-not-exist")
		# the refusal says why, without echoing the unknown number
		self.assertNotIn("does-not-exist", str(frappe.local.message_log))

	def test_barcode_as_python_barcode_draws_it(self):
		import base64
		from io import BytesIO

		from barcode import Code128
		from barcode.writer import SVGWriter

		from rma_portal.www.rma import barcode_data_uri

		options = {"module_width": 0.2, "module_height": 6, "quiet_zone": 1, "write_text": False}
		for name in ("RMA/00001/SR/2026", "RMA/00006/SR/2026-B2k-5", "x"):
			drawn = BytesIO()
			Code128(name, writer=SVGWriter()).write(drawn, options=options)
			expected = "data:image/svg+xml;base64," + base64.b64encode(drawn.getvalue()).decode()
			self.assertEqual(barcode_data_uri(name), expected)  # the same bytes, without the DOM
		self.assertIsNone(barcode_data_uri("Ä"))  # not in Code 128: no barcode, as before

	def test_pages_compile_their_templates_once_per_process(self):
		from rma_portal.overrides import templates
		from rma_portal.tests.http import Browser
		from rma_portal.tests.test_company_members import PASSWORD

		customer = make_company()
		user = make_user("pages")
		members.ensure_member(customer, user, flags=("RM",))
		frappe.db.commit()
		browser = Browser(user, PASSWORD)
		first = browser.get("/rma")
		self.assertEqual(first.status_code, 200)
		compiled = dict(templates.CACHE.store)
		self.assertTrue(compiled)  # web.html, base.html, the sidebar, the app's macros ...
		texts = dict(templates._compiled)
		self.assertTrue(texts)  # the page's own template, which Frappe hands over as text
		second = browser.get("/rma")
		self.assertEqual(second.status_code, 200)
		self.assertEqual(templates.CACHE.store, compiled)  # nothing compiled anew
		self.assertEqual(templates._compiled, texts)
		self.assertEqual(first.get_data(), second.get_data())  # and the same page

		# a template whose source changed is compiled anew (the cache is keyed by its checksum)
		from jinja2 import DictLoader
		from jinja2.sandbox import SandboxedEnvironment

		env = SandboxedEnvironment(loader=DictLoader({"t.html": "one"}), bytecode_cache=templates.CACHE)
		self.assertEqual(env.get_template("t.html").render(), "one")
		env = SandboxedEnvironment(loader=DictLoader({"t.html": "two"}), bytecode_cache=templates.CACHE)
		self.assertEqual(env.get_template("t.html").render(), "two")
		# a text's code is kept, each render still sees its own values; another text is its own
		env = SandboxedEnvironment()
		env.from_string = templates._from_string_kept(env)
		self.assertEqual(env.from_string("{{ a }}").render(a=1), "1")
		self.assertEqual(env.from_string("{{ a }}").render(a=2), "2")
		self.assertEqual(env.from_string("{{ a }}!", {"a": 3}).render(), "3!")

	def test_app_page_under_a_doctype_name_resolves_its_route_once(self):
		"""/rma/new starts with a DocType's name (RMA): the guard against Frappe's generic print page
		knows the app's own routes and leaves the route to Frappe's one resolution."""
		from frappe.website.path_resolver import PathResolver

		from rma_portal.tests.http import Browser
		from rma_portal.tests.test_company_members import PASSWORD

		customer = make_company()
		user = make_user("routes")
		members.ensure_member(customer, user, flags=("RM",))
		frappe.db.commit()
		browser = Browser(user, PASSWORD)
		resolved, resolve = [], PathResolver.resolve

		def counted(resolver):
			resolved.append(resolver.path)
			return resolve(resolver)

		PathResolver.resolve = counted
		try:
			page = browser.get("/rma/new")
		finally:
			PathResolver.resolve = resolve
		self.assertEqual(page.status_code, 200)
		self.assertEqual(resolved, ["rma/new"])

	def test_print_page_guard_asks_nothing_for_the_apps_own_routes(self):
		"""/portal/invoices, /rma/view ...: the guard against Frappe's generic "/<DocType>/<name>" print
		page knows the app's own routes before it asks whether "portal" is a DocType (a query on every
		such page); any other two-part path is still checked."""
		from rma_portal.overrides import request_guard

		frappe.db.value_cache.clear()
		with queries_asked() as asked:
			self.assertFalse(request_guard._generic_print_page("/portal/invoices"))
			self.assertFalse(request_guard._generic_print_page("/rma/view"))
			self.assertEqual(asked, [])
			request_guard._generic_print_page("/Sales Invoice/ACC-SINV-NONE")
			self.assertTrue(any("tabDocType" in query for query in asked))

	def test_money_as_frappe_formats_it_with_the_settings_read_once(self):
		"""A page's fmt_money formats as Frappe's fmt_money does (symbol, side, precision), reading the
		site's number settings when the page starts, not once per amount."""
		from frappe.utils import fmt_money

		from rma_portal.www.portal_display import money_formatter

		money = money_formatter()
		asked, get_default = [], frappe.db.get_default

		def counted(key, *args, **kwargs):
			asked.append(key)
			return get_default(key, *args, **kwargs)

		frappe.db.get_default = counted
		try:
			shown = [money(amount, "EUR") for amount in (0, -22.5, 1234.5, 1102.555, "17")]
		finally:
			del frappe.db.get_default
		self.assertEqual(asked, [])
		expected = [fmt_money(amount, currency="EUR") for amount in (0, -22.5, 1234.5, 1102.555, "17")]
		self.assertEqual(shown, expected)
		self.assertEqual(money(5, None), fmt_money(5))


def boot_of(page) -> dict:
	"""The boot data a web page hands its scripts (`frappe.boot = {...}` in Frappe's base.html)."""
	import json

	html, marker = page.get_data(as_text=True), "frappe.boot = "
	assert marker in html, "the page has no frappe.boot"
	return json.JSONDecoder().raw_decode(html.split(marker, 1)[1])[0]


class TestFrappesPageFloor(MadeUsersCase):
	"""What every web page costs in Frappe v15 before the page's own work, and what the app spares its
	users of it (overrides/website_boot.py, app_pages.py, route_maps.py): the same page, less work."""

	def test_a_website_users_page_and_login_skip_the_desks_workspaces_and_caches(self):
		import frappe.cache_manager as cache_manager
		import frappe.desk.desktop as desktop

		from rma_portal.compat import web_boot_reads_workspaces
		from rma_portal.tests.http import Browser
		from rma_portal.tests.test_company_members import PASSWORD

		customer = make_company()
		dealer, staff = make_user("boot"), make_user("boot-staff", staff=True)
		members.ensure_member(customer, dealer, flags=("RM",))
		frappe.db.commit()
		read, frappe_read = [], desktop.get_workspace_sidebar_items
		counted_tables, frappe_count = [], cache_manager.build_table_count_cache

		def counted():
			read.append(frappe.session.user)
			return frappe_read()

		def tables_counted():
			counted_tables.append(frappe.session.user)
			return frappe_count()

		Browser().get("/login")  # the process has served a request (and the hooks have run)
		desktop.get_workspace_sidebar_items = counted
		cache_manager.build_table_count_cache = tables_counted
		try:
			dealers_page = Browser(dealer, PASSWORD).get("/rma")
			staff_page = Browser(staff, PASSWORD).get("/me")
		finally:
			desktop.get_workspace_sidebar_items = frappe_read
			cache_manager.build_table_count_cache = frappe_count
		self.assertEqual(dealers_page.status_code, 200)
		self.assertEqual(staff_page.status_code, 200)
		apps = boot_of(dealers_page)["apps_data"]
		# what Frappe answers a website user: no app, so no default path (is_desk_apps of none is 1)
		self.assertEqual(apps, {"apps": [], "is_desk_apps": 1, "default_path": ""})
		if web_boot_reads_workspaces():
			self.assertNotIn(dealer, read)
			self.assertIn(staff, read)  # a System User's page still asks Frappe, workspaces and all
			# the desk's boot caches: filled at a System User's login, not at a website user's
			self.assertEqual(counted_tables, [staff])
		self.assertIn("erpnext", [app["name"] for app in boot_of(staff_page)["apps_data"]["apps"]])

	def test_the_apps_pages_are_rendered_at_once_and_others_as_before(self):
		from frappe.website.page_renderers.template_page import TemplatePage
		from frappe.website.page_renderers.web_form import WebFormPage
		from frappe.website.path_resolver import PathResolver
		from werkzeug.test import EnvironBuilder
		from werkzeug.wrappers import Request

		from rma_portal.compat import list_page_renderer
		from rma_portal.overrides.app_pages import AppPage

		asked, frappe_can_render = [], WebFormPage.can_render

		def counted(page):
			asked.append(page.path)
			return frappe_can_render(page)

		WebFormPage.can_render = counted
		request = getattr(frappe.local, "request", None)
		frappe.local.request = Request(EnvironBuilder(path="/", base_url="http://localhost").get_environ())
		try:
			resolved = {path: PathResolver(path).resolve() for path in ("rma/new", "portal", "orders")}
			renderers = {path: renderer for path, (_endpoint, renderer) in resolved.items()}
			renderers["me"] = PathResolver("me").resolve()[1]  # Frappe's own page template
		finally:
			WebFormPage.can_render = frappe_can_render
			frappe.local.request = request
		self.assertIsInstance(renderers["rma/new"], AppPage)
		self.assertIsInstance(renderers["portal"], AppPage)
		self.assertNotIn("rma/new", asked)  # not tried as a web form first
		self.assertIsInstance(renderers["orders"], list_page_renderer())  # ERPNext's list, as before
		self.assertIn(resolved["orders"][0], asked)  # its endpoint (Sales Order) tried as a web form
		self.assertNotIsInstance(renderers["me"], AppPage)
		self.assertIsInstance(renderers["me"], TemplatePage)
		self.assertIn("me", asked)

	def test_a_route_map_is_compiled_once_per_set_of_rules_and_matches_as_frappes(self):
		from werkzeug.routing import Map, Rule
		from werkzeug.test import EnvironBuilder
		from werkzeug.wrappers import Request

		from rma_portal.overrides import route_maps

		def rules(*extra):
			return [
				Rule("/orders/<path:name>", endpoint="order"),
				Rule("/projects", endpoint="Project"),
				*[Rule(route, endpoint=endpoint) for route, endpoint in extra],
			]

		first = route_maps.compiled_map(rules())
		self.assertIs(route_maps.compiled_map(rules()), first)  # new Rule objects, the same rules
		added = route_maps.compiled_map(rules(("/kb/<article>", "Help Article")))
		self.assertIsNot(added, first)  # a rule added (a web form published): a map of its own

		request = getattr(frappe.local, "request", None)
		frappe.local.request = Request(EnvironBuilder(path="/", base_url="http://localhost").get_environ())
		try:
			for path in ("orders/SO-0001", "orders/a/b", "projects", "kb/returns", "rma/new", "nothing"):
				frappe.local.form_dict = frappe._dict()
				endpoint = route_maps.evaluate_dynamic_routes(rules(("/kb/<article>", "Help Article")), path)
				frappes = Map(rules(("/kb/<article>", "Help Article"))).bind("localhost")
				try:
					expected, arguments = frappes.match("/" + path)
				except Exception:
					expected, arguments = None, {}
				self.assertEqual((endpoint, dict(frappe.local.form_dict)), (expected, arguments), path)
		finally:
			frappe.local.request = request
			frappe.local.form_dict = frappe._dict()
