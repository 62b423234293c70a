"""Matching a typed choice ("replace", "Réparation", "NAPRAWA") to its stored value ("Replacement").

Plain functions, no Frappe: the caller passes, per stored value, every label it may be typed as
(the English value, its translation in the user's language, and obvious other forms).
Comparison ignores case, accents, spaces and punctuation; a label claimed by two values matches
neither (an ambiguous label must be typed in full).
"""

import re
import unicodedata

# Obvious other forms of the service expectations (English; callers add their translations).
EXPECTATION_ALIASES = {
	"Repair": ("Repaired", "Fix"),
	"Replacement": ("Replace", "Exchange", "Swap"),
	"Credit": ("Credit note", "Refund"),
	"Diagnosis": ("Diagnose", "Diagnostic", "Check"),
}


def fold(text) -> str:
	"""Lower case, accents removed, only letters and digits: "Réparation " -> "reparation"."""
	decomposed = unicodedata.normalize("NFKD", str(text or "").casefold())
	plain = "".join(char for char in decomposed if not unicodedata.combining(char))
	return re.sub(r"[\W_]+", "", plain.replace("ł", "l").replace("ß", "ss"))


def matcher(labels: dict[str, list[str]]):
	"""A function typed text -> stored value (or None), over `labels` {value: [labels]}."""
	owners: dict[str, set[str]] = {}
	for value, names in labels.items():
		for name in (value, *names):
			key = fold(name)
			if key:
				owners.setdefault(key, set()).add(value)
	table = {key: next(iter(values)) for key, values in owners.items() if len(values) == 1}

	def match(text) -> str | None:
		return table.get(fold(text))

	return match
