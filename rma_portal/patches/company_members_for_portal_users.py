"""Company members (SPEC §4): every portal user of a customer becomes its member with the rights they
had before flags existed, and their companies are authorised, so nothing breaks on upgrade.

Before, any portal user of a customer saw all of its RMAs and claims and, through ERPNext's own pages,
its invoices, orders and addresses: they get RM, FI, OR and AD (domain.members.LEGACY_FLAGS) and see
all of the company's documents. Not US, BR or PRO (no such feature existed) and no administrator: the
first accepted Company Authorisation names one. Users already members are left as they are.
"""

import frappe

from rma_portal import access
from rma_portal.domain.members import LEGACY_FLAGS


def execute():
	from rma_portal.install import make_custom_fields
	from rma_portal.services.company import members

	make_custom_fields()  # Customer.rma_portal_authorised (after_migrate makes it too, after the patches)
	website_users = set(frappe.get_all("User", filters={"user_type": "Website User"}, pluck="name"))
	pairs = set()
	for customer in frappe.get_all("Customer", pluck="name"):
		for user in access.linked_users(customer):
			if user in website_users:
				pairs.add((customer, user))
	for customer, user in sorted(pairs):
		members.ensure_member(customer, user, flags=LEGACY_FLAGS, all_documents=True, link=False)
	for customer in sorted({customer for customer, _user in pairs}):
		members.authorise_customer(customer)
