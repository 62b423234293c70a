"""Small helpers for the services' parameterised SQL."""

import frappe
from frappe.utils import cint

from rma_portal.domain.inputs import finite_number

MAX_PAGE_SIZE = 100


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


def paged_list(list_sql: str, select: str, condition: str, order: str, values: dict, page, page_size) -> dict:
	"""One page of a list and its total: `list_sql` has {select} and {condition}; the rows come in
	`order`, the total counts the same condition. Two queries."""
	page, page_size = page_bounds(page, page_size)
	values = {**values, "limit": page_size, "offset": (page - 1) * page_size}
	rows = frappe.db.sql(
		list_sql.format(select=select, condition=condition)
		+ f" order by {order} limit %(limit)s offset %(offset)s",
		values,
		as_dict=True,
	)
	total = frappe.db.sql(list_sql.format(select="count(*)", condition=condition), values)[0][0]
	return {"rows": rows, "total": cint(total), "page": page, "page_size": page_size}
