from rma_portal.domain.portal_doctypes import covered as _portal_covered

app_name = "rma_portal"
app_title = "RMA Portal"
app_publisher = "rma_portal contributors"
app_description = "Self-service after-sales portal for ERPNext"
app_email = "rma-portal@example.com"
app_license = "mit"

# "org/repo" form: a bare name makes Frappe ask GitHub which org the app belongs to.
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True

# Install / uninstall
# -------------------
after_install = "rma_portal.install.after_install"
after_migrate = "rma_portal.install.after_migrate"
before_uninstall = "rma_portal.install.before_uninstall"

# Tests
# -----
before_tests = "rma_portal.install.before_tests"

# Requests and sessions
# ---------------------
before_request = [
	# first: a dealer API key's request acts as its member before any guard looks at the user
	"rma_portal.overrides.api_keys.before_request",
	"rma_portal.overrides.sessions.before_request",
	"rma_portal.overrides.request_guard.before_request",
	# the app's methods: a missing, unknown or wrong-typed argument is a 417 naming it, never a 500
	"rma_portal.overrides.arguments.before_request",
	# pages: templates compiled once per process (Frappe compiles them on every request)
	"rma_portal.overrides.templates.before_request",
	# v15: a website user's page does not read the desk's workspaces for its app switcher
	"rma_portal.overrides.website_boot.before_request",
	# pages: Frappe's route maps compiled once per set of rules, not on every request
	"rma_portal.overrides.route_maps.before_request",
	# read_only methods: a replica that is down sends them to the primary, with a warning
	"rma_portal.overrides.replica_fallback.before_request",
]
# and in background jobs (overrides/replica_fallback.py)
before_job = ["rma_portal.overrides.replica_fallback.before_job"]

# Frappe's login lock-out answers HTTP 500 before any app hook: a 429 saying when to try again
after_request = [
	"rma_portal.overrides.login_answers.after_request",
	# a login of a registration not activated yet (no User before activation): say so, with a resend link
	"rma_portal.overrides.registration.explain_refused_login",
]

# The filters the app's script reports share (rma_portal/rma_portal/report/*/*.js build theirs from it)
app_include_js = ["/assets/rma_portal/js/report_filters.js"]

# Desk forms: who may collect a Delivery Note's or Pick List's goods at the branch (the BR right)
doctype_js = {
	# the Customer's portal at a glance: authorisation, members and rights, what is open
	"Customer": "public/js/customer_portal.js",
	"Delivery Note": "public/js/authorised_collectors.js",
	"Pick List": "public/js/authorised_collectors.js",
}

# Desk print formats "RMA Return Form" and "Customer Warranty Claim" (print_format/): the portal's PDFs
jinja = {
	"methods": [
		"rma_portal.services.returns.print_formats.rma_portal_rma_print",
		"rma_portal.services.warranty.claim_print.rma_portal_claim_print",
	]
}

# Portal
# ------
has_website_permission = {
	"RMA": "rma_portal.access.has_rma_permission",
	"Customer Warranty Claim": "rma_portal.rma_portal.doctype.customer_warranty_claim.customer_warranty_claim.has_website_permission",
}

# One read boundary over ERPNext's and Frappe's generic routes and methods (overrides/portal_reads.py):
# a portal user reads the documents of the customer they act for, with the right of the app's page of
# them (domain/portal_doctypes.py), on ERPNext's pages, print views, PDFs, lists and the REST API.
has_website_permission.update(
	{doctype: "rma_portal.overrides.portal_reads.has_website_permission" for doctype in _portal_covered()}
)
has_permission = {
	"Address": "rma_portal.overrides.portal_reads.has_permission",
	"Contact": "rma_portal.overrides.portal_reads.has_permission",
	"Tag Link": "rma_portal.overrides.portal_reads.has_permission",
}
permission_query_conditions = {
	"Address": "rma_portal.overrides.portal_reads.address_query_conditions",
	"Contact": "rma_portal.overrides.portal_reads.contact_query_conditions",
	"Tag Link": "rma_portal.overrides.portal_reads.refused_query_conditions",
}
# ERPNext's list pages (/invoices, /orders, ...) and frappe.www.list list without permission checks
page_renderer = [
	# first: a page the request guard refused is the site's not-found page (overrides/not_found_page.py)
	"rma_portal.overrides.not_found_page.RefusedPage",
	"rma_portal.overrides.not_found_page.PortalRedirect",
	"rma_portal.overrides.portal_reads.PortalListPage",
	# the app's own pages, without first trying them as a web form or a document (overrides/app_pages.py)
	"rma_portal.overrides.app_pages.AppPage",
]

# The audit trail of company members outlives a member record deleted by staff
ignore_links_on_delete = ["Company Member Change"]

# Document events
# ---------------
# The desk's CSV/Excel exports escape cells that a spreadsheet would run as formulas.
override_whitelisted_methods = {
	"frappe.www.list.get": "rma_portal.overrides.portal_reads.get",
	"frappe.www.list.get_list_data": "rma_portal.overrides.portal_reads.get_list_data",
	"frappe.desk.reportview.export_query": "rma_portal.overrides.exports.export_report_view",
	"frappe.desk.query_report.export_query": "rma_portal.overrides.exports.export_query_report",
	# everyone registers through /register (activation, consents, rate limits): overrides/registration.py
	"frappe.core.doctype.user.user.sign_up": "rma_portal.overrides.registration.sign_up",
}

# Registration: login refused until the activation link is followed; the login page's "Sign up"
# panel leads to /register.
on_login = "rma_portal.overrides.registration.on_login"
signup_form_template = "rma_portal/templates/includes/registration/signup.html"

doc_events = {
	# customer-typed names that become a Customer's, Address's or Contact's name: valid when filed
	"Company Authorisation": {"validate": "rma_portal.services.shared.plain_text.keep_valid_names"},
	"Dealer Account Request": {"validate": "rma_portal.services.shared.plain_text.keep_valid_names"},
	"Portal Registration": {"validate": "rma_portal.services.shared.plain_text.keep_valid_names"},
	# the app's own tables derived from ERPNext's documents, in the documents' transaction: the
	# return candidates' delivered lines (services/history/delivered_lines.py), the items each customer
	# bought (services/history/purchased_items.py), the pending order lines (services/history/open_order_lines.py)
	"Sales Order": {
		"on_change": "rma_portal.services.history.open_order_lines.on_order_change",
	},
	# a customer's PRO members follow its projects (services/portal/projects.py)
	"Project": {"before_insert": "rma_portal.services.portal.projects.on_project_insert"},
	# dealer webhooks (services/dealer_api/events.py): status changes, decisions and offers
	"RMA": {
		"on_update": "rma_portal.services.dealer_api.events.rma_changed",
		# raised by services/returns/lifecycle.receive before the goods are booked: service lines
		# filed untied are tied to their purchase (services/service/service_purchase.py)
		"before_receipt": "rma_portal.services.service.service_purchase.tie_untied_lines",
		# the kept counts of a customer's RMAs change when an older one is deleted (services/shared/query.py)
		"on_trash": "rma_portal.services.shared.query.count_deletion",
	},
	"Customer Warranty Claim": {"on_update": "rma_portal.services.dealer_api.events.claim_changed"},
	"Quotation": {"on_submit": "rma_portal.services.dealer_api.events.quotation_submitted"},
	"Delivery Note": {
		"on_submit": [
			"rma_portal.services.history.delivered_lines.on_submit",
			"rma_portal.services.history.purchased_items.on_submit",
			"rma_portal.services.history.open_order_lines.on_delivery",
		],
		"on_cancel": [
			"rma_portal.services.history.delivered_lines.on_cancel",
			"rma_portal.services.history.purchased_items.on_cancel",
			"rma_portal.services.history.open_order_lines.on_delivery",
		],
		"on_trash": "rma_portal.services.shared.query.count_deletion",  # the kept count of shipments
	},
	# staff's answer on a support ticket: "Answered" for the customer (services/portal/tickets.py)
	"Communication": {"after_insert": "rma_portal.services.portal.tickets.staff_replied"},
	"Sales Invoice": {
		"on_submit": [
			"rma_portal.overrides.sales_invoice.on_submit",
			"rma_portal.services.history.purchased_items.on_submit",
			"rma_portal.services.history.open_order_lines.on_delivery",
			"rma_portal.services.dealer_api.events.credit_note_submitted",
		],
		"on_cancel": [
			"rma_portal.overrides.sales_invoice.on_cancel",
			"rma_portal.services.history.purchased_items.on_cancel",
			"rma_portal.services.history.open_order_lines.on_delivery",
		],
	},
}

# The customer's open vouchers in the Payment Ledger, as the portal reads them: the credit hold
# (services/policy/credit_hold.py) reads the same, and policy sits below portal in the packages'
# one-way order (services/__init__.py), so the reader is named here rather than imported.
rma_portal_open_items = "rma_portal.services.portal.receivables.open_items"

# The portal menu (one menu for every portal page): ADD A PAGE OF THE APP HERE, in the order the menu
# shows it. These are "standard" items, so Portal Settings stays in charge (staff can switch any off);
# services/portal/portal_menu.py puts them before ERPNext's items on install and migrate and, once, switches
# off ERPNext's items a B2B customer never uses. Every item needs a reference_doctype: Frappe drops
# standard items without one when it syncs the menu.
# The dealer pages, for the Customer role: (title, route, the DocType the menu item stands for).
standard_portal_menu_items = [
	{"title": title, "route": route, "reference_doctype": doctype, "role": "Customer"}
	for title, route, doctype in (
		("Overview", "/portal", "Customer"),
		("Pending order lines", "/portal/orders", "Sales Order"),
		("Invoices and payments", "/portal/invoices", "Sales Invoice"),
		("Offers", "/portal/offers", "Quotation"),
		("Returns (RMA)", "/rma", "RMA"),
		("Service requests", "/service", "RMA"),
		("Warranty claims", "/warranty", "Customer Warranty Claim"),
		("Quote requests", "/portal/quotes", "Opportunity"),
		("Shipments", "/portal/shipments", "Delivery Note"),
		("Projects", "/portal/projects", "Project"),
		("Contracts", "/portal/contracts", "Contract"),
		("Support tickets", "/portal/tickets", "Issue"),
		("Shared files", "/portal/files", "File"),
	)
] + [
	# every logged-in user, also a registered dealer whose account is not open yet (no Customer role)
	{
		"title": "Account requests",
		"route": "/account-requests",
		"reference_doctype": "Dealer Account Request",
	},
	# every logged-in user: add a company (authorisation); members: the company they act for
	# (switcher), their rights, company users
	{"title": "Company", "route": "/company", "reference_doctype": "Company Member"},
	# every portal user: which e-mails about returns, service requests and claims they get
	{
		"title": "E-mail notifications",
		"route": "/portal/notifications",
		"reference_doctype": "RMA Mail Preference",
	},
]

# The portal menu lists only the pages the user may open for the company they act for (SPEC §4).
update_website_context = [
	"rma_portal.overrides.menu_rights.hide_items_without_rights",
	"rma_portal.overrides.not_permitted.offer_the_way_back",
]

# A customer's portal home after login: the overview. A Role's own Home Page or Portal Settings'
# Default Portal Home, when staff set one, comes first (frappe.website.utils.get_home_page).
role_home_page = {"Customer": "portal"}
# and every other portal user (a dealer just activated has no Customer role yet): /portal, which sends
# whoever acts for no authorised company yet to /welcome (their status and next step)
get_website_user_home_page = "rma_portal.overrides.home.home_page"

# Return documents whose background job failed are built again (services/returns/documents.py).
scheduler_events = {
	"cron": {
		"*/10 * * * *": ["rma_portal.services.returns.documents.retry_missing_documents"],
		# dealer webhook deliveries whose next attempt is due (services/dealer_api/webhooks.py)
		"* * * * *": ["rma_portal.services.dealer_api.webhooks.retry_due"],
	},
	# company invitations not answered in time expire (they can be sent again)
	"daily": [
		"rma_portal.services.company.invitations.expire_invitations",
		# dealer webhooks: invoices due today and overdue since yesterday
		"rma_portal.services.dealer_api.events.invoices_due",
		# staff's digest of return requests past their review time (services/returns/review.py)
		"rma_portal.services.returns.review.send_overdue_digest",
	],
}
