"""Small helpers for the services' parameterised SQL."""


def like_pattern(text: str) -> str:
	"""`%text%` for a LIKE parameter, with the user's own %, _ and backslashes matched literally."""
	escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	return f"%{escaped}%"
