"""The app's translations (rma_portal/translations/<lang>.csv) as Frappe loads them on a site.

Run: CI=1 bench --site rma-tests.localhost run-tests --module rma_portal.tests.test_translation_site
"""

import os

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.translate import clear_cache, get_all_translations, get_translation_dict_from_file

from rma_portal.demo.data import user_creation_unthrottled

LANGUAGES = ("ro", "fr", "nl", "fi", "pl")

# One known string per language: (source, translation in the CSV).
EXPECTED = {
	"fr": [
		("Return reason", "Motif de retour"),
		("Credit note", "Avoir"),
		("Warranty claims", "Demandes de garantie"),
		("Page {0} of {1}", "Page {0} sur {1}"),
	],
	"ro": [("Credit note", "Notă de credit"), ("Warranty Claim", "Reclamație în garanție")],
	"nl": [("Credit note", "Creditnota"), ("Warranty claims", "Garantieclaims")],
	"fi": [("Return", "Palautus"), ("Credit note", "Hyvityslasku")],
	"pl": [("Warranty Claim", "Reklamacja gwarancyjna"), ("Credit note", "Faktura korygująca")],
}


def csv_path(lang):
	return os.path.join(frappe.get_app_path("rma_portal", "translations"), f"{lang}.csv")


class TestTranslationSite(FrappeTestCase):
	def setUp(self):
		self.lang = getattr(frappe.local, "lang", None)
		clear_cache()

	def tearDown(self):
		frappe.local.lang = self.lang
		clear_cache()

	def test_known_strings_are_translated(self):
		for lang, pairs in EXPECTED.items():
			frappe.local.lang = lang
			for source, translation in pairs:
				with self.subTest(lang=lang, source=source):
					self.assertEqual(_(source), translation)

	def test_placeholders_survive_format(self):
		frappe.local.lang = "fr"
		self.assertEqual(_("Page {0} of {1}").format(2, 5), "Page 2 sur 5")
		frappe.local.lang = "pl"
		self.assertEqual(_("Return {0}").format("RMA-0001"), "Zwrot RMA-0001")

	def test_every_entry_loads_and_wins(self):
		# Frappe's own CSV reader reads every row, and the app's text is the one the site uses
		# (rma_portal comes after frappe/erpnext, so its entries override theirs).
		for lang in LANGUAGES:
			with self.subTest(lang=lang):
				entries = get_translation_dict_from_file(csv_path(lang), lang, "rma_portal", throw=True)
				self.assertGreater(len(entries), 300)
				merged = get_all_translations(lang)
				differing = {k: merged.get(k) for k, v in entries.items() if merged.get(k) != v}
				self.assertEqual(differing, {})

	def test_english_is_untouched(self):
		frappe.local.lang = "en"
		self.assertEqual(_("Return reason"), "Return reason")


class TestMailSubjectLanguage(FrappeTestCase):
	def test_subject_follows_the_recipients_language(self):
		from rma_portal.services.shared.notify import render_email_template
		from rma_portal.setup_data import EMAIL_TEMPLATES

		template = EMAIL_TEMPLATES["Received"]
		source = frappe.db.get_value("Email Template", template, "subject")
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": f"mail-lang-{frappe.generate_hash(length=6)}@example.com",
				"first_name": "Mail",
				"language": "fr",
				"user_type": "Website User",
				"send_welcome_email": 0,
			}
		)
		with user_creation_unthrottled():
			user.insert(ignore_permissions=True)
		rma = frappe.get_doc(
			{"doctype": "RMA", "name": "RMA/00001/SR/2026", "customer_name": "X", "items": []}
		)
		context = {"doc": rma, "portal_url": "/rma", "return_address": ""}
		clear_cache()
		french, _body = render_email_template(template, context, user.name)
		english, _body = render_email_template(template, context, None)
		expected = frappe.render_template(_(source, lang="fr"), context).strip()
		self.assertNotEqual(_(source, lang="fr"), source)  # the app ships a French subject
		self.assertEqual(french, expected)
		self.assertIn("RMA/00001/SR/2026", french)
		self.assertNotEqual(french, english)
		frappe.db.rollback()
