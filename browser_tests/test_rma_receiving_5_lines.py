"""A 5-line return with two serial-numbered units received on the desk page RMA Receiving by
"scanning" alone (each code typed into the scan field, then Enter, as a keyboard-wedge scanner types;
the keyboard only, at tablet width), against the same return received through the RMA form's
service (api/desk.receive_rma): the same return Delivery Note lines, stock moves, serial numbers'
warehouse and status. A wrong item and a wrong serial are refused with a message; a photo of a line
goes with the receipt; the label scanned again shows the receipt and books nothing.

Needs the demo data: the demo dealer's serial-numbered items (ERPNext serial numbers)
and items without serial numbers. Each run returns one unit of each of five delivered lines twice.
Screenshots: receiving-5-*.png.
"""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect
from portal import BASE_URL, screenshot
from test_rma_desk import admin_page
from test_rma_receiving import MESSAGE, SCAN, scan

TABLET = {"width": 768, "height": 1024}
WRONG_ITEM = "0000000000017"


def _photo() -> bytes:
	"""A small JPEG: the photo the receiver "takes"."""
	out = io.BytesIO()
	Image.new("RGB", (64, 48), (180, 120, 90)).save(out, "JPEG")
	return out.getvalue()


def _candidates(page) -> list[dict]:
	"""The dealer's returnable lines (every page of /rma/new's list)."""
	first = page.evaluate("async () => rma_portal.call('get_candidates', {page: 1}, 'GET')")
	rows, pages = list(first["rows"]), -(-int(first["total"]) // max(1, len(first["rows"])))
	for n in range(2, min(pages, 10) + 1):
		rows += page.evaluate(
			"async (n) => (await rma_portal.call('get_candidates', {page: n}, 'GET')).rows", n
		)
	return rows


def _asks_serial(admin, item_code: str) -> bool:
	"""Whether the item's brand asks for a serial number on returns (the app's brand rule)."""
	brand = _xcall(
		admin, "frappe.client.get_value", {"doctype": "Item", "filters": item_code, "fieldname": "brand"}
	)
	if not brand.get("brand"):
		return False
	rule = _xcall(
		admin,
		"frappe.client.get_value",
		{"doctype": "Brand", "filters": brand["brand"], "fieldname": "rma_serial_no_required"},
	)
	return bool(rule.get("rma_serial_no_required"))


_COMPANIES: dict = {}


def _company_of(admin, delivery_note: str) -> str:
	if delivery_note not in _COMPANIES:
		_COMPANIES[delivery_note] = _xcall(
			admin,
			"frappe.client.get_value",
			{"doctype": "Delivery Note", "filters": delivery_note, "fieldname": "company"},
		)["company"]
	return _COMPANIES[delivery_note]


def _twin_lines(page, admin) -> tuple[list, list]:
	"""Two identical 5-line returns: three lines of items without serial numbers and two lines of
	serial-numbered items, one unit each; each return names serials of its own."""
	rows = [r for r in _candidates(page) if float(r.get("qty_returnable") or 0) >= 2]
	names, choices = [r["delivery_note_item"] for r in rows], {}
	for start in range(0, len(names), 50):  # the method answers for up to 100 lines at once
		choices.update(
			page.evaluate(
				"async (lines) => rma_portal.call('get_line_serials', {lines})", names[start : start + 50]
			)
		)
	serial = [r for r in rows if len((choices.get(r["delivery_note_item"]) or {}).get("serials") or []) >= 2]
	# one return is of one company's goods: the company of the first serial-numbered line
	company = _company_of(admin, serial[0]["delivery_note"]) if serial else None
	rows = [r for r in rows if _company_of(admin, r["delivery_note"]) == company]
	serial = [r for r in serial if r in rows]
	serial = serial[:2]  # two serial-numbered units (of one item or two)
	plain, seen = [], {r["item_code"] for r in serial}
	for row in rows:
		if row["delivery_note_item"] not in choices and row["item_code"] not in seen and len(plain) < 3:
			seen.add(row["item_code"])
			if not _asks_serial(admin, row["item_code"]):
				plain.append(row)
	if len(plain) < 3 or len(serial) < 2:
		pytest.skip(
			f"the demo dealer has {len(plain)} returnable lines without serial numbers (3 needed) and "
			f"{len(serial)} serial-numbered lines with two units left (2 needed); run rma_portal.demo.make_demo"
		)
	twins = []
	for n in (0, 1):
		lines = [{"delivery_note_item": r["delivery_note_item"], "qty": 1} for r in plain[:3]]
		lines += [
			{
				"delivery_note_item": r["delivery_note_item"],
				"qty": 1,
				"serial_nos": choices[r["delivery_note_item"]]["serials"][n],
			}
			for r in serial
		]
		twins.append(lines)
	return twins


def _file_returns(page, admin) -> tuple[str, str]:
	page.goto(f"{BASE_URL}/rma/new")
	reason = page.locator("select.rma-reason-all option").evaluate_all(
		"os => os.map(o => o.value).filter(Boolean)[0]"
	)
	names = []
	for lines in _twin_lines(page, admin):
		result = page.evaluate(
			"""async ([lines, reason]) => rma_portal.call("submit_return", {
				lines: JSON.stringify(lines), return_reason: reason, customer_reference: "BT-SCAN-5",
				terms_accepted: 1}, "POST")""",
			[lines, reason],
		)
		names.append(result["name"])
	return names[0], names[1]


def _xcall(page, method: str, args: dict):
	return page.evaluate("async ([m, a]) => frappe.xcall(m, a)", [method, args])


def _receive_by_form(page, rma: str):
	"""What the RMA form's Receive dialog sends by default: every requested unit, the named serials."""
	doc = _xcall(page, "frappe.client.get", {"doctype": "RMA", "name": rma})
	_xcall(
		page,
		"rma_portal.api.desk.receive_rma",
		{
			"name": rma,
			"quantities": {row["name"]: row["qty_requested"] for row in doc["items"]},
			"serials": {row["name"]: row["serial_nos"] for row in doc["items"] if row.get("serial_nos")},
			"request_key": "bt-form-" + rma,
		},
	)


def _booked(page, rma: str) -> dict:
	"""What a receipt left in ERPNext, comparable between two returns of the same items."""
	doc = _xcall(page, "frappe.client.get", {"doctype": "RMA", "name": rma})
	notes = [
		row["name"]
		for row in _xcall(
			page,
			"frappe.client.get_list",
			{"doctype": "Delivery Note", "filters": {"rma": rma, "is_return": 1, "docstatus": 1}},
		)
	]
	lines, moves = [], []
	for note in notes:
		dn = _xcall(page, "frappe.client.get", {"doctype": "Delivery Note", "name": note})
		lines += [(r["item_code"], r["qty"], r["warehouse"]) for r in dn["items"]]
		moves += [
			(m["item_code"], m["actual_qty"], m["warehouse"])
			for m in _xcall(
				page,
				"frappe.client.get_list",
				{
					"doctype": "Stock Ledger Entry",
					"filters": {"voucher_no": note, "is_cancelled": 0},
					"fields": ["item_code", "actual_qty", "warehouse"],
				},
			)
		]
	serials = [s for row in doc["items"] for s in (row.get("received_serial_nos") or "").split("\n") if s]
	where = sorted(
		_xcall(
			page, "frappe.client.get_value", {"doctype": "Serial No", "filters": s, "fieldname": "warehouse"}
		)["warehouse"]
		for s in serials
	)
	return {
		"status": doc["status"],
		"received": sorted((r["item_code"], r["qty_received"]) for r in doc["items"]),
		"notes": len(notes),
		"lines": sorted(lines),
		"stock": sorted(moves),
		"serials": len(serials),
		"serial warehouses": where,
	}


def _code_of(page, item_code: str) -> str:
	"""The item's EAN (what the scanner reads from the product), else its code."""
	item = _xcall(page, "frappe.client.get", {"doctype": "Item", "name": item_code})
	return next((b["barcode"] for b in item.get("barcodes") or [] if b.get("barcode")), item_code)


def test_a_five_line_return_received_by_scanning_equals_the_forms_receipt(dealer_page, admin_page):  # noqa: F811
	page = admin_page
	page.set_viewport_size(TABLET)
	page.goto(f"{BASE_URL}/app/rma-receiving")
	by_scan, by_form = _file_returns(dealer_page, page)
	expect(page.locator(SCAN)).to_be_focused()
	_receive_by_form(page, by_form)
	rma = _xcall(page, "frappe.client.get", {"doctype": "RMA", "name": by_scan})
	other = _xcall(page, "frappe.client.get", {"doctype": "RMA", "name": by_form})

	scan(page, by_scan, "info", "5 units expected")
	assert "RMA RMA" not in page.locator(MESSAGE).inner_text()
	scan(page, WRONG_ITEM, "danger", "not on the RMA")
	wrong_serial = next(row["serial_nos"] for row in other["items"] if row.get("serial_nos"))
	refused_serial = False
	for row in rma["items"]:
		code = _code_of(page, row["item_code"])
		if row.get("serial_nos"):
			scan(page, code, "success", "serial number")
			if not refused_serial:  # the other return's unit of the same item: not the one requested
				same_item = next(r for r in other["items"] if r["item_code"] == row["item_code"])
				scan(page, same_item["serial_nos"], "danger", "is not the one requested")
				refused_serial = True
			scan(page, row["serial_nos"], "success", "Counted")
		else:
			scan(page, code, "success", "Counted")
	assert refused_serial and wrong_serial
	expect(page.locator(".rma-lines .rma-counted")).to_have_text(["1"] * 5)
	# keyboard only: Tab to the first line's condition, change it, Enter back to the scan field
	page.keyboard.press("Tab")
	expect(page.locator(".rma-condition").first).to_be_focused()
	page.keyboard.press("ArrowDown")
	page.keyboard.press("Enter")
	expect(page.locator(SCAN)).to_be_focused()
	# a photo of the first line, from the device (its camera on a tablet; a file here)
	with page.expect_file_chooser() as chooser:
		page.locator(".rma-photo").first.focus()
		page.keyboard.press("Enter")
	chooser.value.set_files(files=[{"name": "dent.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
	expect(page.locator(".rma-photo").first).to_have_attribute("aria-label", "Photos: 1")
	expect(page.locator(SCAN)).to_be_focused()
	screenshot(page, "receiving-5-counted-tablet")

	# booking makes the return Delivery Note (seconds on a busy machine), then the photo goes up
	with page.expect_response(
		lambda r: r.url.endswith("rma_portal.api.receiving.add_receipt_photo"), timeout=120_000
	) as info:
		page.keyboard.press("Control+Enter")
	assert info.value.ok, info.value.text()[:500]
	expect(page.locator(MESSAGE)).to_contain_text("Receipt booked")
	expect(page.locator(MESSAGE)).to_contain_text("Photos attached: 1")
	expect(page.locator(".rma-receipts")).to_contain_text("Photos: 1")
	screenshot(page, "receiving-5-booked-tablet")

	scanned, formed = _booked(page, by_scan), _booked(page, by_form)
	assert scanned["status"] == "Received", scanned
	assert scanned["serials"] == 2, scanned
	assert scanned == formed, (scanned, formed)

	# the label again: the receipt, nothing expected; Ctrl+Enter books nothing
	scan(page, by_scan, "warning", "nothing is expected")
	expect(page.locator(".rma-receipts li")).to_have_count(1)
	page.keyboard.press("Control+Enter")
	expect(page.locator(MESSAGE)).to_contain_text("Nothing was counted")
	assert _booked(page, by_scan) == scanned
	page.set_viewport_size({"width": 1366, "height": 900})
	screenshot(page, "receiving-5-again-desktop")
