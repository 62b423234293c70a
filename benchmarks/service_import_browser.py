"""Benchmark: a 30-row service CSV import as the dealer sees it, in a real browser.

Times, in the page, from the click on "Import" to the list of created requests shown (the upload,
the server's check, the background job and the page's polling of import_status), median of 5
imports, each sent once the previous file's documents are built (an idle worker). Target: 1 s. The 30 rows are products the demo dealer ("Demo Dealer", rma-demo data)
bought that need no serial number, each row its own request ("Dead on arrival (DOA)": no proof of
purchase needed); the requests stay on the site.

Needs the site served with its worker (scripts/lib.sh serve_site), Playwright and a Chromium. Run
with the test tools' Python (scripts/bench --in-process runs it through benchmarks/actions.py):

    /opt/rma-portal-test-tools/bin/python benchmarks/service_import_browser.py --url http://127.0.0.1:8000
"""

import argparse
import os
import statistics
import time
import uuid

from playwright.sync_api import sync_playwright

TARGET_MS = 1000
ROWS = 30
RMA_TYPE = "Dead on arrival (DOA)"
DEALER = ("dealer@demo.example", "Demo#2026")  # rma_portal/demo/data.py
# Demo products without serial numbers (EAN-13 20000000000xx, rma_portal/demo/data.py)
EANS = ("2000000000084", "2000000000091", "2000000000107")


def csv_text(page, url: str, run: str) -> str:
	sold = {}
	for code in EANS:
		response = page.request.get(
			f"{url}/api/method/rma_portal.api.service.check_ean", params={"ean": code}
		)
		if not response.ok:
			raise SystemExit(f"check_ean {code}: {response.status} {response.text()[:200]}")
		sold[code] = response.json()["message"]["last_purchase"]
	lines = ['"Own RMA number","EAN","Serial number","Sale date","Problem","Expectation"']
	for n in range(ROWS):
		code = EANS[n % len(EANS)]
		lines.append(
			f'"BENCH-{run}-{n}","{code}","","{sold[code]}","Benchmark: stops after a minute","Diagnosis"'
		)
	return "\n".join(lines) + "\n"


# In the page: the click on Import (submit, capture phase) to the created list losing `d-none`.
WATCH = """() => {
	window.__bench = {};
	const form = document.querySelector(".svc-import-form");
	form.addEventListener("submit", () => { window.__bench.start = performance.now(); }, true);
	const box = document.querySelector(".svc-import-created");
	const errors = document.querySelector(".svc-import-errors");
	const done = () => {
		if (window.__bench.end) return;
		if (!box.classList.contains("d-none")) window.__bench.end = performance.now();
		else if (!errors.classList.contains("d-none")) window.__bench.error = errors.innerText;
	};
	new MutationObserver(done).observe(box, { attributes: true });
	new MutationObserver(done).observe(errors, { attributes: true });
}"""


# ... and when the upload's answer (checked, queued) came back
UPLOAD_END = """() => {
	const upload = performance.getEntriesByType("resource").filter((e) => e.name.includes("import_csv")).pop();
	return { ...window.__bench, uploaded: upload ? upload.responseEnd : NaN };
}"""


def one_import(page, url: str, path: str) -> tuple[float, float, int]:
	"""(ms from click to result shown, ms from click to the upload's answer, import_status calls made)."""
	polls = []
	page.on("request", lambda r: polls.append(1) if "import_status" in r.url else None)
	page.goto(f"{url}/service")
	page.select_option(".svc-import-type", label=RMA_TYPE)
	page.set_input_files(".svc-import-file", path)
	page.evaluate(WATCH)
	page.click(".svc-import-submit")
	page.wait_for_function("() => window.__bench.end || window.__bench.error", timeout=120_000)
	bench = page.evaluate(UPLOAD_END)
	if bench.get("error"):
		raise SystemExit(f"the import failed: {bench['error'][:500]}")
	if page.locator(".svc-created-link").count() != ROWS:
		raise SystemExit(f"{page.locator('.svc-created-link').count()} requests shown, {ROWS} expected")
	return bench["end"] - bench["start"], bench["uploaded"] - bench["start"], len(polls)


def documents_built(context, url: str, run: str, limit_s: float = 300) -> None:
	"""Wait for the documents job of import `run` (its newest request is built last): each import is
	timed on an idle worker, as a dealer sending one file finds it. An import sent while another
	file's documents are being built is benchmarks/service_import.py's case."""
	api = f"{url}/api/method/rma_portal.api."
	found = context.request.get(f"{api}service.search", params={"text": f"BENCH-{run}"})
	newest = found.json()["message"][0]["name"]  # found by own number, newest first
	started = time.perf_counter()
	while time.perf_counter() - started < limit_s:
		response = context.request.get(f"{api}returns.list_rmas", params={"search": newest})
		rows = response.json()["message"]["rows"] if response.ok else []
		if rows and rows[0].get("documents_url"):
			return
		time.sleep(2)
	raise SystemExit(f"the documents of import {run} were not built after {limit_s} s")


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--repeat", type=int, default=5)
	parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
	parser.add_argument("--workdir", default="/tmp")
	args = parser.parse_args()
	url = args.url.rstrip("/")

	samples, uploads, polls = [], [], []
	with sync_playwright() as p:
		browser = p.chromium.launch(executable_path=args.chromium, headless=True, args=["--no-sandbox"])
		context = browser.new_context(base_url=url)
		login = context.request.post(f"{url}/api/method/login", form={"usr": DEALER[0], "pwd": DEALER[1]})
		if not login.ok:
			raise SystemExit(f"login of {DEALER[0]}: {login.status} (is the demo data loaded?)")
		for _ in range(args.repeat):
			page = context.new_page()
			run = uuid.uuid4().hex[:6].upper()
			path = os.path.join(args.workdir, f"bench-import-{run}.csv")
			with open(path, "w", encoding="utf-8") as f:
				f.write(csv_text(page, url, run))
			try:
				ms, upload_ms, calls = one_import(page, url, path)
			finally:
				os.remove(path)
			samples.append(ms)
			uploads.append(upload_ms)
			polls.append(calls)
			page.close()
			documents_built(context, url, run)
		browser.close()

	median = statistics.median(samples)
	print(
		f"{ROWS}-row CSV import in the browser, click to result shown: median {median:.0f} ms "
		f"(runs: {', '.join(f'{s:.0f}' for s in samples)}; target {TARGET_MS} ms) "
		f"{'ok' if median <= TARGET_MS else 'SLOW'}\n"
		f"  of it the upload and check until the job is queued: median {statistics.median(uploads):.0f} ms "
		f"(runs: {', '.join(f'{s:.0f}' for s in uploads)}); import_status calls: {', '.join(map(str, polls))}"
	)
	if median > TARGET_MS:
		raise SystemExit(1)


if __name__ == "__main__":
	main()
