# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""History notes are stored as key + values and shown in the reader's language: the same RMA's
history read by a French and a Polish user, on the portal page and through the service."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.services.shared import history_notes
from rma_portal.tests.http import Browser

DEALER = "Demo Dealer"


class TestHistoryNotes(FrappeTestCase):
	def tearDown(self):
		frappe.local.lang = "en"
		frappe.db.set_value("User", CUSTOMERS[DEALER][0], "language", None)
		frappe.db.commit()

	def render_in(self, lang, row):
		frappe.local.lang = lang
		frappe.local.lang_full_dict = None
		frappe.translate.clear_cache() if hasattr(frappe.translate, "clear_cache") else None
		return history_notes.render(row)

	def test_note_stored_as_key_and_values(self):
		fields = history_notes.note("received", "4", "5")
		self.assertEqual(fields["note"], "Received 4 of 5")  # English for the desk
		self.assertEqual((fields["note_key"], fields["note_values"]), ("received", '["4", "5"]'))
		self.assertEqual(self.render_in("fr", fields), "4 reçu(s) sur 5")
		self.assertEqual(self.render_in("pl", fields), "Otrzymano 4 z 5")
		self.assertEqual(self.render_in("en", fields), "Received 4 of 5")
		# older rows without a key: the text itself, translated when it is a known message
		self.assertEqual(self.render_in("fr", {"note": "Request submitted"}), "Demande envoyée")
		self.assertEqual(self.render_in("pl", {"note": "Checked by Jan"}), "Checked by Jan")

	def test_rma_history_on_the_portal_in_french_and_polish(self):
		user = CUSTOMERS[DEALER][0]
		rma = frappe.get_last_doc("RMA", filters={"customer": DEALER})
		rma.append("status_log", {"status": rma.status, **history_notes.note("received", "4", "5")})
		rma.append("status_log", {"status": rma.status, **history_notes.note("credit_note", "ACC-SINV-1")})
		for row in rma.status_log[-2:]:
			row.db_insert()
		frappe.db.commit()
		try:
			shown = {}
			for lang in ("fr", "pl"):
				frappe.db.set_value("User", user, "language", lang)
				frappe.db.commit()
				body = Browser(user, DEMO_PASSWORD).get("/rma/view", name=rma.name).get_data(as_text=True)
				shown[lang] = body
			self.assertIn("4 reçu(s) sur 5", shown["fr"])
			self.assertIn("Avoir ACC-SINV-1", shown["fr"])
			self.assertIn("Otrzymano 4 z 5", shown["pl"])
			self.assertIn("Faktura korygująca ACC-SINV-1", shown["pl"])
			self.assertNotIn("Received 4 of 5", shown["fr"] + shown["pl"])
		finally:
			frappe.db.delete(
				"RMA Status Log", {"parent": rma.name, "name": ["in", [r.name for r in rma.status_log[-2:]]]}
			)
			frappe.db.commit()
