"""The customer's contracts: submitted ERPNext Contracts with party_type Customer and the customer as
party. Drafts stay with staff until they are submitted (sent)."""

import frappe
from frappe import _

from rma_portal.services.shared.query import paged_list, search_condition, status_condition

STATUSES = ("Unsigned", "Active", "Inactive")
FULFILMENT_STATUSES = ("N/A", "Unfulfilled", "Partially Fulfilled", "Fulfilled", "Lapsed")

_LIST_SQL = """
select {select}
from `tabContract` c
where c.party_type = 'Customer' and c.party_name = %(customer)s and c.docstatus = 1 {condition}
"""
_SELECT = """c.name, c.status, c.start_date, c.end_date, c.is_signed, c.signed_on, c.fulfilment_status,
	c.requires_fulfilment, c.fulfilment_deadline, c.contract_terms, c.document_type, c.document_name"""


def list_contracts(
	customer: str, search: str | None = None, status: str | None = None, page: int = 1, page_size: int = 20
) -> dict:
	values = {"customer": customer}
	condition = status_condition(
		status, values, "c.status", STATUSES, _("Status: {0} is not a contract status.")
	) + search_condition(search, values, ("c.name", "c.contract_terms"))
	return paged_list(
		_LIST_SQL,
		_SELECT,
		condition,
		"field(c.status, 'Active', 'Unsigned') desc, c.start_date desc, c.name desc",
		values,
		page,
		page_size,
	)


def check_contract(customer: str, name: str | None):
	"""404 unless `name` is a submitted contract of the customer (the same for another's and none)."""
	found = (
		frappe.db.get_value("Contract", name, ["party_type", "party_name", "docstatus"], as_dict=True)
		if name
		else None
	)
	if not found or found.party_type != "Customer" or found.party_name != customer or found.docstatus != 1:
		raise frappe.DoesNotExistError(_("This contract was not found among your contracts."))
