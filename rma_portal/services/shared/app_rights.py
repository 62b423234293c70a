"""ERPNext's documents made by the app's desk actions, with the app's authority.

Staff's money and stock actions (receive, credit, ship the outcomes) are the RMA Manager's (SPEC:
returns staff; SECURITY.md: they go through the app's desk actions), and each action checks RMA
write before it starts. ERPNext checks the user's own rights again where the app cannot pass
ignore_permissions: its mappings (make_sales_return, make_return_doc, make_delivery_note read the
source and check create on the target) and the Serial and Batch Bundle a stock line submits. So
those steps run as Administrator, whatever stock or accounts roles the staff member has; who acted
stays on the RMA (its status log and modified_by).
"""

from contextlib import contextmanager

import frappe


@contextmanager
def with_the_apps_rights():
	user = frappe.session.user
	frappe.session.user = "Administrator"
	try:
		yield
	finally:
		frappe.session.user = user
