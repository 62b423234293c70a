"""A paid repair from start to end, in the browser, both sides.

The dealer files a service request for a Lumio bulb (no serial, no fault types) on /service/new;
staff receive it in the desk, diagnose it as not covered by the warranty and send a repair quote;
the dealer accepts the quote on the request's page; staff send the repaired unit back with carrier,
tracking number and link and a repair report; the dealer then sees the diagnosis, the report and the
tracking link, and writes a message. Needs the demo data (its paid-repair settings included).
"""

import uuid

from playwright.sync_api import expect
from portal import BASE_URL, screenshot
from test_rma_desk import confirm_dialog, dialog_titled, form_action, open_form, wait_for_status
from test_service_csv import LAMP_BULB, PDF, last_purchase

TRACKING = "JJD0099" + uuid.uuid4().hex[:6].upper()
TRACKING_URL = f"https://www.dhl.com/nl-en/home/tracking.html?tracking-id={TRACKING}"


def file_request(page, tmp_path) -> str:
	"""As the dealer, on /service/new: one bulb for repair, with the proof of purchase."""
	page.goto(f"{BASE_URL}/service/new")
	line = page.locator(".svc-line").first
	line.locator(".svc-ean").fill(LAMP_BULB)
	line.locator(".svc-ean").press("Tab")
	line.locator(".svc-qty").fill("1")
	line.locator(".svc-date").fill(last_purchase(page, LAMP_BULB))
	line.locator(".svc-expectation").select_option("Repair")
	line.locator(".svc-problem").fill("Does not connect to the app any more")
	page.select_option(".svc-rma-type", label="Repair / warranty service")
	page.fill("#svc-own-no", f"PAID-{uuid.uuid4().hex[:6].upper()}")
	proof = tmp_path / "invoice.pdf"
	proof.write_bytes(PDF)
	page.set_input_files(".svc-proof", str(proof))
	page.click(".svc-submit")
	page.wait_for_url("**/rma/view**")
	name = page.get_attribute(".rma-view", "data-name")
	expect(page.locator(".rma-sent")).to_contain_text("service request")
	expect(page.locator("a.btn[href='/service']")).to_have_text("All service requests")
	screenshot(page, "service_repair_01_filed")
	return name


def test_paid_repair_from_filing_to_tracking(dealer_page, admin_page, tmp_path):
	dealer, desk = dealer_page, admin_page
	name = file_request(dealer, tmp_path)

	# staff: receive (the line's handling is the dealer's wish, Repair)
	open_form(desk, "rma", name)
	form_action(desk, "Receive")
	dialog = dialog_titled(desk, f"Receive {name}")
	confirm_dialog(desk, "receive_rma", dialog, "service_repair_02m")
	wait_for_status(desk, "Received")
	row = desk.evaluate("cur_frm.doc.items[0].name")
	assert desk.evaluate("cur_frm.doc.items[0].delivery_note"), "the line is tied to its delivery"

	# staff: diagnose as not covered
	form_action(desk, "Diagnose")
	dialog = dialog_titled(desk, f"Diagnose {name}")
	dialog.locator(f'[data-fieldname="diagnosis_{row}"] textarea').fill(
		"Water damage on the board: not covered"
	)
	dialog.locator(f'select[data-fieldname="covered_{row}"]').select_option("Not covered")
	screenshot(desk, "service_repair_03_diagnose_dialog")
	confirm_dialog(desk, "diagnose_rma", dialog, "service_repair_03m")
	expect(dialog).to_be_hidden()
	desk.wait_for_function("cur_frm.doc.items[0].fault_covered === 'Not covered'")

	# staff: send the repair quote
	form_action(desk, "Send Repair Quote")
	dialog = dialog_titled(desk, "Send Repair Quote")
	dialog.locator('[data-fieldname="amount"] input').fill("45")
	dialog.locator('[data-fieldname="description"] textarea').fill("New board and seal")
	message = confirm_dialog(desk, "send_repair_quote", dialog, "service_repair_04m")
	assert message["quotation"], message
	desk.wait_for_function("cur_frm.doc.repair_quote_status === 'Sent'")
	screenshot(desk, "service_repair_04_quote_sent")

	# dealer: the diagnosis and the quote on the request's page; accept it
	dealer.goto(f"{BASE_URL}/rma/view?name={name}")
	expect(dealer.locator(".svc-diagnosis")).to_contain_text("Water damage")
	quote = dealer.locator(".svc-quote")
	expect(quote).to_contain_text("45")
	screenshot(dealer, "service_repair_05_quote_to_answer")
	dealer.once("dialog", lambda d: d.accept())
	with dealer.expect_response(lambda r: "answer_repair_quote" in r.url) as info:
		quote.locator(".svc-quote-accept").click()
	assert info.value.ok, info.value.text()[:500]
	dealer.wait_for_load_state()
	expect(dealer.locator(".svc-quote-answer")).to_contain_text("Accepted")
	screenshot(dealer, "service_repair_06_quote_accepted")

	# staff: send the repaired unit back with the parcel's tracking and the repair report
	open_form(desk, "rma", name)
	assert desk.evaluate("cur_frm.doc.repair_sales_order"), "the accepted quote made the Sales Order"
	form_action(desk, "Send Replacements and Returns")
	dialog = dialog_titled(desk, "Send Replacements and Returns")
	dialog.locator('[data-fieldname="carrier"] input').fill("DHL")
	dialog.locator('[data-fieldname="tracking_no"] input').fill(TRACKING)
	dialog.locator('[data-fieldname="tracking_url"] input').fill(TRACKING_URL)
	dialog.locator(f'[data-fieldname="report_{row}"] textarea').fill("Board and seal replaced, tested 24 h")
	screenshot(desk, "service_repair_07_send_dialog")
	confirm_dialog(desk, "ship_outcomes", dialog, "service_repair_07m")
	wait_for_status(desk, "Completed")
	screenshot(desk, "service_repair_08_desk_completed")

	# dealer: the report, the parcel and its tracking link; then a message to the service team
	dealer.goto(f"{BASE_URL}/rma/view?name={name}")
	expect(dealer.locator(".svc-repair-report")).to_contain_text("Board and seal replaced")
	expect(dealer.locator(".svc-parcel-tracking")).to_have_text(TRACKING)
	assert dealer.get_attribute(".svc-parcel-link", "href") == TRACKING_URL
	screenshot(dealer, "service_repair_09_dealer_tracking")
	dealer.fill("#rma-message-text", "Thank you, when will it arrive?")
	with dealer.expect_response(lambda r: "conversation.post_message" in r.url) as info:
		dealer.click(".rma-message-send")
	assert info.value.ok, info.value.text()[:500]
	dealer.wait_for_load_state()
	expect(dealer.locator(".rma-message-text").last).to_have_text("Thank you, when will it arrive?")
	screenshot(dealer, "service_repair_10_message")

	# the list: the request among the dealer's service requests, filtered by status
	dealer.goto(f"{BASE_URL}/service?status=Completed#requests")
	expect(dealer.locator(f".svc-list a:text-is('{name}')")).to_be_visible()
	screenshot(dealer, "service_repair_11_list")
