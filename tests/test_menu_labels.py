"""The portal menu's labels are told apart in every language: no two items of
hooks.standard_portal_menu_items read the same in English or in any translation (the Polish menu once
showed "Zgłoszenia serwisowe" for both Service requests and Support tickets)."""

import csv
import runpy
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "rma_portal"
LANGUAGES = sorted(p.stem for p in (APP / "translations").glob("*.csv"))


def menu_titles() -> list[str]:
	hooks = runpy.run_path(str(APP / "hooks.py"))
	return [item["title"] for item in hooks["standard_portal_menu_items"]]


def translations(lang: str) -> dict[str, str]:
	with open(APP / "translations" / f"{lang}.csv", newline="", encoding="utf-8") as f:
		return {row[0]: row[1] for row in csv.reader(f) if len(row) >= 2}


def repeated(labels: list[str]) -> set[str]:
	seen, twice = set(), set()
	for label in labels:
		key = label.strip().casefold()
		(twice if key in seen else seen).add(key)
	return twice


def test_the_menu_has_titles():
	assert len(menu_titles()) > 5


@pytest.mark.parametrize("lang", ["en", *LANGUAGES])
def test_no_two_menu_labels_are_equal(lang):
	titles = menu_titles()
	table = translations(lang) if lang != "en" else {}
	labels = [table.get(title, title) for title in titles]
	assert not repeated(labels), f"{lang}: menu labels used twice: {sorted(repeated(labels))}"
