"""Reading a CSV file as spreadsheet programs write it: character encoding and column separator.

Excel saves "CSV" in the user's code page and with the locale's list separator: a comma in
English, a semicolon in Dutch, French, Polish, Romanian and Finnish; "Unicode text" is UTF-16
with tabs. Plain functions, no Frappe.

Encoding: a byte-order mark decides (UTF-8, UTF-16); else UTF-8 when the bytes are valid UTF-8;
else Windows-1250 (Central European: Polish, Romanian) or Windows-1252 (Western: French, Dutch,
Finnish), whichever reads as more letters of these languages and fewer stray symbols ("³" for
"ł"); a tie goes to the code page of the user's language. Bytes neither code page can read, or
NUL bytes without a byte-order mark, are refused (None).

Separator: the one of comma, semicolon and tab that splits the most rows into the expected
number of columns; when none does, the one found most often in the first row outside quotes.
"""

import csv
import io

CENTRAL_EUROPEAN = ("pl", "ro", "cs", "sk", "hu", "hr", "sl")
SEPARATORS = (",", ";", "\t")

# Letters of the portal's languages that the two code pages write differently.
_LETTERS = frozenset(
	"ąćęłńóśźżĄĆĘŁŃÓŚŹŻăâîşţĂÂÎŞŢ"  # Polish, Romanian (Windows-1250)
	"éèêëàâäçîïôöûùüœÉÈÊËÀÂÄÇÎÏÔÖÛÙÜŒåÅ"  # French, Dutch, Finnish (Windows-1252)
)
# euro sign, guillemets, dashes, typographic quotes, ellipsis, degree, section, middle dot, no-break space
_PUNCTUATION = frozenset(
	"\u20ac\u00ab\u00bb\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2026\u00b0\u00a7\u00b7\u00a0"
)


def decode(data: bytes, language: str | None = None) -> tuple[str, str] | None:
	"""(text, encoding name) of a file's bytes, or None when the encoding is not recognised."""
	if data.startswith(b"\xef\xbb\xbf"):
		return _strict(data[3:], "utf-8")
	if data.startswith((b"\xff\xfe", b"\xfe\xff")):
		return _strict(data, "utf-16")
	if b"\x00" in data:
		return None
	utf8 = _strict(data, "utf-8")
	if utf8:
		return utf8
	candidates = [c for c in (_strict(data, "cp1250"), _strict(data, "cp1252")) if c]
	if not candidates:
		return None
	preferred = "cp1250" if (language or "").split("-")[0] in CENTRAL_EUROPEAN else "cp1252"
	return max(candidates, key=lambda c: (_score(c[0]), c[1] == preferred))


def _strict(data: bytes, encoding: str) -> tuple[str, str] | None:
	try:
		return data.decode(encoding), encoding
	except UnicodeDecodeError:
		return None


def _score(text: str) -> int:
	"""Letters of the portal's languages minus stray symbols, over the non-ASCII characters."""
	score = 0
	for char in text:
		if char.isascii() or char in _PUNCTUATION:
			continue
		score += 1 if char in _LETTERS else -1
	return score


def first_bad_line(data: bytes) -> int:
	"""The line number of the first byte that is not UTF-8 (for the refusal message)."""
	try:
		data.decode("utf-8")
	except UnicodeDecodeError as error:
		return data[: error.start].count(b"\n") + 1
	return 1


def sniff_separator(text: str, columns: tuple[int, ...]) -> str:
	"""The separator that gives the most rows with one of the expected column counts."""
	sample = text[:20000]

	def fitting_rows(separator: str) -> int:
		reader = csv.reader(io.StringIO(sample, newline=""), delimiter=separator)
		count = 0
		try:
			for cells in reader:
				if row_width(cells) in columns:
					count += 1
		except csv.Error:
			pass
		return count

	best = max(SEPARATORS, key=lambda s: (fitting_rows(s), _count_outside_quotes(sample, s)))
	return best


def row_width(cells: list[str]) -> int:
	"""Column count without trailing empty cells (spreadsheets pad rows with separators)."""
	width = len(cells)
	while width and not cells[width - 1].strip():
		width -= 1
	return width


def _count_outside_quotes(text: str, separator: str) -> int:
	first_line = text.split("\n", 1)[0]
	count, quoted = 0, False
	for char in first_line:
		if char == '"':
			quoted = not quoted
		elif char == separator and not quoted:
			count += 1
	return count
