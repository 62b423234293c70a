"""The demo speaks the dealer's language all the way: its records (return reasons, RMA types, fault
types, the return terms) have Translation records in the five languages, as staff would make them,
and /rma/new, /service and /service/new in each language show none of their English text."""

from html.parser import HTMLParser

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.demo.data import (
	CUSTOMERS,
	DEMO_PASSWORD,
	FAULT_TYPES,
	RETURN_REASONS,
	RETURN_TERMS,
	RMA_TYPES,
)
from rma_portal.demo.record_translations import LANGUAGES, RECORDS, TERMS, terms_source
from rma_portal.services.service import service_lookups
from rma_portal.tests.http import Browser

DEALER = "Demo Dealer"
PAGES = ("/rma/new", "/service", "/service/new")


class VisibleText(HTMLParser):
	"""The text a reader sees: no tags, attribute values, scripts or styles (an option's value is the
	record's name, English by design)."""

	def __init__(self):
		super().__init__()
		self.parts, self.hidden = [], 0

	def handle_starttag(self, tag, attrs):
		self.hidden += tag in ("script", "style")

	def handle_endtag(self, tag):
		self.hidden -= tag in ("script", "style") and self.hidden > 0

	def handle_data(self, data):
		if not self.hidden:
			self.parts.append(data)

	@classmethod
	def of(cls, html: str) -> str:
		return " ".join(cls.chunks(html))

	@classmethod
	def chunks(cls, html: str) -> list[str]:
		"""Each element's own text, whitespace collapsed (an option's label is one chunk)."""
		parser = cls()
		parser.feed(html)
		return [text for text in (" ".join(part.split()) for part in parser.parts) if text]


def english_names() -> list[str]:
	"""The demo's reason and type names in English (an option's whole label)."""
	return [reason for reason, _handling in RETURN_REASONS] + [name for name, *_rest in RMA_TYPES]


def english_sentences() -> list[str]:
	"""Each sentence of the demo's return terms in English."""
	sentences = terms_source(RETURN_TERMS).replace(":", ".").split(".")
	return [" ".join(s.split()) for s in sentences if len(s.split()) > 3]


def english_left(html: str) -> list[str]:
	"""The demo's English record texts the page shows: a name as a whole label (another test's
	record "Test Defective" is not the demo's "Defective"), a sentence anywhere."""
	chunks = VisibleText.chunks(html)
	text = " ".join(chunks)
	names = [
		name
		for name in english_names()
		if any(chunk == name or chunk.startswith(name + " (") for chunk in chunks)  # "(Voltra only)"
	]
	return names + [sentence for sentence in english_sentences() if sentence in text]


class TestDemoTranslations(FrappeTestCase):
	def tearDown(self):
		frappe.local.lang = "en"
		frappe.local.lang_full_dict = None

	def test_every_demo_record_has_a_translation_record_in_each_language(self):
		sources = [reason for reason, _h in RETURN_REASONS]
		sources += [name for name, *_r in RMA_TYPES] + [row[3] for row in RMA_TYPES]
		sources += [name for name, *_r in FAULT_TYPES]
		self.assertEqual(set(sources), set(RECORDS))
		sources.append(terms_source(RETURN_TERMS))
		for language in LANGUAGES:
			made = set(frappe.get_all("Translation", {"language": language}, pluck="source_text"))
			self.assertFalse(set(sources) - made, f"demo records without a {language} translation")

	def test_pages_show_no_english_record_text(self):
		browser = Browser(CUSTOMERS[DEALER][0], DEMO_PASSWORD)
		english = browser.get("/rma/new", _lang="en").get_data(as_text=True)
		self.assertIn("Damaged in transit", english_left(english), "the check finds English names")
		self.assertTrue(english_sentences()[0] in VisibleText.of(english), "and English terms")
		for language in LANGUAGES:
			for path in PAGES:
				response = browser.get(path, _lang=language)
				self.assertEqual(response.status_code, 200, f"{path} in {language}")
				left = english_left(response.get_data(as_text=True))
				self.assertFalse(left, f"{path} in {language} shows English record text")
			new_return = VisibleText.of(browser.get("/rma/new", _lang=language).get_data(as_text=True))
			self.assertIn(RECORDS["Damaged in transit"][language], new_return)
			self.assertIn(VisibleText.of(TERMS[language]).split(".")[0], new_return)
			service_form = VisibleText.of(browser.get("/service/new", _lang=language).get_data(as_text=True))
			self.assertIn(RECORDS["Dead on arrival (DOA)"][language], service_form)

	def test_fault_types_in_each_language(self):
		fault = "Flickering light"
		item = frappe.db.get_value("RMA Fault Type Item", {"parent": fault}, "item_code")
		ean = frappe.db.get_value("Item Barcode", {"parent": item, "parenttype": "Item"}, "barcode")
		for language in LANGUAGES:
			frappe.local.lang, frappe.local.lang_full_dict = language, None
			labels = service_lookups.warranty_check(DEALER, ean)["fault_type_labels"]
			self.assertEqual(labels[fault], RECORDS[fault][language])
			self.assertFalse(set(labels.values()) & set(RECORDS), f"English fault types in {language}")
