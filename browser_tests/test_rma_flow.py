"""A dealer requests a return from their order history and follows it; another dealer cannot see it.

Needs the demo data (rma_portal.demo.make_demo) and a background worker (the documents PDF is
made by a queued job). Asks for quantity 1 on lines that still have something returnable, so the
demo keeps enough returnable quantity for many runs.
"""

import re
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from portal import BASE_URL, SCREENSHOTS, screenshot

DOCUMENTS_TIMEOUT_S = 60
CANDIDATES = "rma_portal.api.returns.get_candidates"


def wait_for_candidates(page, action):
	"""Run `action` (which makes the page search or page) and wait for the rows it loads."""
	with page.expect_response(lambda r: CANDIDATES in r.url and r.request.method == "GET") as info:
		action()
	assert info.value.ok, info.value.text()[:500]
	page.wait_for_timeout(100)  # let the rows render
	return info.value.json()["message"]


def returnable_rows(page):
	return page.locator(".rma-candidates-body tr[data-line]:has(input.rma-check:not([disabled]))")


def cell(row, key):
	return row.locator(f'td[data-key="{key}"]').inner_text().strip()


def tick_first_returnable(page, skip=()):
	rows = returnable_rows(page)
	for i in range(rows.count()):
		row = rows.nth(i)
		line = row.get_attribute("data-line")
		if line in skip:
			continue
		row.locator("input.rma-check").check()
		return line, cell(row, "item_code")
	pytest.skip("no returnable line left on this page of the demo data")


def decode_barcodes(pdf: bytes, workdir: Path) -> list[str]:
	"""Render every page at 200 dpi with pdftoppm and read its barcodes with zxing-cpp."""
	import zxingcpp
	from PIL import Image

	pdf_path = workdir / "documents.pdf"
	pdf_path.write_bytes(pdf)
	subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf_path), str(workdir / "page")], check=True)
	texts = []
	for png in sorted(workdir.glob("page*.png")):
		texts += [result.text for result in zxingcpp.read_barcodes(Image.open(png))]
	return texts


def test_dealer_requests_a_return(dealer_page, second_page, tmp_path):
	page = dealer_page
	first = wait_for_candidates(page, lambda: page.goto(f"{BASE_URL}/rma/new"))
	if first["total"] <= first["page_size"]:
		pytest.skip("the demo history has a single page of lines; run rma_portal.demo.make_demo")
	header = [
		h.strip() for h in page.locator("table.rma-candidates thead tr").first.locator("th").all_inner_texts()
	]
	for label in ("Sales Order", "Item Code", "Qty Returnable", "Delivery Date"):
		assert label in header
	assert page.locator("input.rma-filter").count() == len(header) - 1  # one search box per column
	screenshot(page, "10_new_return")

	# Search the item code column with the code of a returnable line, tick one of the matches.
	code = cell(returnable_rows(page).first, "item_code")
	found = wait_for_candidates(page, lambda: page.fill('input.rma-filter[data-key="item_code"]', code))
	assert found["total"] >= 1
	codes = {cell(r, "item_code") for r in page.locator(".rma-candidates-body tr[data-line]").all()}
	assert codes == {code}
	line_a, _code_a = tick_first_returnable(page)
	screenshot(page, "11_searched_and_ticked")

	# Clear the search and tick a line on page 2: the first tick stays.
	wait_for_candidates(page, lambda: page.fill('input.rma-filter[data-key="item_code"]', ""))
	wait_for_candidates(page, lambda: page.click("button.rma-next"))
	assert "Page 2" in page.locator(".rma-page-label").inner_text()
	line_b, _code_b = tick_first_returnable(page, skip={line_a})
	assert page.locator(".rma-selected-count").inner_text().startswith("2 ")
	wait_for_candidates(page, lambda: page.click("button.rma-prev"))
	wait_for_candidates(page, lambda: page.click("button.rma-next"))
	assert page.locator(f'tr[data-line="{line_b}"] input.rma-check').is_checked()
	screenshot(page, "12_two_lines_selected")

	# Confirmation step: quantity 1 each, one reason for all, terms.
	page.click("button.rma-create")
	confirm = page.locator(".rma-confirm-body tr")
	assert confirm.count() == 2
	assert {confirm.nth(i).get_attribute("data-line") for i in range(2)} == {line_a, line_b}
	for i in range(2):
		qty = confirm.nth(i).locator("input.rma-line-qty")
		assert float(qty.get_attribute("min")) == 1
		assert float(qty.get_attribute("max")) >= 1
		qty.fill("1")
	assert "return fee" in page.locator(".rma-fee").inner_text().lower()
	reasons = page.locator("select.rma-reason-all option")
	reason = next(v for v in (reasons.nth(i).get_attribute("value") for i in range(reasons.count())) if v)
	page.select_option("select.rma-reason-all", reason)
	assert {s.input_value() for s in page.locator("select.rma-line-reason").all()} == {reason}
	reference = f"BT-{int(time.time())}"
	page.fill("input.rma-reference", reference)

	# Without the terms accepted the request is refused, with the reason in the error box.
	page.click("button.rma-send")
	errors = page.locator(".rma-errors")
	errors.wait_for(state="visible")
	assert "terms" in errors.inner_text().lower()
	screenshot(page, "13_confirm_errors")

	page.check("input.rma-terms-accepted")
	expect(errors).to_be_hidden()  # the only problem is answered: its message goes at once
	screenshot(page, "14_confirm_ready")
	page.click("button.rma-send")
	page.wait_for_url(re.compile(r"/rma/view\?name="), timeout=30_000)
	name = page.locator(".rma-view").get_attribute("data-name")
	assert name and page.locator(".rma-view").get_attribute("data-status") == "Expected"
	assert page.locator(".rma-lines tbody tr").count() == 2
	assert reference in page.content()
	assert page.locator(".rma-sent").is_visible()
	screenshot(page, "15_rma_view")

	# The list shows it as Expected.
	page.goto(f"{BASE_URL}/rma")
	row = page.locator(f'tr.rma-row[data-name="{name}"]')
	assert row.count() == 1
	assert row.locator(".rma-status").inner_text().strip() == "Expected"
	screenshot(page, "16_rma_list")

	# The documents are made by a background job; the RMA's page looks again by itself and shows
	# the link once they are there.
	view_url = f"{BASE_URL}/rma/view?name={quote(name, safe='')}"
	page.goto(view_url)
	link = page.locator(".rma-documents a.rma-documents-link")
	link.wait_for(timeout=DOCUMENTS_TIMEOUT_S * 1000)
	screenshot(page, "17_rma_view_documents")
	download_url = BASE_URL + link.get_attribute("href")
	response = page.context.request.get(download_url)
	assert response.ok, response.status
	pdf = response.body()
	assert pdf.startswith(b"%PDF")
	SCREENSHOTS.mkdir(parents=True, exist_ok=True)
	(SCREENSHOTS / "rma_documents.pdf").write_bytes(pdf)
	assert name in decode_barcodes(pdf, tmp_path)

	# Another customer's user gets a permission error for the page and the download.
	response = second_page.goto(view_url)
	assert response.status == 403
	screenshot(second_page, "18_other_dealer_forbidden")
	assert second_page.context.request.get(download_url).status == 403
	second_page.goto(f"{BASE_URL}/rma")
	assert second_page.locator(f'tr.rma-row[data-name="{name}"]').count() == 0


def test_guest_is_refused(guest_page):
	for route in ("/rma", "/rma/new", "/rma/view?name=RMA%2F00001"):
		response = guest_page.goto(BASE_URL + route)
		assert response.status == 403, route


@pytest.mark.parametrize("route", ["/rma", "/rma/new"])
def test_pages_fit_a_phone(dealer_phone_page, route):
	page = dealer_phone_page
	page.goto(BASE_URL + route)
	page.wait_for_load_state("networkidle")
	overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
	screenshot(page, "20_phone_" + route.strip("/").replace("/", "_"))
	assert overflow <= 1, f"{route} scrolls sideways by {overflow}px on a phone"


def test_search_by_displayed_delivery_date(dealer_page):
	page = dealer_page
	wait_for_candidates(page, lambda: page.goto(f"{BASE_URL}/rma/new"))
	shown = cell(page.locator(".rma-candidates-body tr[data-line]").first, "delivery_date")
	found = wait_for_candidates(page, lambda: page.fill('input.rma-filter[data-key="delivery_date"]', shown))
	assert found["total"] >= 1
	dates = {cell(r, "delivery_date") for r in page.locator(".rma-candidates-body tr[data-line]").all()}
	assert dates == {shown}


def test_server_lists_every_error(dealer_page):
	"""A request the page would not send (bad quantity, unknown line, no terms): every error comes back."""
	page = dealer_page
	wait_for_candidates(page, lambda: page.goto(f"{BASE_URL}/rma/new"))
	line = returnable_rows(page).first.get_attribute("data-line")
	messages = page.evaluate(
		"""async (line) => {
			try {
				await rma_portal.call("submit_return", {
					lines: [{delivery_note_item: line, qty: 100000}, {delivery_note_item: "no-such-line", qty: 1}],
					terms_accepted: 0,
				}, "POST");
				return [];
			} catch (error) {
				return error.messages || [String(error)];
			}
		}""",
		line,
	)
	assert len(messages) >= 3, messages
	assert any("terms" in m.lower() for m in messages), messages


def test_typed_text_is_not_markup(second_page):
	payload = "<img src=x onerror=window.__xss=1>"
	for route in (f"/rma/view?name={quote(payload)}", f"/rma?search={quote(payload)}"):
		second_page.goto(BASE_URL + route)
		assert payload not in second_page.content(), route
		assert second_page.evaluate("window.__xss") is None, route


def test_confirmation_fits_a_phone(dealer_phone_page):
	"""The confirmation step on a phone: lines stacked, nothing wider than the screen (nothing sent)."""
	page = dealer_phone_page
	wait_for_candidates(page, lambda: page.goto(f"{BASE_URL}/rma/new"))
	boxes = page.locator("input.rma-check:not([disabled])")
	if boxes.count() < 2:
		pytest.skip("fewer than two returnable lines on the first page")
	boxes.nth(0).check()
	boxes.nth(1).check()
	page.click("button.rma-create")
	page.select_option("select.rma-reason-all", index=1)
	assert page.locator(".rma-confirm-body tr").count() == 2
	overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
	screenshot(page, "21_phone_confirm")
	assert overflow <= 1, f"the confirmation scrolls sideways by {overflow}px on a phone"
