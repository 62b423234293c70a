"""The demo company: ERPNext's setup wizard, completed without a browser."""

import frappe
from frappe.utils import add_years, getdate, today

DEMO_COMPANY = "RMA Demo Distribution"
DEMO_ABBR = "RDD"


def ensure_setup_complete() -> str:
	"""Complete ERPNext's setup wizard once (EUR, Netherlands) and return the default company."""
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	if not frappe.db.a_row_exists("Company"):
		year = getdate(today()).year
		setup_complete(
			{
				"language": "English",
				"country": "Netherlands",
				"timezone": "Europe/Amsterdam",
				"currency": "EUR",
				"full_name": "Demo Administrator",
				"email": "demo-admin@demo.example",
				"password": "admin",
				"company_name": DEMO_COMPANY,
				"company_abbr": DEMO_ABBR,
				"company_tagline": "After-sales demo",
				"chart_of_accounts": "Standard",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"setup_demo": 0,
			}
		)
		frappe.db.commit()
		# The wizard sets defaults (price list, currency) that this process has cached as empty.
		frappe.clear_cache()
	ensure_fiscal_years(years_back=2)
	name_the_website()
	return frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")


def ensure_fiscal_years(years_back: int):
	"""Backdated demo documents need fiscal years before the current one."""
	current = getdate(today()).year
	for year in range(current - years_back, current + 1):
		name = str(year)
		if frappe.db.exists("Fiscal Year", {"year_start_date": f"{year}-01-01"}):
			continue
		frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": name,
				"year_start_date": f"{year}-01-01",
				"year_end_date": f"{year}-12-31",
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()


def history_start():
	return add_years(getdate(today()), -1)


def name_the_website():
	"""The portal shows the supplier's name, not "Frappe", on the login page and in the navbar."""
	company = frappe.defaults.get_global_default("company") or DEMO_COMPANY
	if frappe.db.get_single_value("Website Settings", "app_name") != company:
		website = frappe.get_single("Website Settings")
		website.app_name = company
		website.brand_html = company
		website.save(ignore_permissions=True)
		frappe.db.commit()
