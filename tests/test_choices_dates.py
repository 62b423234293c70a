from datetime import date

import pytest

from rma_portal.domain import dates
from rma_portal.domain.choices import fold, matcher


@pytest.mark.parametrize(
	("text", "folded"),
	[
		("Réparation", "reparation"),
		("Reparație", "reparatie"),
		("NAPRAWA", "naprawa"),
		("Wymiana ł", "wymianal"),
	],
)
def test_fold(text, folded):
	assert fold(text) == folded


def test_matcher_in_polish_and_romanian():
	match = matcher({"Repair": ["Naprawa", "Reparație"], "Replacement": ["Wymiana", "Înlocuire", "Replace"]})
	assert match("naprawa") == "Repair"
	assert match("Reparatie") == "Repair"
	assert match("inlocuire") == "Replacement"
	assert match("replace") == "Replacement"
	assert match("") is None
	assert match("Refund") is None


def test_ambiguous_label_matches_nothing():
	match = matcher({"A": ["Same"], "B": ["same"]})
	assert match("same") is None
	assert match("a") == "A"


def test_date_example_in_user_format():
	assert dates.example("dd.mm.yyyy", date(2026, 1, 5)) == "05.01.2026"
	assert dates.example("mm/dd/yyyy", date(2026, 1, 5)) == "01/05/2026"


def test_iso_user_would_not_get_day_first_guesses():
	assert dates.parse_date("05.01.2026", "yyyy-mm-dd") is None
	with pytest.raises(dates.NotADate):
		dates.parse_date("2026-02-29")
