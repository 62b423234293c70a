"""Receiving by scan in the desk page RMA Receiving, typed as a keyboard-wedge scanner types (the
code, then Enter): the parcel label opens the RMA, a wrong item (and, on a serial line, a wrong
serial) is refused with a message, the line counts up, Ctrl+Enter books; the label scanned again
shows the receipt and expects nothing. Screenshots: receiving-*.png.
"""

from playwright.sync_api import expect
from portal import BASE_URL, screenshot
from test_rma_desk import send_return

SCAN = "#rma-scan"
MESSAGE = ".rma-receiving .rma-message"


def scan(page, code: str, expect_kind: str, text: str | None = None, focused: bool = True):
	"""Type `code` and Enter into the scan field; wait for the answer's message of `expect_kind`."""
	with page.expect_response(lambda r: "rma_portal.api.receiving." in r.url) as info:
		page.locator(SCAN).press_sequentially(code)
		page.locator(SCAN).press("Enter")
	assert info.value.status < 500, info.value.text()[:500]
	box = page.locator(MESSAGE)
	expect(box).to_have_class(f"rma-message alert alert-{expect_kind}")
	if text:
		expect(box).to_contain_text(text)
	if focused:
		expect(page.locator(SCAN)).to_be_focused()


def test_a_parcel_received_by_scan(dealer_page, admin_page):
	rma = send_return(dealer_page)
	page = admin_page
	page.goto(f"{BASE_URL}/app/rma-receiving")
	expect(page.locator(SCAN)).to_be_focused()
	scan(page, rma, "info", rma)
	row = page.locator(".rma-lines tbody tr").first
	item_code = row.locator("td").nth(1).locator("b").inner_text().strip()
	scan(page, "0000000000017", "danger", "not on the RMA")
	requested = row.locator("td").nth(6).inner_text()
	page.locator(SCAN).press_sequentially(item_code)
	page.locator(SCAN).press("Enter")
	if "Requested:" in requested:  # a serial line: the serial is asked for, a wrong one refused
		expect(page.locator(MESSAGE)).to_contain_text("serial")
		scan(page, "WRONG-SERIAL-1", "danger", "WRONG-SERIAL-1")
		serial = requested.split("Requested:")[1].split(",")[0].strip()
		scan(page, serial, "success")
	else:
		expect(page.locator(MESSAGE)).to_have_class("rma-message alert alert-success")
	expect(row.locator(".rma-counted")).to_have_text("1")
	scan(page, item_code, "danger", "More than requested")
	row.locator(".rma-condition").select_option("Opened")
	screenshot(page, "receiving-counted")
	with page.expect_response(lambda r: r.url.endswith("rma_portal.api.receiving.book")) as info:
		page.locator(SCAN).focus()
		page.keyboard.press("Control+Enter")
	assert info.value.ok, info.value.text()[:800]
	expect(page.locator(MESSAGE)).to_contain_text("Receipt booked")
	# the label again: what was booked, nothing expected, nothing booked twice
	scan(page, rma, "warning", "nothing is expected")
	expect(page.locator(".rma-receipts li")).to_have_count(1)
	expect(page.locator(".rma-receipts")).to_contain_text("Opened")
	screenshot(page, "receiving-booked")
	page.locator(SCAN).press("Escape")  # a new parcel
	expect(page.locator(".rma-lines")).to_have_count(0)
	scan(page, "RMA-NO-SUCH-PARCEL", "danger", "No RMA", focused=False)
	record = page.get_by_role("button", name="Record unmatched parcel")
	expect(record).to_be_focused()
	page.keyboard.press("Enter")  # the focused "Record unmatched parcel" button
	expect(page.locator(".rma-parcel")).to_contain_text("recorded")
	screenshot(page, "receiving-unmatched")
