"""What a portal user may read of ERPNext's and Frappe's documents through their generic routes and
methods (ERPNext's /invoices, /orders, ... and their pages of one document, print views, PDFs,
frappe.www.list, Frappe's REST API): the one mapping DocType -> the app's action that guards it.

Each action is the one the app's own page of those documents asks the access point for
(/portal/invoices asks "invoice.read"), so a member is refused the same way on both; which right an
action needs is domain/members.py's. Plain data, no Frappe: overrides/portal_reads.py applies it.
"""

# DocType -> the action a portal user needs to read one of its documents (of the company they act for)
READ_ACTIONS = {
	"Sales Invoice": "invoice.read",
	"Payment Entry": "payment.read",
	"Sales Order": "order.read",
	"Quotation": "quotation.read",
	"Delivery Note": "shipment.read",
	"Issue": "ticket.read",
	"Project": "project.read",
	"Task": "project.read",
	"Address": "address.read",
	"Contact": "address.read",
}

# The field naming a document's customer (default "customer"); Address and Contact name theirs in
# their links (Dynamic Link), a Task through its project.
CUSTOMER_FIELDS = {"Quotation": "party_name", "Payment Entry": "party"}
LINKED_BY_DYNAMIC_LINK = frozenset({"Address", "Contact"})

# ERPNext's transaction lists (website_list_for_contact): submitted documents of the customer,
# listed with ERPNext's own row template and status figures.
TRANSACTIONS = frozenset({"Sales Invoice", "Sales Order", "Quotation", "Delivery Note"})

# Documents ERPNext would show a customer's portal users (a customer field and ERPNext's website
# permission or list page) that the portal has no page for: refused to users who act for a customer.
NOT_IN_PORTAL = frozenset(
	{
		"Timesheet",
		"Material Request",
		"Purchase Order",
		"Purchase Invoice",
		"Supplier Quotation",
		"Request for Quotation",
		"POS Invoice",
	}
)

# What a Website User's roles may read that names other documents but the portal never shows: every
# tagged document's name and title (Frappe gives the role "All" read on Tag Link).
ROLE_READABLE_REFUSED = frozenset({"Tag Link"})

# ERPNext's portal routes (first part of the path) -> the DocType they list or show
ROUTE_DOCTYPES = {
	"invoices": "Sales Invoice",
	"orders": "Sales Order",
	"quotations": "Quotation",
	"shipments": "Delivery Note",
	"issues": "Issue",
	"project": "Project",
	"projects": "Project",
	"tasks": "Task",
	"addresses": "Address",
	"timesheets": "Timesheet",
	"material-requests": "Material Request",
	"purchase-orders": "Purchase Order",
	"purchase-invoices": "Purchase Invoice",
	"supplier-quotations": "Supplier Quotation",
	"rfq": "Request for Quotation",
}

# Page routes whose pages ask the boundary themselves (its list page renderer, ERPNext's document page
# through has_website_permission, Frappe's print view through it too)
PAGES_ASKING_THE_BOUNDARY = frozenset(
	{"invoices", "orders", "quotations", "shipments", "project", "printview"}
)

# ERPNext's pages of one document named by a query argument (no website permission check of their
# own): route -> (DocType, argument)
DOCUMENT_PAGES = {"projects": ("Project", "project")}
# ERPNext's web forms of one document (/issues/<name>, /addresses/<name>/edit): Frappe lets the
# document's owner in before asking its website permission
WEB_FORM_DOCUMENTS = {"issues": "Issue", "addresses": "Address", "tasks": "Task"}
# ERPNext's pages of one document that fail to render on v15 (a template error, a DocType that no
# longer exists): refused to portal users; the app's project page shows the tasks
BROKEN_PAGES = frozenset({"task_info", "timelog_info"})


def read_action(doctype) -> str | None:
	"""The action reading a document of `doctype` needs, or None when the boundary does not cover it."""
	return READ_ACTIONS.get(doctype) if isinstance(doctype, str) else None


def customer_field(doctype: str) -> str:
	return CUSTOMER_FIELDS.get(doctype, "customer")


def route_doctype(path: str) -> str | None:
	"""The DocType an ERPNext portal route lists or shows ("/invoices/X" -> Sales Invoice)."""
	first = (path or "").strip("/").split("/")[0].lower()
	return ROUTE_DOCTYPES.get(first)


def covered() -> frozenset[str]:
	"""Every DocType the boundary decides about (hooks are registered for these)."""
	return frozenset(READ_ACTIONS) | NOT_IN_PORTAL


_BY_LOWER_NAME = {name.lower(): name for name in covered()}


def canonical(doctype) -> str | None:
	"""The boundary's DocType named by `doctype` in any letter case (Frappe's routes ignore it)."""
	return _BY_LOWER_NAME.get(doctype.strip().lower()) if isinstance(doctype, str) else None
