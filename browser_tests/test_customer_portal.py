"""The demo dealer walks the customer portal: overview -> pending order lines -> invoices (an invoice PDF
and the statement downloaded and rendered to PNG with pdftoppm) -> accepts an offer; at desktop and at
phone width. Needs the demo data (rma_portal.demo.make_demo: partly delivered orders, unpaid and overdue
invoices, open quotations). Accepting uses up one open demo quotation per run: the test skips the
acceptance when none is left.
"""

import json
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from portal import BASE_URL, SCREENSHOTS, screenshot


def pdf_to_png(pdf: bytes, name: str) -> list[Path]:
	"""Render every page at 80 dpi into the screenshots folder; the PNG files."""
	SCREENSHOTS.mkdir(parents=True, exist_ok=True)
	path = SCREENSHOTS / f"{name}.pdf"
	path.write_bytes(pdf)
	subprocess.run(["pdftoppm", "-r", "80", "-png", str(path), str(SCREENSHOTS / name)], check=True)
	return sorted(SCREENSHOTS.glob(f"{name}*.png"))


def no_sideways_scroll(page):
	width = page.evaluate("document.documentElement.scrollWidth")
	assert width <= page.viewport_size["width"] + 1, f"page is {width} px wide"


def walk(page, prefix: str, phone: bool):
	# Overview: the portal home after login, what the site's root shows a customer.
	page.goto(f"{BASE_URL}/")
	page.wait_for_selector(".pa-dashboard")
	for card in (".pa-card-returns", ".pa-card-pending", ".pa-card-invoices", ".pa-card-offers"):
		assert page.locator(card).is_visible(), card
	page.wait_for_selector("#pa-chart svg", timeout=5000)
	page.wait_for_timeout(1000)  # the bars grow in
	if not phone:
		sidebar = page.locator(".web-sidebar a, .sidebar-item a").all_inner_texts()
		texts = [t.strip() for t in sidebar if t.strip()]
		assert texts[:4] == ["Overview", "Pending order lines", "Invoices and payments", "Offers"], texts
		assert "Newsletter" not in texts and "Timesheets" not in texts
	screenshot(page, f"{prefix}_01_overview")
	if phone:
		no_sideways_scroll(page)

	# Pending order lines: from the overview's card; search the item code column.
	page.click(".pa-card-pending .card-title a")
	page.wait_for_selector(".pa-lines")
	rows = page.locator("tr.pa-line")
	assert rows.count() > 0
	dates = page.locator('tr.pa-line td[data-key="delivery_date"]').all_inner_texts()
	assert all(d.strip() for d in dates)
	screenshot(page, f"{prefix}_02_pending_lines")
	# search a column the screen shows: the item code on a desktop, the order number on a phone
	key = "sales_order" if phone else "item_code"
	value = rows.first.locator(f'td[data-key="{key}"]').inner_text().strip()
	with page.expect_navigation():
		page.fill(f'input[name="f_{key}"]', value)
		page.press(f'input[name="f_{key}"]', "Enter")
	found = page.locator(f'tr.pa-line td[data-key="{key}"]').all_inner_texts()
	assert found and all(c.strip() == value for c in found), found
	csv = page.context.request.get(BASE_URL + page.locator(".pa-export").get_attribute("href"))
	assert csv.ok and value in csv.text()
	if phone:
		no_sideways_scroll(page)
		table = page.locator(".pa-orders .table-responsive")
		overflow = table.evaluate("t => t.scrollWidth - t.clientWidth")
		assert overflow <= 1, f"the pending lines scroll sideways by {overflow} px on a phone"

	# Invoices: unpaid only, one invoice's PDF and the statement.
	page.goto(f"{BASE_URL}/portal/invoices?unpaid=1")
	page.wait_for_selector(".pa-totals")
	assert page.locator(".pa-overdue").count() > 0, "the demo has overdue invoices"
	screenshot(page, f"{prefix}_03_invoices")
	if phone:
		no_sideways_scroll(page)
	pdf_link = page.locator(".pa-pdf:visible").first
	invoice = page.context.request.get(BASE_URL + pdf_link.get_attribute("href"))
	assert invoice.ok and invoice.body().startswith(b"%PDF")
	statement = page.context.request.get(BASE_URL + page.locator(".pa-statement").get_attribute("href"))
	assert statement.ok and statement.body().startswith(b"%PDF")
	if not phone:
		assert pdf_to_png(invoice.body(), f"{prefix}_04_invoice_pdf")
		assert pdf_to_png(statement.body(), f"{prefix}_05_statement_pdf")

	# Offers: accept the first open one, through the confirmation step.
	page.goto(f"{BASE_URL}/portal/offers?show=awaiting")
	page.wait_for_selector(".pa-offers")
	screenshot(page, f"{prefix}_06_offers")
	offers = page.locator(".pa-offer:has(.pa-accept)")
	if not offers.count():
		pytest.skip("no open demo quotation left to accept")
	offer = offers.first
	name = offer.get_attribute("data-name")
	offer.locator(".pa-accept").click()
	assert offer.locator(".pa-confirm-accept").is_visible()
	screenshot(page, f"{prefix}_07_offer_confirm")
	card = _answer_offer(page, offer, name, "accept")
	assert card.locator(".pa-state").inner_text().strip() in ("Ordered", "Accepted")
	assert card.locator(".pa-accept").count() == 0
	screenshot(page, f"{prefix}_08_offer_accepted")
	if phone:
		no_sideways_scroll(page)


def test_dealer_walks_the_portal_on_desktop(dealer_page):
	walk(dealer_page, "40_portal_desktop", phone=False)


def test_dealer_walks_the_portal_on_a_phone(dealer_phone_page):
	walk(dealer_phone_page, "41_portal_phone", phone=True)


def test_other_dealer_cannot_download_the_first_ones_invoice(dealer_page, second_page):
	dealer_page.goto(f"{BASE_URL}/portal/invoices")
	href = dealer_page.locator(".pa-pdf").first.get_attribute("href")
	assert second_page.context.request.get(BASE_URL + href).status == 403


def _answer_offer(page, offer, name: str, answer: str):
	"""Confirm the offer's open "accept" or "reject" question; once the page has reloaded with the
	answer, the offer's card on /portal/offers."""
	with page.expect_navigation():  # the page reloads with the answer
		with page.expect_response(lambda r: f"{answer}_quotation" in r.url) as response:
			offer.locator(f".pa-confirm-{answer} .pa-confirm-yes").click()
	assert response.value.ok, response.value.text()[:300]
	page.goto(f"{BASE_URL}/portal/offers#{name}")
	return page.locator(f'.pa-offer[data-name="{name}"]')


def _declinable_offers(page):
	"""The awaiting offers on /portal/offers that can still be declined (skips when none is left)."""
	page.goto(f"{BASE_URL}/portal/offers?show=awaiting")
	page.wait_for_selector(".pa-offers")
	offers = page.locator(".pa-offer:has(.pa-reject)")
	if not offers.count():
		pytest.skip("no open demo quotation left to decline")
	return offers


def test_dealer_declines_an_offer_with_a_reason(dealer_page):
	# Declining answered 403 for every dealer (ERPNext's declare_enquiry_lost reads the Lost Reason
	# master with the dealer's permissions) and showed that raw text in the offer box.
	page = dealer_page
	offers = _declinable_offers(page)
	offer = offers.last
	name = offer.get_attribute("data-name")
	offer.locator(".pa-reject").click()
	offer.locator(".pa-confirm-reject .pa-confirm-yes").click()  # no reason yet: asked for one
	assert (
		offer.locator(".pa-error").inner_text().strip()
		== "Reason: please tell us why you decline this offer."
	)
	offer.locator(".pa-reason").fill("We found the lamps cheaper elsewhere.")
	screenshot(page, "42_offer_decline_reason")
	card = _answer_offer(page, offer, name, "reject")
	assert card.locator(".pa-state").inner_text().strip() == "Lost"
	assert card.locator(".pa-reject").count() == 0
	screenshot(page, "43_offer_declined")


def test_a_server_fault_never_shows_the_servers_text(dealer_page):
	# The answer of a failing server (here simulated: a 500 carrying an exception's own text) is
	# replaced by the translated generic message in the offer box; the offer is left as it was.
	page = dealer_page
	offers = _declinable_offers(page)
	raw = json.dumps([json.dumps({"message": "KeyError: 'lost_reasons' in declare_enquiry_lost"})])
	page.route(
		"**/rma_portal.api.quotations.reject_quotation",
		lambda route: route.fulfill(
			status=500,
			content_type="application/json",
			body=json.dumps({"exc_type": "KeyError", "_server_messages": raw}),
		),
	)
	offer = offers.first
	offer.locator(".pa-reject").click()
	offer.locator(".pa-reason").fill("Too expensive.")
	offer.locator(".pa-confirm-reject .pa-confirm-yes").click()
	error = offer.locator(".pa-error")
	expect(error).to_be_visible()
	assert (
		error.inner_text().strip() == "The server could not handle the request (error 500). Please try again."
	)
	screenshot(page, "44_offer_server_fault")
