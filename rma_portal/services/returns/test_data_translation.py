# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Data in the reader's language, as Frappe does it: RMA types, fault types and return reasons are
records whose names are translated by the site's Translation list (the desk's "Translation"
DocType), wherever the portal shows or reads them; e-mails have an Email Template per language
when staff write one ("RMA Received (fr)")."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import strip_html_tags

from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.services.service import service_lookups, service_rules
from rma_portal.services.shared import notify
from rma_portal.tests.http import Browser

DEALER = "Demo Dealer"
TYPE, TYPE_FR = "Dead on arrival (DOA)", "Défectueux à la livraison (DOA)"
FAULT, FAULT_FR = "Flickering light", "Lumière qui scintille"


class TestDataTranslation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.made = []
		for source, text in ((TYPE, TYPE_FR), (FAULT, FAULT_FR)):
			if not frappe.db.exists("Translation", {"language": "fr", "source_text": source}):
				doc = frappe.get_doc(
					{
						"doctype": "Translation",
						"language": "fr",
						"source_text": source,
						"translated_text": text,
					}
				).insert(ignore_permissions=True)
				cls.made.append(("Translation", doc.name))
		frappe.db.commit()
		frappe.translate.clear_cache()

	@classmethod
	def tearDownClass(cls):
		for doctype, name in cls.made:
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()
		frappe.translate.clear_cache()
		super().tearDownClass()

	def tearDown(self):
		frappe.local.lang = "en"
		frappe.local.lang_full_dict = None

	def in_french(self):
		frappe.local.lang = "fr"
		frappe.local.lang_full_dict = None

	def test_fault_types_offered_and_read_in_the_users_language(self):
		item = frappe.db.get_value("RMA Fault Type Item", {"parent": FAULT}, "item_code")
		ean = frappe.db.get_value("Item Barcode", {"parent": item, "parenttype": "Item"}, "barcode")
		self.in_french()
		check = service_lookups.warranty_check(DEALER, ean)
		self.assertEqual(check["fault_type_labels"][FAULT], FAULT_FR)
		# what the form or the CSV sends back, the French label in any case, is the record
		self.assertEqual(service_rules.match_fault_type("lumière qui SCINTILLE", check["fault_types"]), FAULT)
		self.assertEqual(service_rules.match_fault_type(FAULT.lower(), check["fault_types"]), FAULT)

	def test_rma_type_on_the_french_form(self):
		body = (
			Browser(CUSTOMERS[DEALER][0], DEMO_PASSWORD)
			.get("/service/new", _lang="fr")
			.get_data(as_text=True)
		)
		self.assertIn(TYPE_FR, body)
		self.assertIn("Réparation", body)  # the expectations (code strings) as well

	def test_email_template_per_language(self):
		name = "RMA Received"
		localized = f"{name} (fr)"
		if not frappe.db.exists("Email Template", localized):
			frappe.get_doc(
				{
					"doctype": "Email Template",
					"name": localized,
					"subject": "Votre retour {{ doc.name }} est arrivé",
					"use_html": 1,
					"response_html": "<p>Bonjour, nous avons reçu {{ doc.name }}.</p>",
				}
			).insert(ignore_permissions=True)
		user = CUSTOMERS[DEALER][0]
		context = {"doc": frappe._dict(name="RMA/1")}
		frappe.db.set_value("User", user, "language", "fr")
		try:
			subject, body = notify.render_email_template(name, context, user)
			self.assertEqual(subject, "Votre retour RMA/1 est arrivé")
			self.assertIn("Bonjour, nous avons reçu RMA/1.", body)
			self.assertEqual(notify.template_for_language(name, "pl"), name)  # no Polish one: the default
			self.assertEqual(notify.template_for_language(name, "fr-CA"), localized)
		finally:
			frappe.db.rollback()  # the template and the user's language were this test's only

	def test_return_terms_in_the_users_language(self):
		terms = frappe.db.get_single_value("RMA Settings", "terms")
		self.assertTrue(terms, "the demo sets return terms")
		french = "<p>Retours sous <b>30 jours</b>, dans l'emballage d'origine.</p>"
		translation, demos = self.french_translation(terms, french)
		try:
			browser = Browser(CUSTOMERS[DEALER][0], DEMO_PASSWORD)
			self.assertIn(
				"Retours sous <b>30 jours</b>", browser.get("/rma/new", _lang="fr").get_data(as_text=True)
			)
			english = browser.get("/rma/new", _lang="en").get_data(as_text=True)
			self.assertNotIn("30 jours", english)
		finally:
			if demos is None:
				translation.delete(ignore_permissions=True)
			else:  # the demo's own translation of the terms: back as it was
				translation.db_set("translated_text", demos)
			frappe.db.commit()
			frappe.translate.clear_cache()

	def french_translation(self, terms: str, french: str):
		"""A French translation of `terms` reading `french`, and the demo's text it replaced (None when
		the test made it): the demo translates its terms, and it keeps its translation."""
		source = strip_html_tags(terms).strip()
		name = frappe.db.get_value("Translation", {"language": "fr", "source_text": source})
		if name:
			translation = frappe.get_doc("Translation", name)
			demos = translation.translated_text
			translation.db_set("translated_text", french)
		else:
			translation = frappe.get_doc(
				{"doctype": "Translation", "language": "fr", "source_text": terms, "translated_text": french}
			).insert(ignore_permissions=True)
			demos = None
		frappe.db.commit()
		frappe.translate.clear_cache()
		return translation, demos
