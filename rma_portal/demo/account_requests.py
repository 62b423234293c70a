"""Demo dealer account requests, so /account-requests and the desk show every state: a prospective
dealer who registered and activated (prospect@demo.example) with an Open request to open a business
account, an overdue request of the demo dealer to add a colleague, one approved (a new customer with
its portal user) and one rejected with its reason.

Made through the same services as the portal and the desk; skipped once demo requests exist.
"""

import frappe
from frappe.utils import add_days, now_datetime

from rma_portal.demo.catalogue import DEMO_PASSWORD, user_creation_unthrottled
from rma_portal.domain import account_requests as rules
from rma_portal.domain.registration import PARTNER
from rma_portal.services.accounts import account_requests as service

PROSPECT = "prospect@demo.example"
MARK = "(demo)"


def make_demo_account_requests(customer: str, user: str) -> list[str]:
	if frappe.db.exists(service.DOCTYPE, {"notes": ["like", f"%{MARK}%"]}):
		return []
	made = [
		_open_request(make_prospect()),
		_overdue_request(customer, user),
		_approved_request(user),
		_rejected_request(customer, user),
	]
	frappe.db.commit()
	return made


def _open_request(prospect: str) -> str:
	"""The prospect's request to open a business account, as registration files it."""
	return service.file_request(
		{
			"request_type": rules.CREATE,
			"new_account_name": "Garage Nord Demo",
			"country": "Netherlands",
			"address_line1": "Kade 1",
			"city": "Utrecht",
			"pincode": "3511 AA",
			"vat_prefix": "NL",
			"tax_id": "004495445B01",
			"user_email": prospect,
			"first_name": "Petra",
			"last_name": "Prospect",
			"notes": f"Filed at registration {MARK}",
		},
		prospect,
	)


def _overdue_request(customer: str, user: str) -> str:
	"""The demo dealer's request to add a colleague, filed ten days ago and past its due date."""
	overdue = service.file_request(
		{
			"request_type": rules.ADD_USER,
			"user_email": "colleague@demo.example",
			"first_name": "Carl",
			"last_name": "Colleague",
			"notes": f"Our new workshop manager {MARK}",
		},
		user,
		customer,
	)
	filed = add_days(now_datetime(), -10)
	frappe.db.set_value(
		service.DOCTYPE, overdue, {"submitted_on": filed, "due_date": service.due_date(filed)}
	)
	return overdue


def _approved_request(user: str) -> str:
	"""A new customer's request, approved: its portal user becomes a demo login too."""
	approved = service.file_request(
		{
			"request_type": rules.CREATE,
			"new_account_name": "Autohaus Demo",
			"country": "Germany",
			"address_line1": "Hauptstraße 5",
			"city": "Köln",
			"pincode": "50667",
			"user_email": "autohaus@demo.example",
			"first_name": "Anke",
			"last_name": "Autohaus",
			"notes": f"Existing customer by phone {MARK}",
		},
		user,
	)
	with user_creation_unthrottled():
		service.approve(approved)
	if frappe.db.exists("User", "autohaus@demo.example"):  # made by the approval: a demo login too
		from frappe.utils.password import update_password

		update_password("autohaus@demo.example", DEMO_PASSWORD)
	return approved


def _rejected_request(customer: str, user: str) -> str:
	rejected = service.file_request(
		{
			"request_type": rules.ADD_USER,
			"user_email": "someone@elsewhere.example",
			"last_name": "Someone",
			"notes": f"Please add {MARK}",
		},
		user,
		customer,
	)
	service.reject(rejected, "The address is not one of your company's.")
	return rejected


def make_prospect() -> str:
	"""A registered, activated dealer without an account yet (what /register leaves behind)."""
	if not frappe.db.exists("User", PROSPECT):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": PROSPECT,
				"first_name": "Petra",
				"last_name": "Prospect",
				"user_type": "Website User",
				"send_welcome_email": 0,
				"new_password": DEMO_PASSWORD,
			}
		)
		with user_creation_unthrottled():
			user.insert(ignore_permissions=True)
	if not frappe.db.exists("Portal Registration", PROSPECT):
		now = now_datetime()
		frappe.get_doc(
			{
				"doctype": "Portal Registration",
				"email": PROSPECT,
				"user": PROSPECT,
				"client_type": PARTNER,
				"first_name": "Petra",
				"last_name": "Prospect",
				"company_name": "Garage Nord Demo",
				"phone": "+31 30 123 4567",
				"vat_prefix": "NL",
				"tax_id": "004495445B01",
				"terms_accepted_on": now,
				"activated_on": now,
			}
		).insert(ignore_permissions=True)
	return PROSPECT
