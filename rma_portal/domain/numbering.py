"""RMA number formats such as ``RMA/{seq}/SR/{year}`` (RMA/00042/SR/2026).

The pattern is a setting staff edit, so it is validated here and errors come back as data.
Placeholders: {seq} (required, zero-padded), {year} (2026), {yy} (26), {month} (01-12).
The counter is kept per series_key, so a pattern with {year} restarts its numbers every year
(and one with {month} every month); a pattern without them counts on forever.
"""

import string
from dataclasses import dataclass, field

PLACEHOLDERS = ("seq", "year", "yy", "month")
DEFAULT_PATTERN = "RMA/{seq}/SR/{year}"


@dataclass(frozen=True)
class PatternError:
	"""A problem with a number pattern; message is a format string over kwargs for the caller to translate."""

	message: str
	kwargs: dict = field(default_factory=dict)

	def text(self) -> str:
		"""Untranslated text, for logs and tests."""
		return self.message.format(**self.kwargs)


def _fields(pattern: str) -> list[tuple[str, str | None, str | None]]:
	"""(name, conversion, format_spec) of each placeholder; ValueError on unbalanced braces."""
	parsed = string.Formatter().parse(pattern)
	return [(name, conversion, spec) for _, name, spec, conversion in parsed if name is not None]


def validate_pattern(pattern: str) -> list[PatternError]:
	"""All problems with a pattern (empty list when usable).

	Placeholder names go into kwargs with their braces, so translators never see doubled braces.
	"""
	if not pattern or not pattern.strip():
		return [PatternError("The number format is empty")]
	try:
		fields = _fields(pattern)
	except ValueError:
		return [PatternError("The number format {pattern} has an unmatched brace", {"pattern": pattern})]
	errors = [_placeholder_error(name, conversion, spec) for name, conversion, spec in fields]
	errors = [error for error in errors if error]
	if "seq" not in {name for name, _, _ in fields}:
		errors.append(
			PatternError(
				"The number format {pattern} must contain {required}",
				{"pattern": pattern, "required": "{seq}"},
			)
		)
	return errors


def _placeholder_error(name: str, conversion: str | None, spec: str | None) -> PatternError | None:
	"""Only bare known placeholders are allowed: padding is the pad setting, not a format spec."""
	if name not in PLACEHOLDERS:
		allowed = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
		return PatternError(
			"Unknown placeholder {placeholder}; allowed are {allowed}",
			{"placeholder": f"{{{name}}}", "allowed": allowed},
		)
	if conversion or spec:
		return PatternError("Placeholder {placeholder} cannot have a format", {"placeholder": f"{{{name}}}"})
	return None


def _check(pattern: str) -> None:
	"""Raise ValueError for an invalid pattern: callers should have validated the setting already."""
	errors = validate_pattern(pattern)
	if errors:
		raise ValueError(errors[0].text())


def _date_values(pattern: str, year: int, month: int | None) -> dict[str, str]:
	"""Values of the date placeholders; month is only required when the pattern uses it."""
	if "month" in {name for name, _, _ in _fields(pattern)}:
		if month is None or not 1 <= month <= 12:
			raise ValueError(f"pattern {pattern!r} needs a month between 1 and 12, got {month!r}")
	return {"year": f"{year:04d}", "yy": f"{year % 100:02d}", "month": f"{month or 0:02d}"}


def series_key(pattern: str, year: int, month: int | None = None) -> str:
	"""Counter key: the pattern with everything but {seq} filled in (RMA/{seq}/SR/2026)."""
	_check(pattern)
	return pattern.format(seq="{seq}", **_date_values(pattern, year, month))


def format_number(pattern: str, seq: int, year: int, pad: int = 5, month: int | None = None) -> str:
	"""The document number for counter value seq; seq longer than pad is kept whole, never cut."""
	_check(pattern)
	if seq < 1:
		raise ValueError(f"sequence numbers start at 1, got {seq!r}")
	return pattern.format(seq=str(seq).zfill(pad), **_date_values(pattern, year, month))
