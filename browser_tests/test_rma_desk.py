"""The staff side of a return: a dealer sends an RMA, staff receive it and credit it in the desk,
and the dealer then sees it Invoiced with its credit note on the portal.

Needs the demo data (rma_portal.demo.make_demo). Returns quantity 1 of one line that still has
something returnable, so the demo keeps enough returnable quantity for many runs.

The desk user is portal.ADMIN (RMA_ADMIN_USER / RMA_ADMIN_PASSWORD), logged in by conftest's
admin_page.
"""

import re
from urllib.parse import quote

import conftest
import pytest
from playwright.sync_api import expect
from portal import ADMIN, BASE_URL, DESK_TIMEOUT_MS, screenshot

API = "/api/method/rma_portal.api."
CANDIDATES = API + "returns.get_candidates"
# conftest's fixture, and ADMIN and DESK_TIMEOUT_MS above: names other tests import from here
admin_page = conftest.admin_page


def send_return(page) -> str:
	"""As the dealer: one line, quantity 1, the first reason /rma/new offers; returns the RMA name."""
	with page.expect_response(lambda r: CANDIDATES in r.url and r.request.method == "GET") as info:
		page.goto(f"{BASE_URL}/rma/new")
	assert info.value.ok, info.value.text()[:500]
	first = info.value.json()["message"]
	# the oldest deliveries (last page) are invoiced in the demo; the newest may not be yet
	last = max(1, -(-int(first["total"]) // max(1, len(first["rows"]))))
	found = page.evaluate(
		"async (n) => (await rma_portal.call('get_candidates', {page: n}, 'GET')).rows", last
	)
	rows = [r for r in reversed(found) if float(r.get("qty_returnable") or 0) >= 1]
	rows += [r for r in first["rows"] if float(r.get("qty_returnable") or 0) >= 1]
	if not rows:
		pytest.skip("no returnable line on the first page of the demo history; run rma_portal.demo.make_demo")
	reasons = [
		v
		for v in page.locator("select.rma-reason-all option").evaluate_all("os => os.map(o => o.value)")
		if v
	]
	assert reasons, "/rma/new offers no return reason"
	result = page.evaluate(
		"""async ([line, reason]) => rma_portal.call("submit_return", {
			lines: [{delivery_note_item: line, qty: 1}],
			return_reason: reason,
			customer_reference: "BT-DESK",
			terms_accepted: 1,
		}, "POST")""",
		[rows[0]["delivery_note_item"], reasons[0]],
	)
	assert result and result.get("name"), result
	return result["name"]


# --- desk helpers -------------------------------------------------------------------------------


def open_form(page, doctype_route: str, name: str):
	"""Open /app/<doctype_route>/<name> and wait until the form shows that document."""
	page.goto(f"{BASE_URL}/app/{doctype_route}/{quote(name, safe='')}")
	page.wait_for_function(
		"name => window.cur_frm && cur_frm.doc && cur_frm.doc.name === name && !cur_frm.is_dirty()"
		" && document.querySelector('.page-head .indicator-pill')",
		arg=name,
	)


def indicator(page):
	"""The status pill next to the title of the form on screen."""
	return page.locator(".page-head:visible .title-area .indicator-pill")


def form_action(page, label: str):
	"""Click Actions -> `label` in the form's toolbar."""
	group = page.locator('.page-head:visible .inner-group-button[data-label="Actions"]')
	group.locator("> button").click()
	item = group.locator(f'.dropdown-menu .dropdown-item[data-label="{quote(label, safe="")}"]')
	expect(item).to_be_visible()
	item.click()


def action_labels(page) -> list[str]:
	group = page.locator('.page-head:visible .inner-group-button[data-label="Actions"]')
	if group.count() == 0:
		return []
	return [t.strip() for t in group.locator(".dropdown-menu .dropdown-item").all_text_contents()]


def desk_call(page, method: str, action, shot: str):
	"""Run `action` and wait for the POST to rma_portal.api.desk.<method>; returns its message."""
	with page.expect_response(
		lambda r: r.url.endswith(API + "desk." + method) and r.request.method == "POST",
		timeout=60_000,
	) as info:
		action()
	response = info.value
	assert response.ok, f"{method}: {response.status} {response.text()[:800]}"
	data = response.json()
	if data.get("_server_messages"):
		# Messages besides the result (e.g. "set up an outgoing Email Account" on a site without
		# one) open a message dialog over the form: close it, as staff would.
		dismiss_message(page, shot)
	return data.get("message")


def dialog_titled(page, title: str):
	"""The open dialog showing `title`, once it is visible."""
	dialog = page.locator(".modal.show .modal-dialog").filter(has_text=title)
	expect(dialog).to_be_visible()
	return dialog


def receive_one(row, handling: str):
	"""In the Receive dialog: one unit of the line `row` received, handled as `handling`."""
	row.locator('[data-fieldname="qty_received"]').first.click()
	qty = row.locator('input[data-fieldname="qty_received"]')
	expect(qty).to_be_visible()
	qty.fill("1")
	qty.blur()
	select = row.locator('select[data-fieldname="handling"]')
	expect(select).to_be_visible()
	select.select_option(handling)


def confirm_dialog(page, method: str, dialog, shot: str):
	"""Click the dialog's primary button and wait for rma_portal.api.desk.<method>; its message."""
	return desk_call(page, method, lambda: dialog.locator(".modal-footer .btn-primary").click(), shot)


def dismiss_message(page, shot: str):
	box = page.locator(".modal.show .msgprint-dialog, .modal.show:has(.msgprint)").first
	box.wait_for(state="visible")
	screenshot(page, shot)
	page.locator(".modal.show:has(.msgprint) .btn-modal-close").first.click()
	expect(page.locator(".modal.show")).to_have_count(0)
	expect(page.locator(".modal-backdrop")).to_have_count(0)


def wait_for_status(page, status: str):
	"""The form has reloaded the document with `status`, the freeze is gone and the pill says so."""
	page.wait_for_function(
		"status => cur_frm && cur_frm.doc.status === status && !document.querySelector('#freeze')",
		arg=status,
		timeout=60_000,
	)
	expect(indicator(page)).to_have_text(status)


# --- the test -----------------------------------------------------------------------------------


def test_staff_receive_and_credit_in_desk(dealer_page, admin_page):
	# 1. The dealer sends a return of one piece.
	name = send_return(dealer_page)
	page = admin_page

	# 2a. Staff open it in the desk: Expected, with Receive among the actions (no credit note yet).
	open_form(page, "rma", name)
	expect(indicator(page)).to_have_text("Expected")
	assert page.evaluate("cur_frm.doc.items.length") == 1
	labels = action_labels(page)
	assert "Receive" in labels and "Make Credit Note" not in labels, labels
	screenshot(page, "30_desk_rma_expected")

	# 2b. Actions -> Receive: a dialog with one row per line; book 1 received, handled as credit.
	form_action(page, "Receive")
	dialog = dialog_titled(page, f"Receive {name}")
	rows = dialog.locator(".grid-body .rows .grid-row")
	expect(rows).to_have_count(1)
	row = rows.first
	header = dialog.locator(".grid-heading-row").inner_text()
	for label in ("Item", "Requested", "Received Qty", "Handling"):
		assert label in header, header
	item_code = page.evaluate("cur_frm.doc.items[0].item_code")
	assert item_code in row.inner_text()

	receive_one(row, "Credit")
	screenshot(page, "31_desk_receive_dialog")

	message = confirm_dialog(page, "receive_rma", dialog, "31b_desk_receive_message")
	assert message["status"] == "Received", message
	expect(dialog).to_be_hidden()
	wait_for_status(page, "Received")
	assert page.evaluate("cur_frm.doc.items[0].qty_received") == 1
	assert page.evaluate("cur_frm.doc.items[0].handling") == "Credit"
	assert "Make Credit Note" in action_labels(page)
	screenshot(page, "32_desk_rma_received")

	# 2c. Actions -> Make Credit Note, confirmed: Invoiced, with the Sales Invoice linked.
	form_action(page, "Make Credit Note")
	confirm = dialog_titled(page, "Make and submit the credit note")
	screenshot(page, "33_desk_credit_note_confirm")
	message = confirm_dialog(page, "make_credit_note", confirm, "33b_desk_credit_note_message")
	credit_note = message["credit_note"]
	assert credit_note, message
	wait_for_status(page, "Invoiced")
	assert page.evaluate("cur_frm.doc.credit_note") == credit_note
	field = page.locator('.frappe-control[data-fieldname="credit_note"]:visible')
	expect(field).to_contain_text(credit_note)
	link = field.locator("a")
	expect(link).to_have_attribute("href", re.compile(r"/app/sales-invoice/"))
	assert "Make Credit Note" not in action_labels(page)
	customer = page.evaluate("cur_frm.doc.customer")
	screenshot(page, "34_desk_rma_invoiced")

	# 2d. The credit note is a submitted return Sales Invoice of the same customer.
	open_form(page, "sales-invoice", credit_note)
	expect(indicator(page)).to_have_text("Return")
	doc = page.evaluate(
		"({is_return: cur_frm.doc.is_return, docstatus: cur_frm.doc.docstatus,"
		" customer: cur_frm.doc.customer, rma: cur_frm.doc.rma,"
		" qty: (cur_frm.doc.items || []).map(i => i.qty)})"
	)
	assert doc["is_return"] == 1 and doc["docstatus"] == 1, doc
	assert doc["customer"] == customer and doc["rma"] == name, doc
	assert doc["qty"] == [-1], doc
	expect(page.locator('.frappe-control[data-fieldname="customer"]:visible').first).to_contain_text(customer)
	screenshot(page, "35_desk_credit_note")

	# 3. The dealer sees it Invoiced with the credit note, in the list and on its page.
	portal = dealer_page
	portal.goto(f"{BASE_URL}/rma")
	list_row = portal.locator(f'tr.rma-row[data-name="{name}"]')
	expect(list_row).to_have_count(1)
	expect(list_row.locator(".rma-status")).to_have_text("Invoiced")
	expect(list_row).to_contain_text(credit_note)
	screenshot(portal, "36_portal_list_invoiced")

	portal.goto(f"{BASE_URL}/rma/view?name={quote(name, safe='')}")
	view = portal.locator(".rma-view")
	expect(view).to_have_attribute("data-status", "Invoiced")
	expect(view.locator(".rma-credit-note")).to_contain_text(credit_note)
	expect(portal.locator(".rma-title .rma-status")).to_have_text("Invoiced")
	screenshot(portal, "37_portal_view_invoiced")
