"""The demo company: ERPNext's setup wizard, completed without a browser."""

import frappe
from frappe.utils import add_years, getdate, today

DEMO_COMPANY = "RMA Demo Distribution"
DEMO_ABBR = "RDD"


def ensure_setup_complete() -> str:
	"""The demo's company: ERPNext's setup wizard completed once, fiscal years for the backdated
	history and the website named after the company. Returns the default company."""
	company = complete_setup_wizard()
	ensure_fiscal_years(years_back=2)
	name_the_website(company)
	return company


def complete_setup_wizard() -> str:
	"""Complete ERPNext's setup wizard (EUR, Netherlands) on a site where nobody has; nothing else.

	The test hook calls only this: anything more would change the site for other apps' test runs."""
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
	return frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")


def ensure_fiscal_years(years_back: int):
	"""Backdated demo documents need fiscal years before the current one (for every company, like
	the one ERPNext's setup wizard makes)."""
	current = getdate(today()).year
	for year in range(current - years_back, current + 1):
		if frappe.db.exists(
			"Fiscal Year",
			{"year_start_date": ["<=", f"{year}-06-30"], "year_end_date": [">=", f"{year}-06-30"]},
		):
			continue
		frappe.get_doc(
			{
				"doctype": "Fiscal Year",
				"year": str(year),
				"year_start_date": f"{year}-01-01",
				"year_end_date": f"{year}-12-31",
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()


def history_start():
	return add_years(getdate(today()), -1)


def name_the_website(company: str):
	"""The portal shows the supplier's name, not "Frappe", on the login page and in the navbar."""
	if frappe.db.get_single_value("Website Settings", "app_name") != company:
		website = frappe.get_single("Website Settings")
		website.app_name = company
		website.brand_html = company
		website.save(ignore_permissions=True)
		frappe.db.commit()
