"""A user's first /rma/new against their second, with nothing else running: the load test's target
"a user's first /rma/new no slower than 2x their later ones" measured apart from the load test's
ramp (there all users log in within 5 s while locust and the users already started share the cores,
and the later pages are timed after the ramp).

Portal users log in at `--rate` a second (each in a thread of its own), and each then asks /rma/new
twice; the medians of the login, the first and the second page and the ratio first / second are
printed. The users come from the customers file the load test uses (one JSON object a line, as
`bench --site S rma-bench-data --customers 10 --users 5` prints them). Run with a Python that has
`requests` (the test tools venv):

    python benchmarks/load/first_page.py --url http://127.0.0.1:8034 --customers customers.jsonl \\
        --rate 2 --rate 10
"""

import argparse
import json
import statistics
import threading
import time

import requests


def logins(path: str) -> list[tuple[str, str]]:
	"""(user, password) pairs, customers interleaved as the load test takes them."""
	with open(path) as f:
		customers = [json.loads(line) for line in f if line.strip().startswith("{")]
	pairs = []
	for n in range(max(len(c["users"]) for c in customers)):
		pairs += [(c["users"][n], c["password"]) for c in customers if n < len(c["users"])]
	return pairs


def one_user(url: str, user: str, password: str, timings: dict) -> None:
	session = requests.Session()
	started = time.perf_counter()
	login = session.post(f"{url}/api/method/login", data={"usr": user, "pwd": password}, timeout=60)
	logged_in = time.perf_counter()
	first = session.get(f"{url}/rma/new", timeout=60)
	first_done = time.perf_counter()
	second = session.get(f"{url}/rma/new", timeout=60)
	second_done = time.perf_counter()
	statuses = {login.status_code, first.status_code, second.status_code}
	timings[user] = (logged_in - started, first_done - logged_in, second_done - first_done, statuses)


def run(url: str, pairs: list[tuple[str, str]], rate: float) -> dict:
	timings, threads = {}, []
	for user, password in pairs:
		thread = threading.Thread(target=one_user, args=(url, user, password, timings))
		thread.start()
		threads.append(thread)
		time.sleep(1 / rate)
	for thread in threads:
		thread.join()
	column = lambda i: [t[i] * 1000 for t in timings.values()]  # noqa: E731
	login, first, second = (statistics.median(column(i)) for i in range(3))
	return {
		"rate": rate,
		"users": len(timings),
		"login_ms": round(login),
		"first_ms": round(first),
		"second_ms": round(second),
		"ratio": round(first / second, 2),
		"statuses": sorted(set().union(*(t[3] for t in timings.values()))),
	}


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument("--url", required=True)
	parser.add_argument("--customers", required=True, help="the customers file (JSON lines)")
	parser.add_argument("--users", type=int, default=50)
	parser.add_argument("--rate", type=float, action="append", help="logins a second (repeatable)")
	parser.add_argument("--pause", type=float, default=10, help="seconds between two rates")
	args = parser.parse_args()
	pairs = logins(args.customers)[: args.users]
	for n, rate in enumerate(args.rate or [10]):
		if n:
			time.sleep(args.pause)
		result = run(args.url.rstrip("/"), pairs, rate)
		print(
			f"{result['users']} users logging in {rate:g} a second: login p50 {result['login_ms']} ms, "
			f"first /rma/new p50 {result['first_ms']} ms, second {result['second_ms']} ms: "
			f"{result['ratio']}x (statuses {result['statuses']})"
		)


if __name__ == "__main__":
	main()
