"""Service requests in the browser: the CSV import (all or nothing) and the request form.

Runs against the demo site (demo items with EAN-13 codes 20000000000xx, see rma_portal/demo/data.py).
Each run uses its own "own RMA numbers", so reruns do not depend on earlier ones.
"""

import uuid

import pytest
from portal import BASE_URL, SCREENSHOTS, screenshot
from stdnum import ean

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def gtin(index: int) -> str:
	first12 = f"20{index:010d}"
	return first12 + ean.calc_check_digit(first12)


LAMP_BULB, BIN_60, BIN_120 = gtin(8), gtin(9), gtin(10)  # Lumio bulb, Kerbside bins: no serial needed
UNKNOWN = gtin(99)  # a valid code of no product


def csv_file(tmp_path, name, rows, separator=",", encoding="utf-8") -> str:
	lines = ['"Own RMA number","EAN","Serial number","Sale date","Problem","Expectation"']
	lines += [",".join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
	text = "\n".join(lines) + "\n"
	if separator != ",":
		text = text.replace('","', '"' + separator + '"')
	path = tmp_path / name
	path.write_bytes(text.encode(encoding))
	return str(path)


def search(page, text):
	response = page.request.get(f"{BASE_URL}/api/method/rma_portal.api.service.search", params={"text": text})
	assert response.ok, response.text()[:300]
	return response.json()["message"]


def last_purchase(page, code: str) -> str:
	"""The dealer's last purchase of a product (yyyy-mm-dd): a purchase date the rules accept."""
	response = page.request.get(
		f"{BASE_URL}/api/method/rma_portal.api.service.check_ean", params={"ean": code}
	)
	assert response.ok, response.text()[:300]
	return response.json()["message"]["last_purchase"]


def day_first(iso: str, separator: str = "-") -> str:
	"""yyyy-mm-dd as the site's date format (dd-mm-yyyy) writes it."""
	year, month, day = iso.split("-")
	return separator.join((day, month, year))


def overflowing(page) -> list[str]:
	"""Elements whose text sticks out of their box (and a page wider than the window)."""
	return page.evaluate(
		"""() => {
			const out = [];
			if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push("page");
			document.querySelectorAll(".card, .btn, label, .form-control, th, h1, h3, h5").forEach((el) => {
				const style = getComputedStyle(el);
				if (style.display === "none" || el.offsetParent === null) return;
				if (el.scrollWidth > el.clientWidth + 1 && style.overflowX === "visible")
					out.push(el.tagName + "." + el.className + ": " + el.textContent.trim().slice(0, 60));
			});
			return out;
		}"""
	)


def test_csv_import_bad_row_then_corrected(dealer_page, tmp_path):
	"""A semicolon file as European Excel saves it (Windows-1252, dates day first, "replace"), two bad
	rows: every problem listed at once with its row and column; then the corrected file."""
	page = dealer_page
	run = uuid.uuid4().hex[:6].upper()
	sold = {code: day_first(last_purchase(page, code)) for code in (LAMP_BULB, BIN_60, BIN_120)}
	rows = [
		[f"BT-{run}-A", LAMP_BULB, "", sold[LAMP_BULB], "Ne se connecte pas au wifi", "repair"],
		[f"BT-{run}-A", BIN_60, "", sold[BIN_60], "Charnière du couvercle cassée", "Replace"],
		[f"BT-{run}-B", UNKNOWN, "", sold[BIN_120], "Roue manquante", "Credit"],
		[f"BT-{run}-C", BIN_120[:-1] + "0", "", "31-02-2026", "Roue manquante", "Repair"],
	]
	proof = tmp_path / "invoice.pdf"
	proof.write_bytes(PDF)

	page.goto(f"{BASE_URL}/service")
	page.select_option(".svc-import-type", label="Repair / warranty service")
	page.set_input_files(".svc-import-file", csv_file(tmp_path, "bad.csv", rows, ";", "cp1252"))
	page.set_input_files(".svc-import-proof", str(proof))
	page.click(".svc-import-submit")
	errors = page.locator(".svc-import-errors")
	errors.wait_for(state="visible")
	table_rows = page.locator(".svc-error-table tbody tr")
	found = [(r.get_attribute("data-row"), r.inner_text()) for r in table_rows.all()]
	assert [row for row, _text in found] == ["4", "5", "5"], found  # header is row 1
	assert UNKNOWN in found[0][1] and "not a product you bought from us" in found[0][1]
	assert "check digit" in found[1][1]
	assert "31-02-2026 does not exist" in found[2][1]
	assert page.locator(".svc-import-created").is_hidden()
	errors.scroll_into_view_if_needed()
	screenshot(page, "service_csv_01_rejected")
	assert search(page, f"BT-{run}") == []  # nothing saved

	rows[2][1] = BIN_120
	rows[3][1], rows[3][3] = BIN_120, sold[BIN_120]
	page.set_input_files(".svc-import-file", csv_file(tmp_path, "good.csv", rows, ";", "cp1252"))
	page.click(".svc-import-submit")
	created = page.locator(".svc-import-created")
	created.wait_for(state="visible")
	assert page.locator(".svc-import-errors").is_hidden()
	links = page.locator(".svc-created-link")
	assert links.count() == 3  # rows 2+3 share own number A, row 4 is B, row 5 is C
	screenshot(page, "service_csv_02_created")
	found = search(page, f"BT-{run}")
	assert sorted(r["customer_rma_no"] for r in found) == [f"BT-{run}-A", f"BT-{run}-B", f"BT-{run}-C"]

	links.first.click()
	page.wait_for_url("**/rma/view**")
	assert "Service request" in page.inner_text("h3")
	assert LAMP_BULB in page.inner_text(".svc-view-lines")
	assert "Charnière du couvercle cassée" in page.inner_text(".svc-view-lines")  # Windows-1252 read right
	assert "Proof of purchase" in page.inner_text(".svc-view-attachments")
	screenshot(page, "service_csv_03_view")


def test_csv_template_download(dealer_page):
	response = dealer_page.request.get(f"{BASE_URL}/api/method/rma_portal.api.service.csv_template?_lang=fr")
	assert response.ok
	text = response.body().decode("utf-8-sig")
	header, example = text.splitlines()[:2]
	assert header.startswith("Votre numéro RMA;EAN/GTIN-13;") or ";EAN/GTIN-13;" in header
	assert "Réparation" in example


@pytest.mark.parametrize("lang", ["ro", "fr", "nl", "fi", "pl"])
def test_portal_pages_in_the_five_languages(dealer_page, lang):
	"""The longest labels of each portal language fit their boxes on the request pages."""
	page = dealer_page
	page.goto(f"{BASE_URL}/service/new?_lang={lang}")
	assert page.locator("html").get_attribute("lang") == lang
	screenshot(page, f"service_new_{lang}")
	assert overflowing(page) == []
	for route in ("/service", "/warranty/new", "/rma"):
		page.goto(f"{BASE_URL}{route}?_lang={lang}")
		screenshot(page, f"{route.strip('/').replace('/', '_')}_{lang}")
		assert overflowing(page) == [], route
	name = search(page, "RMA/")[0]["name"]
	page.goto(f"{BASE_URL}/rma/view?name={name}&_lang={lang}")
	screenshot(page, f"rma_view_{lang}")
	assert overflowing(page) == []


def test_large_csv_runs_in_background_with_progress(dealer_page, tmp_path):
	"""More than 10 rows: the page gets a token, shows a progress bar and polls until done."""
	page = dealer_page
	run = uuid.uuid4().hex[:6].upper()
	sold = {code: last_purchase(page, code) for code in (LAMP_BULB, BIN_60)}
	rows = [
		[f"BG-{run}-{n % 2}", code, "", sold[code], f"Problem {n}", "Diagnosis"]
		for n in range(12)
		for code in [BIN_60 if n % 2 else LAMP_BULB]
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
	assert "Line 2 — EAN/GTIN-13" in text and "not a product you bought from us" in text
	assert "Line 1 — Fault type" in text
	assert "Attachment: a required attachment (proof of purchase) is missing" in text
	screenshot(page, "service_form_01_errors")

	second.locator(".svc-remove-line").click()
	line.locator(".svc-fault").select_option(index=1)
	line.locator(".svc-date").fill(last_purchase(page, gtin(5)))
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
