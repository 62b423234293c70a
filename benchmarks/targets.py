"""The benchmark's targets (issues 14 and 27) and the checks of one URL against them (plain Python).

`benchmarks/http_bench.py` fills its "target holds" columns with these checks and
`benchmarks/verdicts.py` its verdicts, so the two never disagree. A URL's kind: "page" and "json" are
the app's own pages and JSON methods, "ref" ERPNext's and Frappe's own (the references, no target).
"""

PING, ME, ORDERS = "ping", "Frappe /me", "ERPNext /orders"

PAGE_VS_ORDERS = 0.5
PAGE_VS_ME = 1.2
MAX_PAGE_QUERIES = 30
JSON_VS_PING = 10
LARGEST_VS_SMALLEST = 1.3
# the load test (issue 27): 50 users, and 100 users for the failures and the consistency check
LOAD_P95_MS = 300
LOAD_CPU_MS = 25
FIRST_VS_LATER = 2


def at_most(value, limit):
	"""value ≤ limit, False when either is missing or NaN (a URL not timed holds no target)."""
	if value is None or limit is None:
		return False
	return value == value and limit == limit and value <= limit


def times(factor, reference):
	return None if reference is None else factor * reference


def page_vs_orders(p95, orders):
	return at_most(p95, times(PAGE_VS_ORDERS, orders))


def page_vs_me(p95, me):
	return at_most(p95, times(PAGE_VS_ME, me))


def page_queries(queries):
	return (queries or 0) <= MAX_PAGE_QUERIES


def page_misses(p95, queries, me, orders):
	"""The page targets a page's p95 / query count misses: a list of "/orders", "/me", "queries"."""
	checks = (
		("/orders", page_vs_orders(p95, orders)),
		("/me", page_vs_me(p95, me)),
		("queries", page_queries(queries)),
	)
	return [name for name, ok in checks if not ok]


def json_holds(p95, ping):
	return at_most(p95, times(JSON_VS_PING, ping))


def scale_ratio(small_p95, large_p95):
	"""The largest size's p95 over the smallest's, None when one is missing."""
	if not small_p95 or large_p95 is None or small_p95 != small_p95 or large_p95 != large_p95:
		return None
	return large_p95 / small_p95


def scales(small_p95, large_p95, small_queries, large_queries):
	"""p95 at the largest size ≤ 1.3x the smallest's, with the same SQL query count."""
	return at_most(scale_ratio(small_p95, large_p95), LARGEST_VS_SMALLEST) and small_queries == large_queries


def has_target(kind):
	return kind in ("page", "json")
