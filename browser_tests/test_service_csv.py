"""Service requests in the browser: the CSV import (all or nothing) and the request form.

Runs against the demo site (demo items with EAN-13 codes 20000000000xx, see rma_portal/demo/data.py).
Each run uses its own "own RMA numbers", so reruns do not depend on earlier ones.
"""

import uuid
from datetime import date, timedelta

from portal import BASE_URL, SCREENSHOTS, screenshot
from stdnum import ean

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def gtin(index: int) -> str:
	first12 = f"20{index:010d}"
	return first12 + ean.calc_check_digit(first12)


LAMP_BULB, BIN_60, BIN_120 = gtin(8), gtin(9), gtin(10)  # Lumio bulb, Kerbside bins: no serial needed
UNKNOWN = gtin(99)  # a valid code of no product


def csv_file(tmp_path, name, rows) -> str:
	lines = ['"Own RMA number","EAN","Serial number","Sale date","Problem","Expectation"']
	lines += [",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
	path = tmp_path / name
	path.write_text("\n".join(lines) + "\n", encoding="utf-8")
	return str(path)


def search(page, text):
	response = page.request.get(f"{BASE_URL}/api/method/rma_portal.api.service.search", params={"text": text})
	assert response.ok, response.text()[:300]
	return response.json()["message"]


def test_csv_import_bad_row_then_corrected(dealer_page, tmp_path):
	page = dealer_page
	run = uuid.uuid4().hex[:6].upper()
	sold = (date.today() - timedelta(days=3)).isoformat()
	rows = [
		[f"BT-{run}-A", LAMP_BULB, "", sold, "Does not connect to wifi", "Repair"],
		[f"BT-{run}-A", BIN_60, "", sold, "Lid hinge broken", "Replacement"],
		[f"BT-{run}-B", UNKNOWN, "", sold, "Wheel missing", "Credit"],
	]
	proof = tmp_path / "invoice.pdf"
	proof.write_bytes(PDF)

	page.goto(f"{BASE_URL}/service")
	page.select_option(".svc-import-type", label="Repair / warranty service")
	page.set_input_files(".svc-import-file", csv_file(tmp_path, "bad.csv", rows))
	page.set_input_files(".svc-import-proof", str(proof))
	page.click(".svc-import-submit")
	errors = page.locator(".svc-import-errors")
	errors.wait_for(state="visible")
	table_rows = page.locator(".svc-error-table tbody tr")
	assert table_rows.count() == 1
	assert table_rows.first.get_attribute("data-row") == "4"  # header is row 1, the bad line is row 4
	assert "Row 4" in table_rows.first.inner_text() and UNKNOWN in table_rows.first.inner_text()
	assert page.locator(".svc-import-created").is_hidden()
	screenshot(page, "service_csv_01_rejected")
	assert search(page, f"BT-{run}") == []  # nothing saved

	rows[2][1] = BIN_120
	page.set_input_files(".svc-import-file", csv_file(tmp_path, "good.csv", rows))
	page.click(".svc-import-submit")
	created = page.locator(".svc-import-created")
	created.wait_for(state="visible")
	assert page.locator(".svc-import-errors").is_hidden()
	links = page.locator(".svc-created-link")
	assert links.count() == 2  # rows 2+3 share own number A, row 4 is B
	screenshot(page, "service_csv_02_created")
	found = search(page, f"BT-{run}")
	assert sorted(r["customer_rma_no"] for r in found) == [f"BT-{run}-A", f"BT-{run}-B"]

	links.first.click()
	page.wait_for_url("**/rma/view**")
	assert "Service request" in page.inner_text("h3")
	assert LAMP_BULB in page.inner_text(".svc-view-lines")
	assert "Proof of purchase" in page.inner_text(".svc-view-attachments")
	screenshot(page, "service_csv_03_view")


def test_large_csv_runs_in_background_with_progress(dealer_page, tmp_path):
	"""More than 10 rows: the page gets a token, shows a progress bar and polls until done."""
	page = dealer_page
	run = uuid.uuid4().hex[:6].upper()
	sold = (date.today() - timedelta(days=2)).isoformat()
	rows = [
		[f"BG-{run}-{n % 2}", BIN_60 if n % 2 else LAMP_BULB, "", sold, f"Problem {n}", "Diagnosis"]
		for n in range(12)
	]
	page.goto(f"{BASE_URL}/service")
	page.select_option(".svc-import-type", label="Dead on arrival (DOA)")  # needs no proof
	with page.expect_response(lambda r: "import_csv" in r.url) as info:
		page.set_input_files(".svc-import-file", csv_file(tmp_path, "large.csv", rows))
		page.click(".svc-import-submit")
	assert info.value.json()["message"].get("queued") is True
	page.locator(".svc-import-progress").wait_for(state="visible")
	page.locator(".svc-import-created").wait_for(state="visible", timeout=60_000)
	assert page.locator(".svc-created-link").count() == 2  # two own RMA numbers
	assert page.locator(".svc-import-progress .progress-bar").get_attribute("aria-valuenow") == "100"
	screenshot(page, "service_csv_04_background_done")
	assert len(search(page, f"BG-{run}")) == 2


def test_service_form_errors_then_success(dealer_page, tmp_path):
	page = dealer_page
	run = uuid.uuid4().hex[:6].upper()
	page.goto(f"{BASE_URL}/service/new")
	line = page.locator(".svc-line").first
	line.locator(".svc-ean").fill(gtin(5))  # Lumio floodlight: defines fault types
	line.locator(".svc-qty").fill("1")
	line.locator(".svc-ean").press("Tab")
	line.locator(".svc-fault-group").wait_for(state="visible")
	page.click(".svc-add-line")
	second = page.locator(".svc-line").nth(1)
	second.locator(".svc-ean").fill(UNKNOWN)
	second.locator(".svc-ean").press("Tab")
	page.select_option(".svc-rma-type", label="Repair / warranty service")
	page.click(".svc-submit")
	box = page.locator(".svc-errors")
	box.wait_for(state="visible")
	text = box.inner_text()
	assert "Line 2 — EAN/GTIN-13" in text and "purchase history" in text
	assert "Line 1 — Fault type" in text
	assert "Attachment: a required attachment (proof of purchase) is missing" in text
	screenshot(page, "service_form_01_errors")

	second.locator(".svc-remove-line").click()
	line.locator(".svc-fault").select_option(index=1)
	line.locator(".svc-date").fill((date.today() - timedelta(days=5)).isoformat())
	line.locator(".svc-expectation").select_option("Repair")
	line.locator(".svc-problem").fill("Flickers after ten minutes of use")
	page.fill("#svc-own-no", f"FORM-{run}")
	page.fill("#svc-contents", "Floodlight, mounting bracket")
	proof = tmp_path / "invoice.pdf"
	proof.write_bytes(PDF)
	page.set_input_files(".svc-proof", str(proof))
	page.click(".svc-submit")
	page.wait_for_url("**/rma/view**")
	assert f"FORM-{run}" in page.inner_text(".svc-view-own-no")
	screenshot(page, "service_form_02_created")


def test_service_pages_on_phone(dealer_phone_page):
	page = dealer_phone_page
	page.goto(f"{BASE_URL}/service")
	page.fill(".svc-warranty-input", gtin(1))
	page.click(".svc-warranty button")
	page.locator(".svc-warranty-result div").first.wait_for()
	assert "VOL-DRILL-18" in page.inner_text(".svc-warranty-result")
	screenshot(page, "service_phone_01_home")
	page.goto(f"{BASE_URL}/service/new")
	screenshot(page, "service_phone_02_new")
	assert SCREENSHOTS.exists()


def test_guest_cannot_open_service_pages(guest_page):
	response = guest_page.goto(f"{BASE_URL}/service")
	assert response.status in (403, 401) or "/login" in guest_page.url
	response = guest_page.request.get(
		f"{BASE_URL}/api/method/rma_portal.api.service.check_ean", params={"ean": gtin(1)}
	)
	assert response.status == 403
