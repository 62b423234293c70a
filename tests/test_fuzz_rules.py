"""Generated inputs against the rules every request goes through before any query: wrong types, huge
and unicode strings, control characters, formula prefixes, markup. Each rule either answers with its
own result or raises its own error (BadArgument, a message key); nothing else escapes it.

The last test checks how many inputs were generated (at least 1,000).
"""

import csv
import datetime
import functools
import io
import json
import math
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rma_portal.domain import csv_rows, gtin, inputs, quantities, spreadsheet, uploads

GENERATED = {"count": 0, "ran": set()}
FUZZ = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# What a browser or a script can send: text of any kind (with the prefixes and markup attackers try),
# numbers of any size, and JSON-ish shapes.
nasty_text = st.one_of(
	st.text(max_size=300),
	st.text(alphabet=string.printable + "\x00\x07\x1b\u202e\ufeff€ąęłćśżźńó", max_size=300),
	st.sampled_from(["=", "+", "-", "@", "\t", "\r"]).flatmap(
		lambda p: st.text(max_size=40).map(lambda t: p + t)
	),
	st.sampled_from(
		["<img src=x onerror=alert(1)>", "<<b>img src=x>", "<5 mm", "a < b", "<!-- x -->", "1e999"]
	),
	st.text(min_size=1, max_size=50).map(lambda t: t * 400),  # huge
)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), nasty_text)
json_like = st.recursive(
	scalars,
	lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
	max_leaves=12,
)
anything = st.one_of(json_like, st.binary(max_size=200))


def counted(fn):
	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		GENERATED["count"] += 1
		GENERATED["ran"].add(fn.__name__)
		return fn(*args, **kwargs)

	return wrapper


@FUZZ
@given(value=st.one_of(anything, json_like.map(json.dumps)), kind=st.sampled_from([dict, list]))
@counted
def test_json_arguments_are_the_asked_shape_or_a_bad_argument(value, kind):
	try:
		result = inputs.json_value(value, kind, "lines")
	except inputs.BadArgument as error:
		assert error.field == "lines"
	else:
		assert isinstance(result, kind)


@FUZZ
@given(values=st.dictionaries(nasty_text, json_like, max_size=6))
@counted
def test_filters_hold_single_values_or_name_the_key(values):
	try:
		inputs.scalar_dict(values, "filters")
	except inputs.BadArgument as error:
		assert error.field.startswith("filters.")
		assert error.field.removeprefix("filters.") in values
	else:
		assert all(isinstance(v, inputs.SCALARS) for v in values.values())


@FUZZ
@given(value=st.one_of(scalars, st.integers().map(str), st.integers(min_value=10**18).map(str)))
@counted
def test_page_numbers_are_bounded(value):
	try:
		page = inputs.page_number(value)
	except inputs.BadArgument as error:
		assert error.field == "page"
	else:
		assert 1 <= page <= inputs.MAX_PAGE


@FUZZ
@given(value=st.one_of(scalars, st.floats().map(str)))
@counted
def test_number_filters_are_finite_or_nothing(value):
	number = inputs.finite_number(value)
	assert number is None or math.isfinite(number)


@FUZZ
@given(value=st.one_of(nasty_text, scalars))
@counted
def test_customer_text_is_plain(value):
	text = inputs.plain_text(value)
	assert isinstance(text, str)
	assert inputs.plain_text(text) == text  # nothing left to strip
	assert not any(ch in text for ch in "\x00\x07\x1b\x7f")
	assert not inputs._TAG.search(text)  # no complete tag left


@FUZZ
@given(
	requested=st.one_of(
		st.floats(allow_nan=False, allow_infinity=False, width=32), st.integers(-(10**6), 10**6)
	),
	returnable=st.floats(min_value=0, max_value=10**6, allow_nan=False),
	whole=st.booleans(),
)
@counted
def test_requested_quantities_within_what_is_returnable(requested, returnable, whole):
	problem = quantities.validate_requested_qty(requested, returnable, whole)
	assert problem in (
		None,
		quantities.QTY_NOT_POSITIVE,
		quantities.QTY_ABOVE_RETURNABLE,
		quantities.QTY_NOT_WHOLE,
	)
	if problem is None:
		wanted = quantities.round_qty(requested)
		assert 0 < wanted <= round(returnable, quantities.PRECISION)
		assert not whole or wanted == int(wanted)


@FUZZ
@given(code=st.one_of(nasty_text, st.integers(), st.text(alphabet="0123456789 -", min_size=12, max_size=15)))
@counted
def test_gtin_checks_never_fail_on_odd_input(code):
	valid = gtin.is_valid_gtin13(code)
	assert isinstance(valid, bool)
	if valid:
		digits = gtin.normalize_gtin(code)
		wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
		assert not gtin.is_valid_gtin13(wrong)


@FUZZ
@given(name=st.one_of(st.none(), nasty_text), content=st.binary(max_size=300))
@counted
def test_upload_names_and_kinds(name, content):
	safe = uploads.safe_file_name(name)
	assert safe and len(safe) <= 120 and "/" not in safe and "\\" not in safe and safe not in (".", "..")
	assert all(ch.isprintable() for ch in safe)
	assert uploads.file_kind(name, content, ("pdf", "jpg", "png", "csv")) in (
		None,
		"pdf",
		"jpg",
		"png",
		"csv",
	)


@FUZZ
@given(value=st.one_of(nasty_text, scalars))
@counted
def test_exported_cells_never_start_a_formula(value):
	cell = spreadsheet.escape_cell(value)
	assert not spreadsheet.needs_escaping(cell)
	if isinstance(value, str) and cell != value:
		assert cell == "'" + value


csv_cells = st.one_of(
	nasty_text,
	st.text(alphabet="0123456789", min_size=12, max_size=14),
	st.dates().map(lambda d: d.strftime("%d.%m.%Y")),
	st.dates().map(str),
	st.sampled_from(
		["Repair", "replace", "Réparation", "Naprawa", "Reparație", "Korjaus", "CREDIT", "EAN", "GTIN"]
	),
)


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
	rows=st.lists(st.lists(csv_cells, min_size=0, max_size=9), max_size=40),
	separator=st.sampled_from([",", ";", "\t", "|"]),
	encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1250", "cp1252", "latin-1"]),
	tail=st.binary(max_size=20),
)
@counted
def test_csv_files_give_rows_or_errors_naming_row_and_column(rows, separator, encoding, tail):
	out = io.StringIO()
	csv.writer(out, delimiter=separator).writerows(rows)
	data = out.getvalue().encode(encoding, errors="replace") + tail
	result = csv_rows.parse_service_csv(data, datetime.date(2026, 12, 1))
	for error in result.errors:
		assert error.code in csv_rows.REASONS
		assert error.row is None or error.row >= 1
		assert error.column is None or error.column in csv_rows.COLUMNS
		assert error.text()  # every message can be written out
	assert len({(e.row, e.column, e.code) for e in result.errors}) == len(result.errors)  # one per problem
	if result.ok:
		assert 1 <= len(result.rows) <= csv_rows.MAX_ROWS


def test_at_least_a_thousand_inputs_were_generated():
	# Run alone (or with -k, or in another order), the generating tests have not run: run them here,
	# so the count is this module's whatever ran before.
	for name, test in sorted(globals().items()):
		if name.startswith("test_") and hasattr(test, "hypothesis") and name not in GENERATED["ran"]:
			test()
	print(f"\nfuzzing (rules): {GENERATED['count']} generated inputs, 0 unexpected errors")
	assert GENERATED["count"] >= 1000, GENERATED["count"]
