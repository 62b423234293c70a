"""The customer's project Gantt chart, support tickets and quote requests in a real browser, at desktop
and phone width: the demo dealer opens the demo project's read-only Gantt chart, opens a ticket with
an attachment and downloads it, and files a quote request for an item found by its code.

Environment: RMA_BASE_URL, RMA_SCREENSHOTS (see conftest.py).
"""

import re
import uuid

import pytest
from playwright.sync_api import expect
from portal import screenshot

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ITEM = "VOL-DRILL-18"


@pytest.fixture(params=["desktop", "phone"])
def width_page(request, dealer_page, browser):
	"""The dealer's page at desktop width, or at phone width (a context of its own)."""
	if request.param == "desktop":
		yield "desktop", dealer_page
		return
	page = request.getfixturevalue("dealer_phone_page")
	yield "phone", page


def no_sideways_scroll(page):
	overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
	assert overflow <= 1, f"the page scrolls sideways by {overflow}px"


def test_project_gantt_is_drawn_and_read_only(width_page):
	label, page = width_page
	page.goto("/portal/projects")
	project = page.locator(".cp-project-row").filter(has_text="Workshop fit-out").first
	expect(project).to_be_visible()
	project.click()
	expect(page).to_have_url(re.compile(r"/portal/projects/view\?name="))
	bars = page.locator("#cp-gantt svg .bar-wrapper")
	expect(bars).to_have_count(6)
	expect(page.locator(".cp-task")).to_have_count(6)
	expect(page.locator(".cp-gantt svg .arrow")).not_to_have_count(0)  # dependencies drawn
	# a drag moves nothing: the chart is read-only for customers
	bar = bars.nth(4).locator(".bar")
	bar.scroll_into_view_if_needed()
	before = bar.bounding_box()
	page.mouse.move(before["x"] + before["width"] / 2, before["y"] + before["height"] / 2)
	page.mouse.down()
	page.mouse.move(before["x"] + before["width"] / 2 + 120, before["y"] + before["height"] / 2, steps=5)
	page.mouse.up()
	after = bar.bounding_box()
	assert abs(after["x"] - before["x"]) < 1, "a Gantt bar moved when dragged"
	page.locator(".cp-gantt-modes [data-mode='Month']").click()
	expect(page.locator(".cp-gantt-modes [data-mode='Month']")).to_have_class(re.compile("active"))
	page.locator(".cp-gantt-modes [data-mode='Week']").click()
	no_sideways_scroll(page)
	screenshot(page, f"customer-project-gantt-{label}")


def test_open_a_ticket_with_an_attachment(width_page):
	label, page = width_page
	subject = f"Lid hinge broken {uuid.uuid4().hex[:6]}"
	page.goto("/portal/tickets")
	page.locator(".cp-new-ticket").first.click()
	expect(page).to_have_url(re.compile(r"/portal/tickets/new"))
	expect(page.locator(".cp-upload-form[data-ready]")).to_have_count(1)  # its script has run
	page.fill("#cp-subject", subject)
	page.fill("#cp-message", "The hinge of a KER-BIN-120 lid broke on delivery.\nPhoto attached.")
	page.set_input_files(
		"#cp-files", files=[{"name": "hinge.pdf", "mimeType": "application/pdf", "buffer": PDF}]
	)
	expect(page.locator(".cp-file")).to_have_count(1)
	page.locator(".cp-submit").click()
	expect(page).to_have_url(re.compile(r"/portal/tickets/view\?name="))
	expect(page.locator(".rma-page-title")).to_have_text(subject)
	expect(page.locator(".cp-message")).to_have_count(1)
	link = page.locator(".cp-ticket-file", has_text="hinge.pdf")
	expect(link).to_be_visible()
	with page.expect_download() as download:
		link.click()
	assert download.value.suggested_filename == "hinge.pdf"
	with open(download.value.path(), "rb") as f:
		assert f.read() == PDF
	# a reply joins the conversation
	expect(page.locator(".cp-upload-form[data-ready]")).to_have_count(1)
	page.fill("#cp-message", "Any news on this?")
	page.locator(".cp-submit").click()
	expect(page.locator(".cp-message")).to_have_count(2)
	no_sideways_scroll(page)
	screenshot(page, f"customer-ticket-{label}")
	page.goto("/portal/tickets")
	expect(page.locator(".cp-card", has_text=subject)).to_be_visible()
	screenshot(page, f"customer-tickets-{label}", full_page=False)


def test_file_a_quote_request(width_page):
	label, page = width_page
	page.goto("/portal/quotes/new")
	page.fill(".cp-item-search", ITEM)
	option = page.locator(".cp-item-option", has_text=ITEM).first
	expect(option).to_be_visible()
	option.click()
	expect(page.locator(".cp-line")).to_have_count(1)
	page.locator(".cp-line .cp-line-qty").fill("4")
	page.fill(".cp-item-search", "floodlight")
	page.locator(".cp-item-option").first.click()
	expect(page.locator(".cp-line")).to_have_count(2)
	page.select_option("#cp-delivery", "Delivery")
	expect(page.locator("#cp-address")).to_be_visible()
	page.fill("#cp-remarks", "Needed before the end of the month.")
	no_sideways_scroll(page)
	screenshot(page, f"customer-quote-request-form-{label}")
	page.locator(".cp-submit").click()
	expect(page).to_have_url(re.compile(r"/portal/quotes\?sent="))
	expect(page.locator(".cp-sent")).to_be_visible()
	first = page.locator(".cp-quote-request").first
	expect(first).to_contain_text(ITEM)
	expect(first.locator(".badge")).to_have_text(re.compile("Requested"))
	no_sideways_scroll(page)
	screenshot(page, f"customer-quote-requests-{label}")


def test_shipments_contracts_and_files(width_page):
	label, page = width_page
	page.goto("/portal/shipments")
	tracked = page.locator(".cp-tracking a[href^='https://'] >> visible=true").first
	expect(tracked).to_be_visible()
	no_sideways_scroll(page)
	screenshot(page, f"customer-shipments-{label}", full_page=False)
	page.goto("/portal/contracts")
	expect(page.locator(".cp-contract")).not_to_have_count(0)
	href = page.locator(".cp-contract-pdf").first.get_attribute("href")
	response = page.request.get(href)  # the PDF with the page's session, as the link opens it
	assert response.ok and response.body()[:5] == b"%PDF-"
	screenshot(page, f"customer-contracts-{label}")
	page.goto("/portal/files")
	shared = page.locator(".cp-shared-file", has_text="Dealer price list 2026.pdf")
	expect(shared).to_be_visible()
	expect(page.locator(".cp-shared-file", has_text="Credit check")).to_have_count(0)
	screenshot(page, f"customer-files-{label}")
