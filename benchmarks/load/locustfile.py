"""Load test: portal users of several customers browsing, searching and filing returns at once.

Run by `scripts/load-test` (which makes the customers, serves the site, runs this headless and checks
the quantities afterwards); by hand, with locust installed:

    LOAD_USERS=customers.jsonl LOAD_FILED=filed.jsonl locust -f benchmarks/load/locustfile.py \\
        --headless -u 50 -r 10 -t 5m --host http://127.0.0.1:8034 --csv out/load

LOAD_USERS holds one JSON object a line as `bench --site S rma-bench-data --customers 10` prints them
(customer, users, password). Each simulated user logs in once as one of those portal users (50
simulated users, 10 customers of 5 users: one login each), reads the CSRF token the pages render,
then, with a think time between its actions (LOAD_WAIT, seconds, "1,5" by default), does what a
dealer's office does, weighted like real use: the portal's overview, orders, invoices and shipments,
the returns list and its JSON, the new-return page and its candidates (pages, searches per column),
the service and warranty pages, and files returns.

Filing a return is what /rma/new's script (rma_portal/public/js/rma_portal.js) does: read a page of
candidates, tick lines still returnable (of one delivery note, so of one company), POST
submit_return as JSON with the X-Frappe-CSRF-Token header. The five users of a customer pick from the same newest lines, often for their whole
returnable quantity, so they compete for them: the server must then refuse the later request
("... more than the quantity still returnable"), an expected HTTP 417 counted under its own name
("submit_return, refused: no longer returnable") and not as a failure. Any other non-200 answer is a
failure. Each RMA the server accepted is written to LOAD_FILED (JSON lines: name, customer, user,
lines) for the consistency check that follows the run (benchmarks/load/consistency.py).
"""

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, task

API = "/api/method/rma_portal.api.returns."
CANDIDATES = API + "get_candidates"
REFUSED = "submit_return, refused: no longer returnable"
# each user's first /rma/new (right after the login) is counted apart from the later ones
FIRST_NEW_RETURN = "/rma/new, a user's first"
# the refusal's text (domain/quantities.py QTY_ABOVE_RETURNABLE), in the users' language (English)
REFUSAL_TEXT = "more than the quantity still returnable"
CSRF = re.compile(r'frappe\.csrf_token = "([^"]+)"')
CONFIG = re.compile(r'<script type="application/json" id="rma-new-config">(.*?)</script>', re.S)


def _logins() -> list[dict]:
	"""One login per simulated user, customers interleaved (user 1 of every customer, then user 2,
	...) so that any number of users spreads over all the customers."""
	path = os.environ.get("LOAD_USERS")
	if not path:
		raise SystemExit("LOAD_USERS: the customers file (bench rma-bench-data --customers N) is needed")
	with open(path) as f:
		customers = [json.loads(line) for line in f if line.strip().startswith("{")]
	rows = []
	for n in range(max(len(c["users"]) for c in customers)):
		for c in customers:
			if n < len(c["users"]):
				rows.append({"customer": c["customer"], "user": c["users"][n], "password": c["password"]})
	return rows


LOGINS = _logins()
_next_login = itertools.count()
_filed_lock = threading.Lock()
WAIT = [float(x) for x in os.environ.get("LOAD_WAIT", "1,5").split(",")]


def record_filed(row: dict):
	path = os.environ.get("LOAD_FILED")
	if not path:
		return
	with _filed_lock, open(path, "a") as f:
		f.write(json.dumps(row) + "\n")


class PortalUser(HttpUser):
	wait_time = between(*WAIT)

	def on_start(self):
		login = LOGINS[next(_next_login) % len(LOGINS)]
		self.customer, self.user = login["customer"], login["user"]
		self.csrf = ""
		self.reasons: list[str] = []
		self.words: dict[str, list[str]] = {}
		self.total = 0
		with self.client.post(
			"/api/method/login",
			data={"usr": login["user"], "pwd": login["password"]},
			name="login",
			catch_response=True,
		) as response:
			if response.status_code != 200:
				response.failure(f"login of {login['user']}: {self.failed(response)}")
				return
		self.new_return_page(name=FIRST_NEW_RETURN)

	# --- helpers -------------------------------------------------------------------------------

	@staticmethod
	def failed(response) -> str:
		"""What went wrong: the status and the start of the answer, or the exception (status 0)."""
		if response.status_code == 0:
			return f"no answer: {response.error!r}"[:300]
		return f"HTTP {response.status_code}: {response.text[:300]}"

	def json_get(self, path, name, **params):
		"""GET a JSON method; its message, or None (the failure is counted by locust)."""
		params = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
		with self.client.get(path, params=params, name=name, catch_response=True) as response:
			if response.status_code != 200:
				response.failure(self.failed(response))
				return None
			try:
				return response.json().get("message")
			except ValueError:
				response.failure("not JSON")
				return None

	def page(self, path, name=None):
		with self.client.get(path, name=name or path, catch_response=True) as response:
			if response.status_code != 200:
				response.failure(self.failed(response))
			return response

	def candidates(self, name, page=1, filters=None):
		result = self.json_get(CANDIDATES, name, page=page, filters=filters or {})
		if result and not filters:
			self.total = result.get("total") or self.total
			for row in result.get("rows") or []:  # words a user would type into the search boxes
				for key in ("item_code", "item_name", "sales_order", "po_no"):
					if row.get(key):
						self.words.setdefault(key, []).append(str(row[key]))
		return result

	# --- what a user does ----------------------------------------------------------------------

	@task(4)
	def new_return_page(self, name=None):
		"""/rma/new, then its first page of candidates (the page's script asks for it)."""
		response = self.page("/rma/new", name=name)
		if response.status_code == 200:
			match = CSRF.search(response.text)
			self.csrf = match.group(1) if match else self.csrf
			config = CONFIG.search(response.text)
			if config:
				self.reasons = [r["value"] for r in json.loads(config.group(1)).get("reasons") or []]
		self.candidates("candidates, page 1")

	@task(3)
	def browse_candidates(self):
		pages = max(1, -(-self.total // 20))
		self.candidates("candidates, another page", page=random.randint(1, pages))

	@task(3)
	def search_candidates(self):
		key = random.choice(
			[k for k in ("item_code", "item_name", "sales_order", "po_no") if self.words.get(k)] or [None]
		)
		if not key:
			return self.candidates("candidates, page 1")
		word = random.choice(self.words[key])
		typed = word[: random.randint(3, max(3, len(word)))]
		self.candidates("candidates, searched", filters={key: typed})

	@task(1)
	def search_candidates_by_quantity(self):
		"""A search on a quantity column: the path that reads every line's quantities."""
		self.candidates("candidates, searched by returnable qty", filters={"qty_returnable": "1"})

	@task(4)
	def file_return(self):
		"""Tick returnable lines among the newest (where the customer's users compete) and send them;
		once earlier runs have requested all of the newest, lines of one older page."""
		if not self.csrf or not self.reasons:
			return self.new_return_page()
		rows = []
		older = random.randint(6, max(6, -(-self.total // 20)))
		for page in (1, 2, 3, 4, 5, older):
			result = self.candidates(
				"candidates, page 1" if page == 1 else "candidates, another page", page=page
			)
			if result is None:
				return
			rows = [r for r in result.get("rows") or [] if (r.get("qty_returnable") or 0) >= 1]
			if rows:
				break
		if not rows:
			return
		# lines of one delivery note: one company's goods (a request across the companies of a
		# multi-company site is refused, "one request returns the goods of one company")
		note = random.choice(rows[:8])["delivery_note"]
		rows = [r for r in rows[:8] if r["delivery_note"] == note]
		picked = random.sample(rows, k=min(len(rows), random.choice([1, 1, 2, 3])))
		lines = [
			{
				"delivery_note_item": r["delivery_note_item"],
				# often everything still returnable: the users of a customer then race for the line
				"qty": int(r["qty_returnable"])
				if random.random() < 0.6
				else random.randint(1, int(r["qty_returnable"])),
				"return_reason": random.choice(self.reasons),
			}
			for r in picked
		]
		body = {
			"lines": lines,
			"return_reason": None,
			"customer_reference": f"load {self.user}",
			"remarks": None,
			"copy_email": None,
			"terms_accepted": 1,
		}
		headers = {
			"Accept": "application/json",
			"Content-Type": "application/json",
			"X-Frappe-CSRF-Token": self.csrf,
		}
		with self.client.post(
			API + "submit_return",
			data=json.dumps(body),
			headers=headers,
			name="submit_return",
			catch_response=True,
		) as response:
			if response.status_code == 200:
				name = (response.json().get("message") or {}).get("name")
				if not name:
					response.failure("200 without an RMA name")
					return
				record_filed({"name": name, "customer": self.customer, "user": self.user, "lines": lines})
				self.page("/rma/view?name=" + name + "&sent=1", name="/rma/view")
				return
			if response.status_code == 417 and REFUSAL_TEXT in response.text:
				# expected under competition: counted under its own name, not a failure
				response.request_meta["name"] = REFUSED
				response.success()
				return
			response.failure(self.failed(response))

	@task(3)
	def returns_list(self):
		self.page("/rma")
		self.json_get(API + "list_rmas", "list_rmas", page=1)

	@task(1)
	def returns_list_searched(self):
		self.json_get(API + "list_rmas", "list_rmas, searched", page=1, search="load")

	@task(3)
	def overview(self):
		self.page("/portal")

	@task(3)
	def orders(self):
		self.page("/portal/orders")

	@task(1)
	def orders_later_page(self):
		self.page(f"/portal/orders?page={random.randint(2, 5)}", name="/portal/orders?page=N")

	@task(3)
	def invoices(self):
		self.page("/portal/invoices")

	@task(1)
	def invoices_unpaid(self):
		self.page("/portal/invoices?unpaid=1")

	@task(2)
	def shipments(self):
		self.page("/portal/shipments")

	@task(1)
	def service(self):
		self.page("/service")

	@task(1)
	def warranty(self):
		self.page("/warranty")
