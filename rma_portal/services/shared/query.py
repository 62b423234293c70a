"""Small helpers for the services' parameterised SQL, and figures kept between changes (kept)."""

import hashlib

import frappe
from frappe.utils import cint

from rma_portal.domain.inputs import finite_number

MAX_PAGE_SIZE = 100
# Seconds a kept figure lives at most: bounds what a change that leaves its version alone (a deleted
# draft, hosts whose clocks differ by more than the time between two changes) could keep showing.
KEPT_FOR = 600


def like_pattern(text: str) -> str:
	"""`%text%` for a LIKE parameter, with the user's own %, _ and backslashes matched literally."""
	escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	return f"%{escaped}%"


def column_search(
	filters: dict | None, values: dict, alias: str, text: tuple, dates: tuple = (), numbers: tuple = ()
) -> list[str]:
	"""SQL conditions on `alias` for a list's per-column search boxes: text and dates match a part,
	numbers match the value. Only the listed column names reach the SQL text (other keys are
	ignored); what was typed always goes in `values` as a parameter."""
	conditions = []
	for n, (key, typed) in enumerate(sorted((filters or {}).items())):
		typed = str(typed if typed is not None else "").strip()
		if not typed:
			continue
		param = f"f{n}"
		if key in text:
			conditions.append(f"{alias}.{key} like %({param})s")
			values[param] = like_pattern(typed)
		elif key in dates:
			conditions.append(f"cast({alias}.{key} as char) like %({param})s")
			values[param] = like_pattern(typed)
		elif key in numbers:
			number = finite_number(typed)
			if number is None:
				conditions.append("1 = 0")  # a word (or nan, 1e999) in a number column matches nothing
				continue
			conditions.append(f"abs({alias}.{key} - %({param})s) < 0.0000005")
			values[param] = number
	return conditions


def search_condition(search: str | None, values: dict, columns: tuple[str, ...]) -> str:
	"""` and (a like %(search)s or b like ...)` for what was typed in a list's search box (its %, _ and
	backslashes matched literally), "" when nothing was; the pattern goes in `values`."""
	search = (search or "").strip()
	if not search:
		return ""
	values["search"] = like_pattern(search)
	return " and (" + " or ".join(f"{column} like %(search)s" for column in columns) + ")"


def status_condition(status: str | None, values: dict, column: str, statuses: tuple, refusal: str) -> str:
	"""` and column = %(status)s` for one of `statuses`, "" for none; another is refused with
	`refusal` (a translated message naming the field, {0} the status given)."""
	if not status:
		return ""
	if status not in statuses:
		frappe.throw(refusal.format(status), frappe.ValidationError)
	values["status"] = status
	return f" and {column} = %(status)s"


def page_bounds(page, page_size) -> tuple[int, int]:
	"""The page (from 1) and its size (1 to MAX_PAGE_SIZE, 20 when not given) of a list request."""
	return max(cint(page) or 1, 1), min(max(cint(page_size) or 20, 1), MAX_PAGE_SIZE)


def paged_list(
	list_sql: str, select: str, condition: str, order: str, values: dict, page, page_size, total=None
) -> dict:
	"""One page of a list and its total: `list_sql` has {select} and {condition}; the rows come in
	`order`, the total counts the same condition (or is `total`, when the caller keeps it). Two
	queries."""
	page, page_size = page_bounds(page, page_size)
	values = {**values, "limit": page_size, "offset": (page - 1) * page_size}
	rows = frappe.db.sql(
		list_sql.format(select=select, condition=condition)
		+ f" order by {order} limit %(limit)s offset %(offset)s",
		values,
		as_dict=True,
	)
	if total is None:
		total = frappe.db.sql(list_sql.format(select="count(*)", condition=condition), values)[0][0]
	return {"rows": rows, "total": cint(total), "page": page, "page_size": page_size}


def kept(name: str, version, compute):
	"""compute(), computed once per `version` and kept in the cache (at most KEPT_FOR seconds): for a
	figure that grows with a customer's history (a count of 24,000 delivery notes, the brands of 9,000
	requests). `version` is read in the same request and changes whenever what `compute` reads does,
	typically newest_change() of the documents it reads: a change gives a new key (one rolled back
	leaves a key nobody asks for again), so a page shows the database as its request sees it."""
	key = "rma_portal:kept:" + hashlib.sha256(repr((name, version)).encode()).hexdigest()
	value = frappe.cache.get_value(key, expires=True)
	if value is None:
		value = compute()
		frappe.cache.set_value(key, value, expires_in_sec=KEPT_FOR)
	return value


def kept_with_items(name: str, doctype: str, customer: str, compute):
	"""kept() for a figure over the customer's `doctype` documents and their items (the brands of
	the filter): its version is the newest `modified` of those documents and of the items (a brand
	changed), read in one query, one row of an index each ((customer, modified); Item's modified)."""
	changed = frappe.db.sql(
		f"select (select max(modified) from `tab{doctype}` where customer = %(customer)s), (select max(modified) from `tabItem`)",  # nosec B608 - the DocType's name from code
		{"customer": customer},
	)[0]
	return kept(f"{name}:{customer}", tuple(changed), compute)


def newest_change(doctype: str, field: str, value: str) -> tuple:
	"""The newest `modified` of the documents of `doctype` whose `field` is `value`: Frappe sets it on
	every save, submit and cancel (a child table's rows with their parent's). One row of an index on
	(field, modified). With it, the count of `doctype`'s documents deleted so far (count_deletion):
	deleting one that is not the newest leaves that `modified` as it was."""
	newest = frappe.db.sql(
		f"select max(modified) from `tab{doctype}` where `{field}` = %s",  # nosec B608 - names from code
		value,
	)[0][0]
	return newest, deletions(doctype)


DELETIONS_KEY = "rma_portal:deletions:"


def deletions(doctype: str) -> int:
	"""How many documents of `doctype` were deleted since the cache began (an evicted count starts
	again at 0; the figures kept under the older version are unread since and go first)."""
	return cint(frappe.cache.get(frappe.cache.make_key(DELETIONS_KEY + doctype)))


def count_deletion(doc, method=None) -> None:
	"""on_trash of the DocTypes whose counts are kept (hooks.py): the next newest_change differs."""
	frappe.cache.incr(frappe.cache.make_key(DELETIONS_KEY + doc.doctype))
