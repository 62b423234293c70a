"""Integration tests: private files of the app's documents (services/shared/files.py)."""

import io
import os

import frappe
from frappe.tests.utils import FrappeTestCase
from PIL import Image

from rma_portal.services.shared.files import save_private_file


def _jpeg() -> bytes:
	out = io.BytesIO()
	Image.new("RGB", (4, 4), "red").save(out, "JPEG")
	return out.getvalue()


class TestPrivateFiles(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		rmas = frappe.get_all("RMA", limit=2, pluck="name", order_by="creation")
		if len(rmas) < 2:
			self.skipTest("fewer than two RMAs on the site (the demo data makes some)")
		self.rma, self.other_rma = rmas

	def _files(self):
		return frappe.get_all("File", filters={"attached_to_doctype": "RMA", "attached_to_name": self.rma})

	def _stored(self):
		return set(os.listdir(frappe.get_site_path("private", "files")))

	def test_each_upload_is_one_private_file_of_its_own_on_disk(self):
		stored = self._stored()
		first = save_private_file("RMA", self.rma, "dent.jpg", _jpeg())
		again = save_private_file("RMA", self.other_rma, "dent.jpg", _jpeg())
		self.assertEqual((first.is_private, again.is_private), (1, 1))
		# the same bytes for two documents (two customers, maybe): two files, never one shared URL
		self.assertNotEqual(first.file_url, again.file_url)
		# one file on disk per File, none left over that no File knows
		added = self._stored() - stored
		self.assertEqual({f"/private/files/{name}" for name in added}, {first.file_url, again.file_url})

	def test_bytes_that_only_look_like_a_jpeg_are_refused_by_name_and_nothing_is_written(self):
		files, stored = self._files(), self._stored()
		with self.assertRaises(frappe.ValidationError) as caught:
			save_private_file("RMA", self.rma, "dent.jpg", b"\xff\xd8\xff\xe0 not really a jpeg" * 10)
		self.assertIn("dent.jpg is not a readable JPEG image", str(caught.exception))
		self.assertEqual(self._files(), files)
		self.assertEqual(self._stored(), stored)

	def test_the_upgrade_removes_copies_no_file_names_and_keeps_the_rest(self):
		from rma_portal.patches import remove_unlinked_upload_copies

		kept = save_private_file("RMA", self.rma, "proof.pdf", b"%PDF-1.4 " + frappe.generate_hash().encode())
		folder = frappe.get_site_path("private", "files")
		orphan, other = "0123456789ab-proof.pdf", "not-ours-proof.pdf"
		for name in (orphan, other):
			with open(os.path.join(folder, name), "wb") as f:
				f.write(b"%PDF-1.4")
		try:
			remove_unlinked_upload_copies.execute()
			self.assertFalse(os.path.exists(os.path.join(folder, orphan)))
			self.assertTrue(os.path.exists(os.path.join(folder, other)))
			self.assertTrue(os.path.exists(os.path.join(folder, kept.file_url.split("/private/files/")[1])))
		finally:
			for name in (orphan, other):
				if os.path.exists(os.path.join(folder, name)):
					os.remove(os.path.join(folder, name))
