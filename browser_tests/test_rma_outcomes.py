"""Mixed handling after receipt: a dealer returns four lines from four deliveries; the clerk receives
them in the desk as Credit, Credit, Replace and Repair, makes the credit notes and sends the
replacement and the repaired goods; the dealer then sees each line's outcome, every credit note with
the total, and the deliveries, at desktop and phone width.

Needs the demo data (rma_portal.demo.make_demo); returns quantity 1 of each line.
"""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from portal import BASE_URL, PHONE, screenshot
from test_rma_desk import (
	CANDIDATES,
	confirm_dialog,
	dialog_titled,
	form_action,
	indicator,
	open_form,
	receive_one,
	wait_for_status,
)

HANDLINGS = ("Credit", "Credit", "Replace", "Repair")


def send_four_line_return(page) -> str:
	"""As the dealer: one line from each of four delivery notes, quantity 1; returns the RMA name.

	Lines are taken from the oldest deliveries first (the last pages): those are invoiced."""
	with page.expect_response(lambda r: CANDIDATES in r.url and r.request.method == "GET") as info:
		page.goto(f"{BASE_URL}/rma/new")
	first = info.value.json()["message"]
	pages = max(1, -(-int(first["total"]) // len(first["rows"] or [1])))
	rows, notes = [], set()
	for number in range(pages, 0, -1):
		found = page.evaluate(
			"async (n) => (await rma_portal.call('get_candidates', {page: n}, 'GET')).rows", number
		)
		for row in reversed(found):
			if float(row.get("qty_returnable") or 0) >= 1 and row["delivery_note"] not in notes:
				notes.add(row["delivery_note"])
				rows.append(row)
		if len(rows) >= 4:
			break
	if len(rows) < 4:
		pytest.skip("fewer than four returnable deliveries in the demo history")
	reason = page.locator("select.rma-reason-all option").evaluate_all("os => os.map(o => o.value)")[1]
	result = page.evaluate(
		"""async ([lines, reason]) => rma_portal.call("submit_return", {
			lines: lines.map(line => ({delivery_note_item: line, qty: 1})),
			return_reason: reason,
			customer_reference: "BT-MIXED",
			terms_accepted: 1,
		}, "POST")""",
		[[row["delivery_note_item"] for row in rows[:4]], reason],
	)
	assert result and result.get("name"), result
	return result["name"]


def test_mixed_handling_credit_replace_repair(dealer_page, admin_page):
	name = send_four_line_return(dealer_page)
	page = admin_page

	# The desk form: titled by the RMA number, the lines readable at full width.
	open_form(page, "rma", name)
	expect(indicator(page)).to_have_text("Expected")
	expect(page.locator(".page-head:visible .title-text")).to_contain_text(name)
	screenshot(page, "40_desk_mixed_expected")

	# Receive: every line 1, handled Credit, Credit, Replace, Repair.
	form_action(page, "Receive")
	dialog = dialog_titled(page, f"Receive {name}")
	rows = dialog.locator(".grid-body .rows .grid-row")
	expect(rows).to_have_count(4)
	# Credit for two invoiced lines, Replace and Repair for the other two
	invoiced = page.evaluate("cur_frm.doc.items.map(r => !!r.sales_invoice)")
	if sum(invoiced) < 2:
		pytest.skip("fewer than two invoiced lines among the oldest deliveries")
	order = [i for i, yes in enumerate(invoiced) if yes][:2]
	order += [i for i in range(4) if i not in order]
	handlings = [None] * 4
	for index, handling in zip(order, HANDLINGS, strict=True):
		handlings[index] = handling
	for index, handling in enumerate(handlings):
		receive_one(rows.nth(index), handling)
	screenshot(page, "41_desk_mixed_receive_dialog")
	message = confirm_dialog(page, "receive_rma", dialog, "41b_message")
	assert message["status"] == "Received", message
	wait_for_status(page, "Received")
	assert page.evaluate("cur_frm.doc.items.map(r => r.handling)") == handlings
	invoices = set(
		page.evaluate("cur_frm.doc.items.filter(r => r.handling === 'Credit').map(r => r.sales_invoice)")
	)

	# Make Credit Note: the Credit lines only, one credit note per original invoice, listed.
	form_action(page, "Make Credit Note")
	confirm = page.locator(".modal.show .modal-dialog").filter(has_text="Make and submit the credit note")
	message = confirm_dialog(page, "make_credit_note", confirm, "42b_message")
	credit_notes = [row["sales_invoice"] for row in message["credit_notes"]]
	assert len(credit_notes) == len(invoices), message
	wait_for_status(page, "Invoiced")
	expect(page.locator(".alert-message, .desk-alert").filter(has_text=credit_notes[0]).first).to_be_visible()
	assert page.evaluate("cur_frm.doc.credit_notes.map(r => r.sales_invoice)") == credit_notes
	screenshot(page, "42_desk_mixed_invoiced")

	# Send Replacements and Returns: one replacement delivery, one delivery of the repaired goods.
	form_action(page, "Send Replacements and Returns")
	confirm = page.locator(".modal.show .modal-dialog").filter(
		has_text="Make Delivery Notes"
	)  # the Send dialog (carrier, tracking)
	message = confirm_dialog(page, "ship_outcomes", confirm, "43b_message")
	assert message["status"] == "Completed", message
	wait_for_status(page, "Completed")
	expected = {
		"Credit": "Credit note made",
		"Replace": "Replacement sent",
		"Repair": "Repaired and sent back",
	}
	outcomes = page.evaluate("cur_frm.doc.items.map(r => r.outcome)")
	assert outcomes == [expected[h] for h in handlings], outcomes
	replaced = handlings.index("Replace")
	replacement = page.evaluate(f"cur_frm.doc.items[{replaced}].outcome_delivery_note")
	assert replacement and page.evaluate(f"cur_frm.doc.items[{replaced}].replacement_order")
	page.locator('.frappe-control[data-fieldname="items"]').scroll_into_view_if_needed()
	screenshot(page, "43_desk_mixed_completed")

	# The dealer: each line's outcome, both credit notes with the total, the replacement delivery.
	portal = dealer_page
	portal.goto(f"{BASE_URL}/rma/view?name={quote(name, safe='')}")
	view = portal.locator(".rma-view")
	expect(view).to_have_attribute("data-status", "Completed")
	for credit_note in credit_notes:
		expect(view.locator(f'.rma-credit-note-row[data-name="{credit_note}"]')).to_have_count(1)
	if len(credit_notes) > 1:
		expect(view.locator(".rma-total-credited")).to_be_visible()
	lines = view.locator(".rma-lines tbody tr")
	for index, handling in enumerate(handlings):
		expect(lines.nth(index).locator(".rma-outcome")).to_contain_text(expected[handling])
	expect(lines.nth(replaced).locator(".rma-outcome-delivery")).to_contain_text(replacement)
	screenshot(portal, "44_portal_mixed_view")

	portal.goto(f"{BASE_URL}/rma?kind=Return")
	expect(portal.locator(f'tr.rma-row[data-name="{name}"] .rma-kind')).to_have_text("Return")
	screenshot(portal, "45_portal_list_type")

	portal.set_viewport_size(PHONE)
	portal.goto(f"{BASE_URL}/rma/view?name={quote(name, safe='')}")
	assert_on_screen_sideways(
		portal, portal.locator(".rma-lines tbody tr").first.locator("td.text-right").last
	)
	screenshot(portal, "46_portal_mixed_view_phone")
	portal.goto(f"{BASE_URL}/rma/new")
	cell = portal.locator('.rma-candidates tbody td[data-key="qty_returnable"]').first
	expect(cell).to_be_visible()
	screenshot(portal, "47_portal_candidates_phone", full_page=False)
	assert_on_screen_sideways(portal, cell)


def assert_on_screen_sideways(page, cell):
	"""The cell is within the phone's width without scrolling sideways (quantities stay visible)."""
	expect(cell).to_be_visible()
	box = cell.bounding_box()
	width = page.viewport_size["width"]
	assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (box, width)


SERIAL_ITEM = "VOL-HDRILL-18"  # serial-numbered in the demo (rma_portal.demo.books)


def test_serial_line_returned_by_serial(dealer_page, admin_page):
	"""The dealer ticks one of the serials delivered to them on /rma/new (not the first); staff
	receive that unit and credit it; exactly that serial is back in the warehouse."""
	page = dealer_page
	with page.expect_response(lambda r: CANDIDATES in r.url and r.request.method == "GET"):
		page.goto(f"{BASE_URL}/rma/new")
	with page.expect_response(lambda r: CANDIDATES in r.url and SERIAL_ITEM in r.url):
		page.fill('input.rma-filter[data-key="item_code"]', SERIAL_ITEM)
	row = page.locator(".rma-candidates-body tr[data-line]:has(input.rma-check:not([disabled]))").first
	if not row.count():
		pytest.skip(f"no returnable {SERIAL_ITEM} line in the demo history")
	row.locator("input.rma-check").check()
	with page.expect_response(lambda r: "get_line_serials" in r.url):
		page.click("button.rma-create")
	serials = page.locator(".rma-confirm-body input.rma-serial")
	expect(serials.first).to_be_visible()
	assert serials.count() >= 2, "the line should offer its delivered serials"
	chosen = serials.nth(1).get_attribute("value")
	typed = page.locator(".rma-confirm-body input.rma-serial-typed")
	typed.fill("NOT-DELIVERED")  # a typed serial must be one of those delivered
	typed.press("Enter")
	expect(page.locator(".rma-serial-typed-error")).to_contain_text("NOT-DELIVERED")
	typed.fill(chosen)  # typed as read on the unit: it ticks that serial
	typed.press("Enter")
	expect(serials.nth(1)).to_be_checked()
	expect(page.locator(".rma-confirm-body input.rma-line-qty")).to_have_value("1")
	page.locator("select.rma-reason-all").select_option(index=1)
	page.check(".rma-terms-accepted")
	screenshot(page, "48_portal_new_return_serials")
	with page.expect_navigation():
		page.click("button.rma-send")
	name = page.evaluate("new URLSearchParams(location.search).get('name')")
	expect(page.locator(".rma-line-serials")).to_contain_text(chosen)
	screenshot(page, "49_portal_view_serials")

	desk = admin_page
	open_form(desk, "rma", name)
	assert desk.evaluate("cur_frm.doc.items[0].serial_nos") == chosen
	form_action(desk, "Receive")
	dialog = dialog_titled(desk, f"Receive {name}")
	line = dialog.locator(".grid-body .rows .grid-row").first
	line.locator('[data-fieldname="handling"]').first.click()
	line.locator('select[data-fieldname="handling"]').select_option("Credit")
	screenshot(desk, "50_desk_receive_serials")
	message = confirm_dialog(desk, "receive_rma", dialog, "50b_message")
	assert message["status"] == "Received", message
	wait_for_status(desk, "Received")
	assert desk.evaluate("cur_frm.doc.items[0].received_serial_nos") == chosen
	back = desk.evaluate(
		"async (s) => (await frappe.db.get_value('Serial No', s, 'warehouse')).message.warehouse", chosen
	)
	assert back, f"{chosen} should be back in a warehouse"
	form_action(desk, "Make Credit Note")
	confirm = desk.locator(".modal.show .modal-dialog").filter(has_text="Make and submit the credit note")
	message = confirm_dialog(desk, "make_credit_note", confirm, "51b_message")
	assert message["credit_notes"], message
	wait_for_status(desk, "Invoiced")
