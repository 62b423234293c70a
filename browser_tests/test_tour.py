"""The README's tour (docs/tour.md): the main dealer pages and staff screens of the demo, one picture
each. Part of the browser suite (its pictures then land with the other screenshots); `scripts/screenshots`
runs it alone with RMA_TOUR=docs/tour to make the tour's pictures again.

Needs the demo data (rma_portal.demo.make_demo). Each picture is the browser's window (1280 x 800),
so they share one size; a test checks its page shows what the picture is meant to show first.
"""

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from portal import ADMIN, BASE_URL, DEALER, DESK_TIMEOUT_MS, SCREENSHOTS, logged_in_page, open_page

TOUR = Path(os.environ.get("RMA_TOUR", SCREENSHOTS / "tour"))
WINDOW = {"width": 1280, "height": 800}


def picture(page, name: str):
	TOUR.mkdir(parents=True, exist_ok=True)
	page.wait_for_timeout(300)  # fonts and the last repaint
	page.screenshot(path=str(TOUR / f"{name}.png"))


def shown(page, path: str, selector: str, name: str):
	"""Open `path`, wait for the first `selector` to show, take the picture `name`."""
	page.goto(path)
	expect(page.locator(selector).first).to_be_visible()
	picture(page, name)


@pytest.fixture
def dealer(browser):
	with open_page(browser, DEALER, WINDOW, DESK_TIMEOUT_MS) as page:
		yield page


@pytest.fixture
def staff(browser):
	context, page = logged_in_page(browser, ADMIN, DESK_TIMEOUT_MS, viewport=WINDOW)
	yield page
	context.close()


@pytest.fixture
def guest(browser):
	with open_page(browser, None, WINDOW, DESK_TIMEOUT_MS) as page:
		yield page


def newest_rmas(staff, status: str) -> list[dict]:
	"""The newest RMA in `status` (a list of one, or empty), read through the REST API as staff."""
	return staff.request.get(
		f"{BASE_URL}/api/resource/RMA",
		params={
			"filters": f'[["status","=","{status}"]]',
			"order_by": "creation desc",
			"limit_page_length": "1",
		},
	).json()["data"]


def _dealers_rma(page, status: str) -> str:
	rows = page.request.get(
		f"{BASE_URL}/api/method/rma_portal.api.returns.list_rmas", params={"page": "1"}
	).json()["message"]["rows"]
	names = [row["name"] for row in rows if row.get("status") == status]
	assert names, f"the demo dealer has an RMA in status {status}"
	return names[0]


def test_01_portal_home(dealer):
	dealer.goto("/portal")
	expect(dealer.locator(".page-content-wrapper, main").first).to_contain_text("Demo Dealer")
	picture(dealer, "01-portal-home")


def test_02_new_return_pick_lines(dealer):
	dealer.goto("/rma/new")
	boxes = dealer.locator(".rma-step-pick .rma-check:not(:disabled)")
	expect(boxes.first).to_be_visible()
	boxes.nth(0).check()
	boxes.nth(1).check()
	expect(dealer.locator(".rma-selected-count")).to_contain_text("2")
	picture(dealer, "02-new-return-lines")
	dealer.locator(".rma-create").click()
	confirm = dealer.locator(".rma-step-confirm")
	expect(confirm).to_be_visible()
	expect(confirm.locator(".rma-terms")).to_be_visible()
	confirm.locator(".rma-reason-all").select_option(label="Damaged in transit")
	confirm.locator("h4").first.evaluate("(node) => node.scrollIntoView()")
	picture(dealer, "03-new-return-confirm")


def test_04_returns_list_and_one_return(dealer):
	shown(dealer, "/rma", "table", "04-returns")
	name = _dealers_rma(dealer, "Received")
	dealer.goto(f"/rma/view?name={quote(name)}")
	expect(dealer.locator("h1, h2, h3").first).to_contain_text(name)
	picture(dealer, "05-return")


def test_06_service(dealer):
	dealer.goto("/service")
	expect(dealer.locator(".svc-import-type")).to_be_attached()
	picture(dealer, "06-service")
	dealer.goto("/service/new")
	expect(dealer.locator("#svc-rma-type")).to_be_visible()
	picture(dealer, "07-service-new")


def test_08_warranty(dealer):
	shown(dealer, "/warranty", "table, .rma-empty", "08-warranty")


def test_09_orders_and_invoices(dealer):
	shown(dealer, "/portal/orders", "table", "09-orders")
	shown(dealer, "/portal/invoices", "table", "10-invoices")


def test_11_company(dealer):
	dealer.goto("/company")
	expect(dealer.locator("body")).to_contain_text("Service and RMA")
	dealer.evaluate("() => window.scrollTo(0, 0)")
	picture(dealer, "11-company")


def test_12_registration(guest):
	shown(guest, "/register", "form", "12-register")


def test_13_desk_workspace(staff):
	staff.goto("/app/rma-portal")
	expect(staff.locator(".workspace-main-section, .layout-main-section").first).to_be_visible()
	staff.wait_for_load_state("networkidle")
	picture(staff, "13-desk-workspace")


def test_14_desk_rma_form(staff):
	name = newest_rmas(staff, "Received")[0]["name"]
	staff.goto(f"/app/rma/{quote(name)}")
	expect(staff.locator(".form-layout")).to_be_visible()
	expect(staff.locator(".page-title")).to_contain_text(name)
	staff.wait_for_load_state("networkidle")
	picture(staff, "14-desk-rma")


def test_15_desk_receiving(staff):
	expected = newest_rmas(staff, "Expected")
	assert expected, "the demo has an RMA whose goods are expected"
	staff.goto("/app/rma-receiving")
	scan = staff.locator("#rma-scan")
	expect(scan).to_be_focused()
	scan.press_sequentially(expected[0]["name"])  # the parcel label, as a scanner types it
	scan.press("Enter")
	expect(staff.locator(".rma-lines tbody tr").first).to_be_visible()
	picture(staff, "15-desk-receiving")


def test_16_desk_customer_portal_section(staff):
	staff.goto(f"/app/customer/{quote('Demo Dealer')}")
	staff.locator(".form-tabs .nav-link[href$='-dashboard_tab']").click()
	section = staff.locator(".rma-portal-summary")
	expect(section).to_be_visible()
	expect(section).to_contain_text(DEALER["email"])
	section.scroll_into_view_if_needed()
	picture(staff, "16-desk-customer-portal")
