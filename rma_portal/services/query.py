"""Small helpers for the services' parameterised SQL."""

from rma_portal.domain.inputs import finite_number


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
