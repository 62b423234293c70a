from datetime import date

import pytest

from rma_portal.domain.choices import EXPECTATION_ALIASES, matcher
from rma_portal.domain.csv_rows import (
	DEFAULT_LOCALE,
	MAX_ROWS,
	CsvLocale,
	ServiceCsvRow,
	parse_service_csv,
)

TODAY = date(2026, 3, 15)
EAN = "4006381333931"
EAN2 = "5901234123457"
HEADER = "Own RMA number,EAN/GTIN-13,Serial number,Sale date,Problem description,Service expectation\n"


def line(
	own="R-1", ean=EAN, serial="SN1", sold="2026-01-10", problem="Broken", expect="Repair", sep=","
) -> str:
	return sep.join((own, ean, serial, sold, problem, expect)) + "\n"


def parse(text: str, locale=DEFAULT_LOCALE):
	return parse_service_csv(text.encode("utf-8"), TODAY, locale)


def texts(result) -> list[str]:
	return [error.text() for error in result.errors]


def places(result) -> list[tuple]:
	return [(e.row, e.column) for e in result.errors]


def french_locale(date_format="dd/mm/yyyy"):
	french = {
		"Repair": "Réparation",
		"Replacement": "Remplacement",
		"Credit": "Avoir",
		"Diagnosis": "Diagnostic",
	}
	labels = {value: [french[value], *aliases] for value, aliases in EXPECTATION_ALIASES.items()}
	return CsvLocale(
		language="fr",
		date_format=date_format,
		match_expectation=matcher(labels),
		expectation_names="Réparation, Remplacement, Avoir, Diagnostic",
	)


def test_single_valid_row():
	result = parse(line())
	assert result.ok
	assert not result.has_header
	assert result.rows == [
		ServiceCsvRow(
			row_number=1,
			own_rma_number="R-1",
			ean=EAN,
			serial_no="SN1",
			sale_date=date(2026, 1, 10),
			problem="Broken",
			expectation="Repair",
		)
	]


# ---- separators ------------------------------------------------------------------------------


@pytest.mark.parametrize(("separator", "name"), [(",", ","), (";", ";"), ("\t", "\t")])
def test_separator_detected(separator, name):
	text = HEADER.replace(",", separator) + line(sep=separator) + line(own="R-2", sep=separator)
	result = parse(text)
	assert result.ok, texts(result)
	assert result.separator == name
	assert result.has_header
	assert [r.row_number for r in result.rows] == [2, 3]


def test_semicolon_file_with_commas_in_text():
	result = parse(line(problem="Screen cracked, no image, fan loud", sep=";"))
	assert result.ok
	assert result.rows[0].problem == "Screen cracked, no image, fan loud"


def test_comma_file_with_semicolons_in_quoted_text():
	result = parse(line(problem='"Noise; heat; smoke"'))
	assert result.separator == ","
	assert result.rows[0].problem == "Noise; heat; smoke"


def test_padded_rows_from_a_spreadsheet():
	result = parse(line(sep=";").rstrip("\n") + ";;;\n")
	assert result.ok
	assert result.rows[0].expectation == "Repair"


def test_optional_fault_type_column():
	result = parse(line().rstrip("\n") + ",No power\n")
	assert result.ok
	assert result.rows[0].fault_type == "No power"


# ---- encodings -------------------------------------------------------------------------------


def test_bom_is_ignored():
	result = parse_service_csv(b"\xef\xbb\xbf" + line().encode(), TODAY)
	assert result.ok
	assert result.rows[0].own_rma_number == "R-1"


def test_bom_before_header():
	result = parse_service_csv(b"\xef\xbb\xbf" + (HEADER + line()).encode(), TODAY)
	assert result.ok
	assert result.has_header
	assert result.rows[0].row_number == 2


def test_utf16_unicode_text_from_excel():
	data = (HEADER + line(problem="Zażółć")).replace(",", "\t").encode("utf-16")
	result = parse_service_csv(data, TODAY)
	assert result.ok
	assert result.rows[0].problem == "Zażółć"


@pytest.mark.parametrize("language", ["pl", "fr", None])
def test_windows_1250_polish(language):
	data = line(problem="Nie działa, zła łączność, źle ładuje", sep=";").encode("cp1250")
	result = parse_service_csv(data, TODAY, CsvLocale(language=language or "en"))
	assert result.encoding == "cp1250"
	assert result.rows[0].problem == "Nie działa, zła łączność, źle ładuje"


def test_windows_1250_romanian():
	data = line(problem="Ecranul nu funcţionează, ştecăr rupt", sep=";").encode("cp1250")
	result = parse_service_csv(data, TODAY, CsvLocale(language="ro"))
	assert result.encoding == "cp1250"
	assert result.rows[0].problem == "Ecranul nu funcţionează, ştecăr rupt"


@pytest.mark.parametrize("language", ["fr", "pl"])
def test_windows_1252_french(language):
	data = line(problem="Écran cassé, très abîmé à l'arrière", sep=";").encode("cp1252")
	result = parse_service_csv(data, TODAY, CsvLocale(language=language))
	assert result.encoding == "cp1252"
	assert result.rows[0].problem == "Écran cassé, très abîmé à l'arrière"


def test_utf8_accents_kept():
	result = parse(line(problem="Écran cassé"))
	assert result.ok
	assert result.rows[0].problem == "Écran cassé"


@pytest.mark.parametrize("data", [b"\x81\x90\x9d\x83" * 3 + b"\n", b"R-1\x00,\x00" + b"4\x00\n"])
def test_unreadable_encoding_is_refused_clearly(data):
	result = parse_service_csv(data, TODAY)
	assert result.rows == []
	assert [e.code for e in result.errors] == ["not_readable"]
	assert "save it as CSV UTF-8" in result.errors[0].text()


# ---- dates and choices -----------------------------------------------------------------------


@pytest.mark.parametrize(
	("written", "date_format"),
	[
		("2026-01-10", "dd.mm.yyyy"),
		("10.01.2026", "dd.mm.yyyy"),
		("10.1.2026", "dd.mm.yyyy"),
		("10/01/2026", "dd/mm/yyyy"),
		("10-01-2026", "dd-mm-yyyy"),
		("01/10/2026", "mm/dd/yyyy"),
		("2026-01-10 00:00:00", "yyyy-mm-dd"),
	],
)
def test_dates_iso_and_user_format(written, date_format):
	result = parse(
		line(sold=written),
		CsvLocale(date_format=date_format, match_expectation=DEFAULT_LOCALE.match_expectation),
	)
	assert result.ok, texts(result)
	assert result.rows[0].sale_date == date(2026, 1, 10)


@pytest.mark.parametrize(
	("value", "date_format", "reason"),
	[
		("2026-02-30", "yyyy-mm-dd", "does not exist"),
		("31.02.2026", "dd.mm.yyyy", "does not exist"),
		("2026-03-16", "yyyy-mm-dd", "in the future"),
		("15/03/2026", "yyyy-mm-dd", "is not a date; write it like 2026-03-15 or 2026-03-15"),
		("15/03/26", "dd/mm/yyyy", "is not a date; write it like 15/03/2026 or 2026-03-15"),
		("yesterday", "dd.mm.yyyy", "write it like 15.03.2026"),
		("", "yyyy-mm-dd", "no value given"),
	],
)
def test_bad_sale_date(value, date_format, reason):
	locale = CsvLocale(date_format=date_format, match_expectation=DEFAULT_LOCALE.match_expectation)
	result = parse(line(sold=value), locale)
	assert places(result) == [(1, "sale_date")]
	assert reason in result.errors[0].text()
	assert result.rows[0].sale_date is None


@pytest.mark.parametrize(
	("typed", "stored"),
	[
		("Repair", "Repair"),
		("repair", "Repair"),
		(" REPAIR ", "Repair"),
		("Replace", "Replacement"),
		("replacement", "Replacement"),
		("Réparation", "Repair"),
		("reparation", "Repair"),
		("REMPLACEMENT", "Replacement"),
		("credit note", "Credit"),
		("diagnostic", "Diagnosis"),
	],
)
def test_expectation_in_english_french_and_obvious_forms(typed, stored):
	result = parse(line(expect=typed, sep=";"), french_locale())
	assert result.ok, texts(result)
	assert result.rows[0].expectation == stored


def test_unknown_expectation_names_the_choices_in_the_users_language():
	result = parse(line(expect="Fix it please"), french_locale())
	assert places(result) == [(1, "expectation")]
	assert texts(result) == [
		"Row 1 — Service expectation: Fix it please is not one of: Réparation, Remplacement, Avoir, Diagnostic"
	]


# ---- every error, one per problem ------------------------------------------------------------


def test_all_errors_of_a_row_reported_at_once():
	result = parse(line(ean="4006381333932", sold="2026-13-01", problem="", expect="Pray"))
	assert places(result) == [(1, "ean"), (1, "sale_date"), (1, "problem"), (1, "expectation")]
	assert len(set(texts(result))) == 4
	row = result.rows[0]
	assert row.bad == {"ean", "sale_date", "problem", "expectation"}
	assert row.serial_no == "SN1"  # the rest of the row is still there for the database rules


def test_all_errors_of_all_rows_reported():
	text = line() + line(ean="123", sold="2026-02-30", problem="") + line() + line(own="x" * 141, expect="")
	result = parse(text)
	assert places(result) == [
		(2, "ean"),
		(2, "sale_date"),
		(2, "problem"),
		(4, "own_rma_number"),
		(4, "expectation"),
	]
	assert [r.row_number for r in result.rows] == [1, 2, 3, 4]
	assert [r.row_number for r in result.rows if not r.bad] == [1, 3]
	assert not result.ok


def test_messages_name_row_and_column():
	result = parse(HEADER + line() + line(ean="4006381333932"))
	assert texts(result) == ["Row 3 — EAN/GTIN-13: 4006381333932 has a wrong check digit"]


@pytest.mark.parametrize(
	("value", "reason"),
	[
		("4006381333932", "wrong check digit"),
		("400638133393", "exactly 13 digits"),
		("04006381333931", "exactly 13 digits"),
		("40063813339A1", "exactly 13 digits"),
		("", "no value given"),
	],
)
def test_bad_ean(value, reason):
	result = parse(line(ean=value))
	assert places(result) == [(1, "ean")]
	assert reason in result.errors[0].text()


def test_own_number_max_length():
	assert parse(line(own="x" * 140)).ok
	result = parse(line(own="x" * 141))
	assert places(result) == [(1, "own_rma_number")]


def test_wrong_column_count():
	result = parse(line() + "R-2,4006381333931,SN,2026-01-10,Broken\n" + line() + "a,b,c,d,e,f,g,h\n")
	assert places(result) == [(2, None), (4, None)]
	assert result.errors[0].args[:2] == (5, 6)
	assert result.errors[1].args[:2] == (8, 6)
	assert "Own RMA number, EAN/GTIN-13" in result.errors[0].text()
	assert len(result.rows) == 2


def test_thirty_one_rows_one_message():
	result = parse(HEADER + line() * (MAX_ROWS + 1))
	assert places(result) == [(None, None)]
	assert texts(result) == ["The file has 31 data rows; at most 30 are allowed"]


def test_thirty_rows_ok():
	result = parse(HEADER + line() * MAX_ROWS)
	assert result.ok
	assert len(result.rows) == 30
	assert result.rows[-1].row_number == 31


def test_too_many_rows_still_reports_row_errors():
	result = parse(line() * MAX_ROWS + line(ean="1"))
	assert places(result) == [(None, None), (31, "ean")]


# ---- layout of the file ----------------------------------------------------------------------


def test_crlf_line_endings():
	result = parse(line().replace("\n", "\r\n") + line(own="R-2").replace("\n", "\r\n"))
	assert result.ok
	assert [r.own_rma_number for r in result.rows] == ["R-1", "R-2"]


def test_quoted_commas_and_quotes():
	result = parse(line(problem='"Screen cracked, no image"', expect="Repair"))
	assert result.ok
	assert result.rows[0].problem == "Screen cracked, no image"


def test_embedded_newline_counts_as_one_row():
	result = parse(line(problem='"Line one\nline two"') + line(own="R-2", ean="40063813339X1"))
	assert result.rows[0].problem == "Line one\nline two"
	assert places(result) == [(2, "ean")]


def test_values_are_stripped_and_ean_spaces_removed():
	result = parse(line(own="  R-9 ", ean=" 4 006381 333931 ", serial=" S "))
	assert result.ok
	row = result.rows[0]
	assert (row.own_rma_number, row.ean, row.serial_no) == ("R-9", EAN, "S")


def test_own_number_and_serial_optional():
	result = parse(line(own="", serial=""))
	assert result.ok
	assert result.rows[0].own_rma_number == ""


@pytest.mark.parametrize("ean_header", ["EAN", "ean", "GTIN-13", "EAN / GTIN-13", "Gtin", "EAN-code"])
def test_header_names_case_insensitive(ean_header):
	result = parse(f"own,{ean_header},serial,date,problem,expectation\n" + line())
	assert result.has_header
	assert result.ok


def test_first_row_with_bad_ean_is_data_not_header():
	result = parse("own,not a code,serial,2026-01-01,problem,Repair\n" + line())
	assert not result.has_header
	assert places(result) == [(1, "ean")]


def test_header_only_in_first_row():
	result = parse(line() + HEADER)
	assert not result.has_header
	assert places(result) == [(2, "ean"), (2, "sale_date"), (2, "expectation")]


def test_blank_rows_skipped_but_counted():
	result = parse(line() + "\n,,,,,\n" + line(own="R-4"))
	assert result.ok
	assert [r.row_number for r in result.rows] == [1, 4]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \n\r\n"])
def test_empty_file(data):
	result = parse_service_csv(data, TODAY)
	assert texts(result) == ["The file is empty"]
	assert result.rows == []


def test_header_without_data():
	result = parse(HEADER)
	assert result.has_header
	assert texts(result) == ["The file has no data rows"]


def test_unbalanced_quote_stops_with_row_number():
	result = parse(line() + 'R-2,4006381333931,SN,2026-01-10,"Broken\n' + line())
	assert result.rows[0].row_number == 1
	assert places(result) == [(2, None)]
	assert "double quotes" in result.errors[0].text()


def test_text_after_closing_quote_is_an_error():
	result = parse(line(problem='"Broken"x'))
	assert places(result) == [(1, None)]
