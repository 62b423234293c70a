"""Benchmark: do `register` and `resend_activation` take the same time whatever the address?

Their answers are the same for an address that has an account (known), one with a registration
waiting for activation (pending) and one never seen (unknown); their time must not tell them apart
either. Each method is called over HTTP, round after round, for the three kinds of address; the
median of `--rounds` (20) calls per kind is reported, and the verdict is whether the slowest median is
within 20% of the fastest.

Run with the bench's Python, as the bench user, from the bench's sites/ folder, against the site
served at --url (scripts/lib.sh serve_web):

    sudo -u frappe ../env/bin/python /path/to/rma_portal/benchmarks/registration_timing.py \\
        --site rma.localhost --url http://127.0.0.1:8000

The limits on registration e-mails are emptied before every call (each call comes from its own
X-Forwarded-For address too), so they never answer for the method; each call starts --pause seconds
after the previous one, once the work Frappe does after answering it is over, so no call is timed
while another's work still runs; everything the run made (registrations, queued e-mails) is deleted
at the end.
"""

import argparse
import json
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import frappe

PASSWORD = "Gearbox-Harbour-41"
KNOWN = "dealer@demo.example"
TOLERANCE = 0.20


def form(email: str) -> dict:
	return {
		"client_type": "Private person",
		"first_name": "Timing",
		"last_name": "Check",
		"email": email,
		"phone": "+31 30 123 4567",
		"password": PASSWORD,
		"accept_terms": "1",
	}


def post(url: str, method: str, data: dict, ip: str) -> float:
	"""One call; its wall time in ms. Any answer but 200 stops the run (it would time a refusal)."""
	body = urllib.parse.urlencode(data).encode()
	request = urllib.request.Request(
		f"{url}/api/method/rma_portal.api.registration.{method}",
		data=body,
		headers={"X-Forwarded-For": ip, "Accept": "application/json"},
	)
	start = time.perf_counter()
	try:
		with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310: the --url given
			response.read()
	except urllib.error.HTTPError as e:
		raise SystemExit(f"{method} answered {e.code}: {e.read()[:300]!r}") from e
	return (time.perf_counter() - start) * 1000


def empty_limits():
	frappe.cache.delete_keys("rma_portal:mails:")


def run(url: str, rounds: int, made: list[str], pause: float) -> dict:
	"""The samples per (method, kind of address); the addresses used are added to `made`."""
	pending = f"timing-pending-{uuid.uuid4().hex[:8]}@example.com"
	made.append(pending)
	empty_limits()
	post(url, "register", form(pending), "192.0.2.1")  # now a registration waits under this address
	time.sleep(pause)
	samples = {(m, k): [] for m in ("register", "resend_activation") for k in ("known", "pending", "unknown")}
	for n in range(rounds):
		unknown = f"timing-{uuid.uuid4().hex[:10]}@example.com"
		made.append(unknown)
		for kind, address in (("known", KNOWN), ("pending", pending), ("unknown", unknown)):
			for method in ("resend_activation", "register"):  # resend first: the unknown stays unknown
				empty_limits()
				data = form(address) if method == "register" else {"email": address}
				samples[(method, kind)].append(post(url, method, data, f"198.18.{n}.{len(made) % 250}"))
				time.sleep(pause)
	return samples


def clean_up(addresses: list[str]):
	frappe.db.rollback()
	for address in [*addresses, KNOWN]:
		parents = frappe.get_all(
			"Email Queue Recipient", filters={"recipient": address}, pluck="parent", limit=500
		)
		queued = frappe.get_all(
			"Email Queue",
			filters={"name": ["in", parents or [""]], "creation": [">=", frappe.flags.bench_started]},
			pluck="name",
		)
		for name in queued:
			frappe.delete_doc("Email Queue", name, force=True, ignore_permissions=True)
		if address != KNOWN and frappe.db.exists("Portal Registration", address):
			frappe.delete_doc("Portal Registration", address, force=True, ignore_permissions=True)
	frappe.db.commit()
	empty_limits()


def report(samples: dict) -> tuple[str, bool]:
	lines, ok = (
		["| method | known | pending | unknown | slowest / fastest |", "| --- | --- | --- | --- | --- |"],
		True,
	)
	for method in ("register", "resend_activation"):
		medians = {k: statistics.median(samples[(method, k)]) for k in ("known", "pending", "unknown")}
		ratio = max(medians.values()) / min(medians.values())
		ok = ok and ratio <= 1 + TOLERANCE
		cells = " | ".join(f"{medians[k]:.1f} ms" for k in ("known", "pending", "unknown"))
		lines.append(
			f"| {method} | {cells} | {ratio:.2f} ({'within' if ratio <= 1 + TOLERANCE else 'over'} 20%) |"
		)
	return "\n".join(lines), ok


def main():
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--url", required=True, help="where the site is served, e.g. http://127.0.0.1:8000")
	parser.add_argument("--rounds", type=int, default=20)
	parser.add_argument("--pause", type=float, default=0.5, help="seconds between calls")
	args = parser.parse_args()
	frappe.init(site=args.site)
	frappe.connect()
	frappe.flags.bench_started = frappe.utils.now_datetime()
	made = []
	try:
		samples = run(args.url.rstrip("/"), args.rounds, made, args.pause)
		text, ok = report(samples)
		print(f"Median of {args.rounds} calls per kind of address, over HTTP ({args.url}):\n\n{text}\n")
		print(json.dumps({"within_20_percent": ok}))
	finally:
		clean_up(made)
		frappe.destroy()


if __name__ == "__main__":
	main()
