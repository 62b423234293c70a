from datetime import date

import pytest

from rma_portal.domain.csv_rows import MAX_ROWS, ServiceCsvRow, parse_service_csv

TODAY = date(2026, 3, 15)
EAN = "4006381333931"
EAN2 = "5901234123457"
HEADER = "Own RMA number,EAN/GTIN-13,Serial number,Sale date,Problem description,Service expectation\n"


def line(own="R-1", ean=EAN, serial="SN1", sold="2026-01-10", problem="Broken", expect="Repair") -> str:
	return f"{own},{ean},{serial},{sold},{problem},{expect}\n"


def parse(text: str):
	return parse_service_csv(text.encode("utf-8"), TODAY)


def texts(result) -> list[str]:
	return [error.text() for error in result.errors]


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


def test_bom_is_ignored():
	result = parse_service_csv(b"\xef\xbb\xbf" + line().encode(), TODAY)
	assert result.ok
	assert result.rows[0].own_rma_number == "R-1"


def test_bom_before_header():
	result = parse_service_csv(b"\xef\xbb\xbf" + (HEADER + line()).encode(), TODAY)
	assert result.ok
	assert result.has_header
	assert result.rows[0].row_number == 2


def test_crlf_line_endings():
	result = parse(line().replace("\n", "\r\n") + line(own="R-2").replace("\n", "\r\n"))
	assert result.ok
	assert [r.own_rma_number for r in result.rows] == ["R-1", "R-2"]


def test_quoted_commas_and_quotes():
	result = parse(line(problem='"Screen cracked, no image"', expect='"Replace the ""panel"""'))
	assert result.ok
	assert result.rows[0].problem == "Screen cracked, no image"
	assert result.rows[0].expectation == 'Replace the "panel"'


def test_embedded_newline_counts_as_one_row():
	result = parse(line(problem='"Line one\nline two"') + line(own="R-2", ean="40063813339X1"))
	assert result.rows[0].problem == "Line one\nline two"
	assert [(e.row, e.column) for e in result.errors] == [(2, "ean")]


def test_values_are_stripped_and_ean_spaces_removed():
	result = parse(line(own="  R-9 ", ean=" 4 006381 333931 ", serial=" S "))
	assert result.ok
	row = result.rows[0]
	assert (row.own_rma_number, row.ean, row.serial_no) == ("R-9", EAN, "S")


def test_own_number_and_serial_optional():
	result = parse(line(own="", serial=""))
	assert result.ok
	assert result.rows[0].own_rma_number == ""


def test_own_number_max_length():
	assert parse(line(own="x" * 140)).ok
	result = parse(line(own="x" * 141))
	assert [(e.row, e.column) for e in result.errors] == [(1, "own_rma_number")]
	assert result.rows == []


@pytest.mark.parametrize(
	("value", "reason"),
	[
		("4006381333932", "wrong check digit"),
		("400638133393", "exactly 13 digits"),
		("04006381333931", "exactly 13 digits"),
		("40063813339A1", "exactly 13 digits"),
		("", "required"),
	],
)
def test_bad_ean(value, reason):
	result = parse(line(ean=value))
	assert len(result.errors) == 1
	error = result.errors[0]
	assert (error.row, error.column) == (1, "ean")
	assert reason in error.text()


@pytest.mark.parametrize(
	("value", "reason"),
	[
		("2026-02-30", "does not exist"),
		("2025-13-01", "does not exist"),
		("2026-03-16", "in the future"),
		("15/03/2026", "yyyy-mm-dd"),
		("2026-3-1", "yyyy-mm-dd"),
		("", "required"),
	],
)
def test_bad_sale_date(value, reason):
	result = parse(line(sold=value))
	assert [(e.row, e.column) for e in result.errors] == [(1, "sale_date")]
	assert reason in result.errors[0].text()


def test_sale_date_today_is_allowed():
	assert parse(line(sold="2026-03-15")).rows[0].sale_date == TODAY


def test_problem_and_expectation_required():
	result = parse(line(problem=" ", expect=""))
	assert [e.column for e in result.errors] == ["problem", "expectation"]
	assert result.errors[0].text() == "Row 1: the problem description is required"


def test_all_errors_of_all_rows_reported():
	text = line() + line(ean="123", sold="2026-02-30", problem="") + line() + line(own="x" * 141, expect="")
	result = parse(text)
	assert [(e.row, e.column) for e in result.errors] == [
		(2, "ean"),
		(2, "sale_date"),
		(2, "problem"),
		(4, "own_rma_number"),
		(4, "expectation"),
	]
	assert [r.row_number for r in result.rows] == [1, 3]
	assert not result.ok


def test_wrong_column_count():
	result = parse(line() + "R-2,4006381333931,SN,2026-01-10,Broken\n" + line() + "a,b,c,d,e,f,g\n")
	assert [(e.row, e.column) for e in result.errors] == [(2, None), (4, None)]
	assert result.errors[0].kwargs["count"] == 5
	assert result.errors[1].kwargs["count"] == 7
	assert len(result.rows) == 2


def test_semicolon_file_reports_column_count():
	result = parse("R-1;4006381333931;SN;2026-01-10;Broken;Repair\n")
	assert result.errors[0].kwargs == {"row": 1, "count": 1, "expected": 6}


def test_header_row_detected_and_counted():
	result = parse(HEADER + line() + line(ean="bad"))
	assert result.has_header
	assert result.rows[0].row_number == 2
	assert [(e.row, e.column) for e in result.errors] == [(3, "ean")]


@pytest.mark.parametrize("ean_header", ["EAN", "ean", "GTIN-13", "EAN / GTIN-13", "Gtin"])
def test_header_names_case_insensitive(ean_header):
	result = parse(f"own,{ean_header},serial,date,problem,expectation\n" + line())
	assert result.has_header
	assert result.ok


def test_first_row_with_bad_ean_is_data_not_header():
	result = parse("own,not a code,serial,2026-01-01,problem,expectation\n" + line())
	assert not result.has_header
	assert [(e.row, e.column) for e in result.errors] == [(1, "ean")]


def test_header_only_in_first_row():
	result = parse(line() + HEADER)
	assert not result.has_header
	assert [(e.row, e.column) for e in result.errors] == [(2, "ean"), (2, "sale_date")]


def test_blank_rows_skipped_but_counted():
	result = parse(line() + "\n,,,,,\n" + line(own="R-4"))
	assert result.ok
	assert [r.row_number for r in result.rows] == [1, 4]


def test_thirty_rows_ok():
	result = parse(HEADER + line() * MAX_ROWS)
	assert MAX_ROWS == 30
	assert result.ok
	assert len(result.rows) == 30
	assert result.rows[-1].row_number == 31


def test_thirty_one_rows_rejected():
	result = parse(HEADER + line() * (MAX_ROWS + 1))
	assert not result.ok
	assert [(e.row, e.column) for e in result.errors] == [(None, None)]
	assert result.errors[0].text() == "The file has 31 data rows; at most 30 are allowed"


def test_too_many_rows_still_reports_row_errors():
	result = parse(line() * MAX_ROWS + line(ean="1"))
	assert [(e.row, e.column) for e in result.errors] == [(None, None), (31, "ean")]


def test_not_utf8():
	data = line(problem="Écran cassé").encode("latin-1")
	result = parse_service_csv(line().encode() + data, TODAY)
	assert result.rows == []
	assert [(e.row, e.column) for e in result.errors] == [(None, None)]
	assert result.errors[0].kwargs == {"line": 2}
	assert "UTF-8" in result.errors[0].text()


def test_utf8_accents_kept():
	result = parse(line(problem="Écran cassé", expect="Réparation"))
	assert result.ok
	assert result.rows[0].problem == "Écran cassé"


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \n\r\n"])
def test_empty_file(data):
	result = parse_service_csv(data, TODAY)
	assert [e.text() for e in result.errors] == ["The file is empty"]
	assert result.rows == []


def test_header_without_data():
	result = parse(HEADER)
	assert result.has_header
	assert texts(result) == ["The file has no data rows"]


def test_unbalanced_quote_stops_with_row_number():
	result = parse(line() + 'R-2,4006381333931,SN,2026-01-10,"Broken\n' + line())
	assert result.rows[0].row_number == 1
	assert [(e.row, e.column) for e in result.errors] == [(2, None)]
	assert "double quotes" in result.errors[0].text()


def test_text_after_closing_quote_is_an_error():
	result = parse(line(problem='"Broken"x'))
	assert [(e.row, e.column) for e in result.errors] == [(1, None)]
