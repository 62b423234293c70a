"""What the demo sells and to whom: the brands, the catalogue's items with their barcodes and prices,
and the demo dealers with their portal users.

demo/data.py (masters and the sales history) and demo/books.py (VAT, tracked items, a second company)
both build on this; neither imports the other's builders back. Everything is looked up before it is
made, so running it twice keeps what exists.
"""

from contextlib import contextmanager

import frappe
from frappe.utils import add_days, today
from stdnum import ean

DEMO_PASSWORD = "Demo#2026"

# brand -> (serial number required for RMAs, warranty days)
BRANDS = {
	"Voltra": (1, 730),
	"Lumio": (0, 365),
	"Kerbside": (0, 180),
}

# item code, name, brand, price
ITEMS = [
	("VOL-DRILL-18", "Voltra cordless drill 18V", "Voltra", 149.0),
	("VOL-GRIND-125", "Voltra angle grinder 125 mm", "Voltra", 89.5),
	("VOL-BATT-40", "Voltra battery pack 4.0Ah", "Voltra", 69.0),
	("VOL-CHRG-FAST", "Voltra fast charger", "Voltra", 39.9),
	("LUM-LED-10W", "Lumio LED floodlight 10W", "Lumio", 19.95),
	("LUM-LED-30W", "Lumio LED floodlight 30W", "Lumio", 34.5),
	("LUM-STRIP-5M", "Lumio LED strip 5 m", "Lumio", 24.0),
	("LUM-BULB-E27", "Lumio smart bulb E27", "Lumio", 12.5),
	("KER-BIN-60", "Kerbside wheelie bin 60 l", "Kerbside", 45.0),
	("KER-BIN-120", "Kerbside wheelie bin 120 l", "Kerbside", 59.0),
	("KER-LID-GRN", "Kerbside replacement lid, green", "Kerbside", 9.9),
	("KER-WHEEL-SET", "Kerbside wheel set", "Kerbside", 14.75),
]

CUSTOMERS = {
	"Demo Dealer": ("dealer@demo.example", "Dana", "Dealer"),
	"Second Dealer": ("second@demo.example", "Sam", "Second"),
}


def gtin13_for(index: int) -> str:
	"""A valid EAN-13 in a private-use prefix (200-299 is for in-store numbering)."""
	first12 = f"20{index:010d}"
	return first12 + ean.calc_check_digit(first12)


def make_item(code, name, brand, price, barcode, kind: str | None = None):
	"""A stock item of a demo brand with its EAN barcode and selling price; `kind` "serial" or "batch"
	makes it serial- or batch-numbered (demo/books.py). The catalogue's plain items carry Demo Dealer's
	own item code; the tracked ones were made without it and stay so."""
	if frappe.db.exists("Item", code):
		return
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": code,
			"item_name": name,
			"item_group": "Products",
			"stock_uom": "Nos",
			"is_stock_item": 1,
			"brand": brand,
			"valuation_rate": round(price * 0.6, 2),
			"warranty_period": str(BRANDS[brand][1]),
			"has_serial_no": 1 if kind == "serial" else 0,
			"has_batch_no": 1 if kind == "batch" else 0,
			"barcodes": [{"barcode": barcode, "barcode_type": "EAN"}],
			"customer_items": []
			if kind
			else [{"customer_name": "Demo Dealer", "ref_code": f"DD-{code.split('-', 1)[1]}"}],
		}
	).insert(ignore_permissions=True)
	# Valid from two years back, so backdated orders find the price.
	frappe.get_doc(
		{
			"doctype": "Item Price",
			"item_code": code,
			"price_list": "Standard Selling",
			"price_list_rate": price,
			"valid_from": add_days(today(), -730),
		}
	).insert(ignore_permissions=True)


@contextmanager
def user_creation_unthrottled():
	"""Let this process make more than Frappe's 60 new users an hour per site (demo, test and benchmark
	data make more). Only the limit this process reads is raised: nothing stored changes, and the users
	are inserted normally, with every DocType default (`frappe.flags.in_import`, the other way past the
	throttle, also skips the defaults and would leave them disabled)."""
	conf = frappe.local.conf
	had_limit, limit = "throttle_user_limit" in conf, conf.get("throttle_user_limit")
	conf["throttle_user_limit"] = 10**9
	try:
		yield
	finally:
		if had_limit:
			conf["throttle_user_limit"] = limit
		else:
			conf.pop("throttle_user_limit", None)


def make_portal_user(
	email: str, first_name: str, last_name: str | None = None, password: str = DEMO_PASSWORD
):
	"""A Website User with the Customer role and the demo password (or `password`), no welcome mail."""
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": first_name,
			"last_name": last_name,
			"user_type": "Website User",
			"send_welcome_email": 0,
			"new_password": password,
		}
	)
	user.append("roles", {"role": "Customer"})
	with user_creation_unthrottled():
		user.insert(ignore_permissions=True)
	return user


def make_customer(name, email, first_name, last_name) -> str:
	"""A customer with a portal user (role Customer, linked through Contact and Portal User)."""
	if not frappe.db.exists("Customer", name):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
				"territory": "All Territories",
			}
		).insert()
	if not frappe.db.exists("User", email):
		make_portal_user(email, first_name, last_name)
	if not frappe.db.exists("Contact", {"user": email}):
		contact = frappe.get_doc(
			{"doctype": "Contact", "first_name": first_name, "last_name": last_name, "user": email}
		)
		contact.append("email_ids", {"email_id": email, "is_primary": 1})
		contact.append("links", {"link_doctype": "Customer", "link_name": name})
		contact.insert(ignore_permissions=True)
	customer = frappe.get_doc("Customer", name)
	if not any(row.user == email for row in customer.portal_users):
		customer.append("portal_users", {"user": email})
		customer.save()
	# an authorised company whose user has the rights portal users had before flags existed
	from rma_portal.domain.members import LEGACY_FLAGS
	from rma_portal.services.company import members

	member = members.ensure_member(name, email, flags=LEGACY_FLAGS, all_documents=True)
	# and who may collect at our branch (BR) and follows all of its projects (PRO): what the demo's
	# pickup requests and project pages show (given on a site made before these rights guarded anything)
	record = frappe.get_doc(members.MEMBER, member)
	if not (record.flag_br and record.flag_pro):
		record.update({"flag_br": 1, "flag_pro": 1})
		record.save(ignore_permissions=True)
	members.authorise_customer(name)
	return email
