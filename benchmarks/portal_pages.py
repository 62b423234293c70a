"""Benchmark: the customer portal's pages over HTTP beside ERPNext's own /orders and /invoices.

Needs a running site with the demo data; the more history, the more telling. For about 2,000 or
20,000 order lines of the demo dealer load the demo with more orders first:

    bench --site rma.localhost rma-demo --orders 230 --max-lines 20     # about 2,000 lines
    bench --site rma.localhost rma-demo --orders 2300 --max-lines 20    # about 20,000 lines

then, with any Python 3 (standard library only):

    python3 benchmarks/portal_pages.py --url http://127.0.0.1:8000 --requests 30

Each page is requested `--requests` times in a row as the demo dealer (after two warm-up requests);
the table gives the median and the 95th percentile in ms. The goal (issue 12): each of the app's list
pages at most half of ERPNext's p95 for the same customer (/portal/orders against /orders,
/portal/invoices against /invoices).
"""

import argparse
import http.cookiejar
import statistics
import time
import urllib.parse
import urllib.request

PAGES = [
	# (label, path, ERPNext page it stands beside)
	("overview", "/portal", None),
	("pending lines", "/portal/orders", "/orders"),
	("pending lines, page 3", "/portal/orders?page=3", None),
	("pending lines, searched", "/portal/orders?f_item_code=LED", None),
	("invoices", "/portal/invoices", "/invoices"),
	("invoices, unpaid", "/portal/invoices?unpaid=1", None),
	("offers", "/portal/offers", "/quotations"),
	("shipments", "/portal/shipments", "/shipments"),
	("shipments, page 2", "/portal/shipments?page=2", None),
	("support tickets", "/portal/tickets", "/issues"),
	("projects", "/portal/projects", "/project"),
	("contracts", "/portal/contracts", None),
	("shared files", "/portal/files", None),
	("quote requests", "/portal/quotes", None),
	("ERPNext /orders", "/orders", None),
	("ERPNext /invoices", "/invoices", None),
	("ERPNext /quotations", "/quotations", None),
	("ERPNext /shipments", "/shipments", None),
	("ERPNext /issues", "/issues", None),
	("ERPNext /project", "/project", None),
]


def opener_for(url: str, user: str, password: str):
	jar = http.cookiejar.CookieJar()
	opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
	data = urllib.parse.urlencode({"usr": user, "pwd": password}).encode()
	opener.open(url + "/api/method/login", data=data, timeout=30).read()  # nosec B310: the URL given
	return opener


def time_page(opener, url: str, requests: int) -> list[float]:
	for _ in range(2):
		opener.open(url, timeout=60).read()  # nosec B310
	samples = []
	for _ in range(requests):
		start = time.perf_counter()
		with opener.open(url, timeout=60) as response:  # nosec B310
			response.read()
			assert response.status == 200, (url, response.status)
		samples.append((time.perf_counter() - start) * 1000)
	return samples


def p95(samples: list[float]) -> float:
	ordered = sorted(samples)
	return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--url", default="http://127.0.0.1:8000")
	parser.add_argument("--user", default="dealer@demo.example")
	parser.add_argument("--password", default="Demo#2026")
	parser.add_argument("--requests", type=int, default=30)
	args = parser.parse_args()

	opener = opener_for(args.url.rstrip("/"), args.user, args.password)
	results = {}
	for label, path, _beside in PAGES:
		samples = time_page(opener, args.url.rstrip("/") + path, args.requests)
		results[path] = (statistics.median(samples), p95(samples))
		print(f"{label:28} {path:36} median {results[path][0]:7.1f} ms   p95 {results[path][1]:7.1f} ms")
	print()
	for label, path, beside in PAGES:
		if beside:
			ratio = results[path][1] / results[beside][1]
			verdict = "ok" if ratio <= 0.5 else "over the goal"
			print(f"{label:28} p95 is {ratio:4.0%} of ERPNext's {beside} ({verdict}: at most 50%)")


if __name__ == "__main__":
	main()
