"""The read boundary's mapping (domain/portal_doctypes.py): every DocType's action is one the rights
table knows, routes and letter cases resolve to the DocType, refused DocTypes have no action."""

import pytest

from rma_portal.domain import members, portal_doctypes
from rma_portal.domain.request_rules import erpnext_action


@pytest.mark.parametrize(("doctype", "action"), portal_doctypes.READ_ACTIONS.items())
def test_each_doctypes_action_is_known_to_the_rights(doctype, action):
	assert members.needed(action) is not None, action
	assert portal_doctypes.read_action(doctype) == action
	assert portal_doctypes.canonical(doctype.upper()) == doctype


def test_documents_outside_the_portal_have_no_action():
	for doctype in portal_doctypes.NOT_IN_PORTAL:
		assert portal_doctypes.read_action(doctype) is None
		assert doctype not in portal_doctypes.READ_ACTIONS
		assert portal_doctypes.canonical(doctype) == doctype
	assert portal_doctypes.read_action({"Sales Invoice": []}) is None
	assert portal_doctypes.canonical("RMA") is None


def test_routes_name_their_doctype_and_its_action():
	assert portal_doctypes.route_doctype("/invoices/ACC-SINV-1") == "Sales Invoice"
	assert portal_doctypes.route_doctype("/Orders/") == "Sales Order"
	assert portal_doctypes.route_doctype("/portal/invoices") is None
	for route, doctype in portal_doctypes.ROUTE_DOCTYPES.items():
		assert erpnext_action("/" + route, None, None) == portal_doctypes.read_action(doctype)
	assert erpnext_action("/printview", None, "Payment Entry") == "payment.read"
	assert erpnext_action("/purchase-orders", None, None) is None  # refused by the boundary itself


def test_the_customer_field_of_each_doctype():
	assert portal_doctypes.customer_field("Quotation") == "party_name"
	assert portal_doctypes.customer_field("Payment Entry") == "party"
	assert portal_doctypes.customer_field("Sales Invoice") == "customer"
