"""Company members' rights (domain/members.py): which flag each portal action needs, the
administrator, unknown actions, and the supervisor hierarchy."""

import pytest

from rma_portal.domain.members import (
	DEFAULT_FLAGS,
	FLAGS,
	LEGACY_FLAGS,
	allows,
	creates_cycle,
	needed,
	reports_of,
)

# every action the app's pages and methods ask for, with the flag it needs (None: any member)
ACTIONS = {
	"rma.read": "RM",
	"rma.create": "RM",
	"service.read": "RM",
	"warranty.read": "RM",
	"warranty.create": "RM",
	"invoice.read": "FI",
	"payment.read": "FI",
	"order.read": "OR",
	"order.create": "OR",
	"quotation.accept": "OR",
	"quotation.reject": "OR",
	"address.write": "AD",
	"project.write": "PRO",
	"member.read": "US",
	"member.write": "US",
	"branch.create": "BR",
	"dashboard.read": None,
	"quotation.read": "OR",
	"quote_request.read": None,
	"quote_request.create": None,
	"project.read": None,
	"contract.read": None,
	"shipment.read": None,
	"ticket.read": "RM",
	"ticket.create": "RM",
	"file.read": None,
	"address.read": None,
	"company.read": None,
}


@pytest.mark.parametrize(("action", "flag"), ACTIONS.items())
def test_each_action_needs_its_flag_and_only_it(action, flag):
	assert allows(action, FLAGS)
	assert allows(action, (), is_admin=True)
	if flag is None:
		assert allows(action, ())
	else:
		assert allows(action, (flag,))
		assert not allows(action, tuple(f for f in FLAGS if f != flag))


@pytest.mark.parametrize("action", ["", "rma", "anything.read", "company.activate", "invoice"])
def test_unknown_or_admin_only_actions_are_refused_to_members(action):
	assert not allows(action, FLAGS)


def test_admin_only_and_unknown():
	assert needed("nothing.read") is None
	assert not allows("nothing.read", FLAGS, is_admin=True)
	assert allows("company.activate", (), is_admin=True)


def test_legacy_members_keep_rmas_invoices_orders_addresses():
	for action in (
		"rma.create",
		"warranty.read",
		"invoice.read",
		"order.read",
		"quotation.accept",
		"address.write",
	):
		assert allows(action, LEGACY_FLAGS), action
	for action in ("member.write", "project.write", "branch.create"):
		assert not allows(action, LEGACY_FLAGS), action
	assert allows("rma.create", DEFAULT_FLAGS) and not allows("invoice.read", DEFAULT_FLAGS)


def test_supervisor_cycles():
	tree = {"a": None, "b": "a", "c": "b", "d": None}
	assert creates_cycle("a", "c", tree)  # a -> c -> b -> a
	assert creates_cycle("a", "a", tree)
	assert not creates_cycle("d", "c", tree)
	assert not creates_cycle("c", "a", tree)
	assert not creates_cycle("x", None, tree)
	# an existing loop elsewhere does not hang
	assert not creates_cycle("z", "p", {"p": "q", "q": "p"})


def test_reports_are_everyone_below():
	tree = {"a": None, "b": "a", "c": "b", "d": "a", "e": None}
	assert reports_of("a", tree) == {"b", "c", "d"}
	assert reports_of("b", tree) == {"c"}
	assert reports_of("c", tree) == set()
	assert reports_of("e", tree) == set()


def test_erpnext_pages_and_print_views_need_the_apps_rights():
	from rma_portal.domain.request_rules import erpnext_action

	assert erpnext_action("/invoices", None, None) == "invoice.read"
	assert erpnext_action("/invoices/ACC-SINV-2026-00001", None, None) == "invoice.read"
	assert erpnext_action("/Orders/", None, None) == "order.read"
	assert erpnext_action("/printview", None, "Sales Invoice") == "invoice.read"
	assert erpnext_action("/api/method/x", "frappe.utils.print_format.download_pdf", "Quotation") == (
		"quotation.read"
	)
	assert erpnext_action("/portal/invoices", None, None) is None  # the app's own page asks itself
	assert erpnext_action("/rma", None, None) is None
	assert erpnext_action("/printview", None, "RMA") is None
	assert erpnext_action("/printview", None, {"Sales Invoice": []}) is None
	# ERPNext's web forms: reading needs the read right, writing the write right
	assert erpnext_action("/addresses", None, None) == "address.read"
	assert erpnext_action("/addresses/new", None, None) == "address.write"
	assert erpnext_action("/addresses/Shop-Billing/edit", None, None) == "address.write"
	assert erpnext_action(
		"/api/method/x", "frappe.website.doctype.web_form.web_form.accept", None, "addresses"
	) == ("address.write")
	assert erpnext_action("/tasks/new", None, None) == "project.write"
	assert erpnext_action("/issues/new", None, None) == "ticket.create"
	assert (
		erpnext_action("/api/method/x", "frappe.website.doctype.web_form.web_form.accept", None, "x") is None
	)
