import pytest

from rma_portal.domain.spreadsheet import csv_bytes, escape_cell, needs_escaping


@pytest.mark.parametrize(
	"text",
	[
		'=HYPERLINK("http://x.example","click")',
		"+1+cmd|' /C calc'!A0",
		"-2+3",
		"@SUM(A1:A2)",
		"\t=1+1",
		"\r=1+1",
		"=",
		"-",
		"-nan",
		"+inf",
	],
)
def test_formulas_are_escaped(text):
	assert needs_escaping(text)
	assert escape_cell(text) == "'" + text


@pytest.mark.parametrize(
	"value", ["-66.50", "+3", "-1,234.5", "1e3", "plain text", "", "'=already", 12, None, -5.5]
)
def test_numbers_and_plain_text_stay_as_they_are(value):
	assert escape_cell(value) == value


def test_escaping_twice_changes_nothing_more():
	once = escape_cell("=1+1")
	assert escape_cell(once) == once


def test_csv_bytes_is_utf8_with_bom_and_crlf_lines():
	data = csv_bytes([["Nr.", "Bemerkung"], ["R-1", "Größe; 2"]], delimiter=";")
	assert data == '\ufeffNr.;Bemerkung\r\nR-1;"Größe; 2"\r\n'.encode()
