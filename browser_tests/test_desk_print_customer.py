"""The desk as staff see it: the print preview of an RMA in the app's "RMA Return Form" and of a warranty
claim in "Customer Warranty Claim", and the "Portal" section of the demo dealer's Customer form.

Needs the demo data (rma_portal.demo.make_demo). Screenshots: desk-print-rma, desk-print-claim,
desk-customer-portal.
"""

from urllib.parse import quote

from playwright.sync_api import expect
from portal import BASE_URL, DEALER, DESK_TIMEOUT_MS, screenshot


def _first(page, doctype: str, filters: str = "[]") -> str:
	rows = page.request.get(
		f"{BASE_URL}/api/resource/{quote(doctype)}",
		params={"filters": filters, "order_by": "creation desc", "limit_page_length": "1"},
	).json()["data"]
	assert rows, f"the demo has a {doctype}"
	return rows[0]["name"]


def _preview(page, doctype: str, name: str, print_format: str, part: str):
	"""The desk's print preview of the document in `print_format`, chosen in its sidebar; returns the
	preview's `part` (inside the preview's iframe)."""
	page.goto(f"{BASE_URL}/app/{doctype.lower().replace(' ', '-')}/{quote(name)}")
	page.wait_for_selector(".form-layout", timeout=DESK_TIMEOUT_MS)
	page.goto(f"{BASE_URL}/app/print/{quote(doctype)}/{quote(name)}")
	selector = page.locator(".print-preview-sidebar input[data-fieldname='print_format']")
	selector.fill(print_format)
	page.keyboard.press("Escape")
	selector.blur()
	found = page.frame_locator("iframe.print-format-container").locator(part)
	expect(found).to_be_visible(timeout=DESK_TIMEOUT_MS)
	return found


def test_rma_print_preview(admin_page):
	name = _first(admin_page, "RMA", '[["status","=","Received"],["kind","=","Return"]]')
	form = _preview(admin_page, "RMA", name, "RMA Return Form", ".rma-form")
	expect(form).to_contain_text(name)
	admin_page.wait_for_timeout(500)  # the iframe's height follows its content
	screenshot(admin_page, "desk-print-rma")


def _file_claim(page) -> str:
	"""As the dealer, on the portal: a claim for the first item they bought."""
	page.goto(f"{BASE_URL}/warranty/new")
	page.wait_for_function("() => window.frappe && frappe.csrf_token", timeout=DESK_TIMEOUT_MS)
	token = page.evaluate("() => frappe.csrf_token")
	options = page.request.get(f"{BASE_URL}/api/method/rma_portal.api.warranty.get_form_options").json()
	item = options["message"]["items"][0]["item_code"]
	response = page.request.post(
		f"{BASE_URL}/api/method/rma_portal.api.warranty.submit_claim",
		form={"item_code": item, "description": "Stops after an hour of use."},
		headers={"X-Frappe-CSRF-Token": token},
	)
	assert response.ok, response.text()[:500]
	return response.json()["message"]["name"]


def test_claim_print_preview(admin_page, dealer_page):
	name = _file_claim(dealer_page)
	claim = _preview(admin_page, "Customer Warranty Claim", name, "Customer Warranty Claim", ".rma-claim")
	expect(claim).to_contain_text(name)
	admin_page.wait_for_timeout(500)
	screenshot(admin_page, "desk-print-claim")


def test_customer_form_portal_section(admin_page):
	page = admin_page
	page.goto(f"{BASE_URL}/app/customer/{quote('Demo Dealer')}")
	page.locator(".form-tabs .nav-link[href$='-dashboard_tab']").click()  # the form's Dashboard tab
	section = page.locator(".rma-portal-summary")
	expect(section).to_be_visible(timeout=DESK_TIMEOUT_MS)
	expect(section).to_contain_text(DEALER["email"])
	expect(section.locator("a[href^='/app/company-member/']").first).to_be_visible()
	section.scroll_into_view_if_needed()
	screenshot(page, "desk-customer-portal")
