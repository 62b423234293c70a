"""Receiving by scan (desk page RMA Receiving, api/receiving.py): staff only; a scanned parcel books
what the form's Receive books (same return Delivery Note lines, stock, status); a second booking or a
second scan of the label books nothing; unmatched parcels are recorded, listed and matched."""

import io
import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt
from frappe.utils.password import update_password
from PIL import Image

from rma_portal.api import receiving as api
from rma_portal.rma_portal.doctype.rma.test_rma import (
	ITEMS,
	REASON,
	_make_customer,
	_sell,
	prepare_returns_data,
)
from rma_portal.services.returns import lifecycle, receiving, requested_serials, returns
from rma_portal.tests.http import Browser, concurrently
from rma_portal.tests.records import linked_doctypes

test_ignore = linked_doctypes("RMA")

LINES = [(ITEMS[0], 2), (ITEMS[1], 1), (ITEMS[2], 3)]
MANAGER = "rma-receiving-manager@example.com"
MANAGER_PASSWORD = "Receive#2026-scan"
API = "/api/method/rma_portal.api.receiving."
FAKE_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 200  # a JPEG's first bytes, then nothing


def _image(kind: str) -> bytes:
	out = io.BytesIO()
	Image.new("RGB", (32, 24), (180, 120, 90)).save(out, kind)
	return out.getvalue()


def _ean(item_code: str) -> str:
	"""A code of the shop's own range (prefix 2) per test item: RMA-TEST-01 -> 299900000001."""
	return "29990000" + item_code[-4:].replace("-", "0").zfill(4)


def _give_barcodes():
	for code, _qty in LINES:
		item = frappe.get_doc("Item", code)
		if _ean(code) not in {row.barcode for row in item.barcodes}:
			item.append("barcodes", {"barcode": _ean(code)})
			item.save(ignore_permissions=True)


def _rma(customer: str, user: str) -> str:
	sale = _sell(customer, [(code, qty, 10.0) for code, qty in LINES])
	return returns.create_return_rma(
		customer,
		user,
		[
			{"delivery_note_item": next(i.name for i in sale.dn.items if i.item_code == code), "qty": qty}
			for code, qty in LINES
		],
		return_reason=REASON,
		terms_accepted=True,
	)


def _manager() -> str:
	"""A desk user with the RMA Manager role and a password (for requests over HTTP)."""
	if not frappe.db.exists("User", MANAGER):
		frappe.get_doc({"doctype": "User", "email": MANAGER, "first_name": "Receiver"}).insert(
			ignore_permissions=True
		)
	# a returns counter as sites usually set one up (the return Delivery Note itself is booked with the
	# app's rights, so RMA Manager alone would do: test_receiving_rights)
	frappe.get_doc("User", MANAGER).add_roles("RMA Manager", "Stock User")
	update_password(MANAGER, MANAGER_PASSWORD)
	return MANAGER


def _scan_dealer() -> tuple[str, str]:
	"""What both test classes scan for: the returns data, the items' barcodes, the dealer (customer,
	user) whose parcels come in and the manager who books them."""
	frappe.set_user("Administrator")
	prepare_returns_data()
	_give_barcodes()
	customer, user = _make_customer("Scan Dealer")
	frappe.set_user("Administrator")
	_manager()
	return customer, user


def _desk_browser() -> Browser:
	"""The manager's browser, with the CSRF token the desk (/app) hands its scripts."""
	browser = Browser(MANAGER, MANAGER_PASSWORD)
	body = browser.get("/app").get_data(as_text=True)
	browser.csrf_token = body.split('frappe.csrf_token = "', 1)[1].split('"', 1)[0]
	return browser


def _all_counted(rma: str) -> dict:
	return {row.name: row.qty_requested for row in frappe.get_doc("RMA", rma).items}


def _booked(rma: str) -> dict:
	"""What a receipt left in ERPNext: the return Delivery Note lines, the status."""
	rows = frappe.db.sql(
		"""select dni.item_code, dni.qty, dni.warehouse from `tabDelivery Note Item` dni
		join `tabDelivery Note` dn on dn.name = dni.parent
		where dn.rma = %s and dn.is_return = 1 and dn.docstatus = 1 order by dni.item_code""",
		rma,
		as_dict=True,
	)
	return {
		"lines": [(r.item_code, flt(r.qty), r.warehouse) for r in rows],
		"status": frappe.db.get_value("RMA", rma, "status"),
		"received": {
			r.item_code: flt(r.qty_received)
			for r in frappe.get_all("RMA Item", {"parent": rma}, ["item_code", "qty_received"])
		},
	}


class TestReceivingByScan(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer, cls.user = _scan_dealer()
		cls.by_form, cls.by_scan = _rma(cls.customer, cls.user), _rma(cls.customer, cls.user)
		cls.serial_parcel = _rma(cls.customer, cls.user)  # scanned for serials, never booked
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")

	def _scan_all(self, rma: str) -> tuple[dict, dict, list]:
		counts, refused = {}, []
		opened = api.open_parcel(rma)
		self.assertTrue(opened["found"])
		for code in (
			["9999999999994"] + [_ean(c) for c, q in LINES for _n in range(int(q))] + [_ean(ITEMS[0])]
		):
			result = api.scan(rma, code, counts=counts)
			if result["kind"] == "counted":
				counts[result["row"]] = counts.get(result["row"], 0) + 1
			else:
				refused.append(result["kind"])
		return opened, counts, refused

	def test_a_scanned_parcel_books_what_the_form_books_and_only_once(self):
		rows = frappe.get_doc("RMA", self.by_form).items
		lifecycle.receive(self.by_form, {row.name: row.qty_requested for row in rows}, request_key="form-1")
		_opened, counts, refused = self._scan_all(self.by_scan)
		# the unknown item and the one unit too many are refused at once
		self.assertEqual(refused, ["not_on_rma", "over"])
		conditions = {next(iter(counts)): "Damaged"}
		key = frappe.generate_hash(length=12)
		first = api.book(self.by_scan, key, counts=counts, conditions=conditions)
		self.assertTrue(first["booked"])
		form, scan = _booked(self.by_form), _booked(self.by_scan)
		self.assertEqual(scan, form)
		self.assertEqual(scan["status"], "Received")
		# the receiving slip lists what was counted and its condition
		slip = frappe.get_print("RMA Receipt", first["receipt"], print_format="RMA Receiving Slip")
		self.assertIn("Damaged", slip)
		self.assertIn(ITEMS[2], slip)
		# the same request again (a double click, a retry) books nothing
		again = api.book(self.by_scan, key, counts=counts, conditions=conditions)
		self.assertFalse(again["booked"])
		self.assertEqual(again["receipt"], first["receipt"])
		self.assertEqual(_booked(self.by_scan), scan)
		# the label scanned again shows the receipt, expects nothing and refuses more
		reopened = api.open_parcel(self.by_scan)
		self.assertEqual(len(reopened["receipts"]), 1)
		self.assertIn("Damaged", [line.condition for line in reopened["receipts"][0]["lines"]])
		self.assertEqual(api.scan(self.by_scan, _ean(ITEMS[0]), counts={})["kind"], "over")
		with self.assertRaises(frappe.ValidationError):
			api.book(self.by_scan, frappe.generate_hash(length=12), counts=counts)
		self.assertEqual(_booked(self.by_scan), scan)
		self.assertEqual(frappe.db.count("RMA Receipt", {"rma": self.by_scan}), 1)

	def _name_serials(self, rma: str, item_code: str, serials: list[str]) -> str:
		"""Name `serials` on the RMA's line of `item_code` as staff do on the form (a save); the row."""
		doc = frappe.get_doc("RMA", rma)
		row = next(r for r in doc.items if r.item_code == item_code)
		row.serial_nos = "\n".join(serials)
		doc.flags.ignore_permissions = True
		doc.save()
		return row.name

	def _serial_scan(self, serial: str) -> str:
		"""The kind of answer to `serial` scanned after ITEMS[0]'s EAN on a parcel nothing was booked of."""
		line = next(
			r.name for r in frappe.get_doc("RMA", self.serial_parcel).items if r.item_code == ITEMS[0]
		)
		return api.scan(self.serial_parcel, serial, counts={}, awaiting=line)["kind"]

	def test_a_serial_in_another_open_request_of_the_same_item_is_found(self):
		other, sn = _rma(self.customer, self.user), "SN-OTHER-" + frappe.generate_hash(length=6)
		self._name_serials(other, ITEMS[0], [f"{sn}-1", f"{sn}-2"])
		self.assertEqual(receiving.serials_elsewhere(self.by_scan, ITEMS[0], [f"{sn}-2"]), {f"{sn}-2"})
		self.assertEqual(receiving.serials_elsewhere(other, ITEMS[0], [f"{sn}-2"]), set())  # its own
		self.assertEqual(receiving.serials_elsewhere(self.by_scan, ITEMS[1], [f"{sn}-2"]), set())
		self.assertEqual(receiving.serials_elsewhere(self.by_scan, ITEMS[0], [sn]), set())  # a part
		self.assertEqual(self._serial_scan(f"{sn}-2"), "serial_elsewhere")
		lifecycle.cancel(other, "test")  # a closed request holds no unit
		self.assertEqual(receiving.serials_elsewhere(self.by_scan, ITEMS[0], [f"{sn}-2"]), set())

	def test_the_scan_reads_the_requested_serials_kept_by_the_rma(self):
		other, sn = _rma(self.customer, self.user), "SN-KEPT-" + frappe.generate_hash(length=6)
		row = self._name_serials(other, ITEMS[0], [f"{sn}-1", f"{sn}-2"])
		held = {(r.serial_no, r.rma, r.rma_item) for r in requested_serials.holders([f"{sn}-1", f"{sn}-2"])}
		self.assertEqual(held, {(f"{sn}-1", other, row), (f"{sn}-2", other, row)})
		self.assertEqual(self._serial_scan(f"{sn}-1"), "serial_elsewhere")
		# the scan asks the table, not the lines' text: without the row the serial is free
		frappe.db.delete("RMA Requested Serial", {"rma": other, "serial_no": f"{sn}-1"})
		self.assertEqual(self._serial_scan(f"{sn}-1"), "counted")
		self._name_serials(other, ITEMS[0], [f"{sn}-2", f"{sn}-3"])  # an edit: rows follow the line
		self.assertEqual(
			{r.serial_no for r in frappe.get_all("RMA Requested Serial", {"rma": other}, ["serial_no"])},
			{f"{sn}-2", f"{sn}-3"},
		)

	def test_closing_or_deleting_a_request_frees_its_serials(self):
		sn = "SN-FREE-" + frappe.generate_hash(length=6)
		closings = {
			"cancel": lambda name: lifecycle.cancel(name, "test"),
			"reject": lambda name: lifecycle.reject(name, "test"),
			"delete": lambda name: frappe.delete_doc("RMA", name, force=True, ignore_permissions=True),
		}
		for n, (how, close) in enumerate(closings.items()):
			with self.subTest(how):
				other = _rma(self.customer, self.user)
				self._name_serials(other, ITEMS[0], [f"{sn}-{n}"])
				self.assertEqual(self._serial_scan(f"{sn}-{n}"), "serial_elsewhere")
				close(other)
				self.assertEqual(self._serial_scan(f"{sn}-{n}"), "counted")
				self.assertFalse(frappe.db.exists("RMA Requested Serial", {"rma": other}))

	def test_the_patch_fills_the_table_from_the_open_requests(self):
		from rma_portal.patches import fill_requested_serials

		sn = "SN-PATCH-" + frappe.generate_hash(length=6)
		open_rma, closed = _rma(self.customer, self.user), _rma(self.customer, self.user)
		row = self._name_serials(open_rma, ITEMS[0], [f"{sn}-1", f"{sn}-2"])
		self._name_serials(closed, ITEMS[1], [f"{sn}-3"])
		lifecycle.cancel(closed, "test")
		# a site from before the table: no rows for the open request, a stray one of the closed
		frappe.db.delete("RMA Requested Serial", {"rma": open_rma})
		frappe.db.sql(
			"""insert into `tabRMA Requested Serial` (name, serial_no, item_code, rma, rma_item)
			values (%s, %s, %s, %s, 'x')""",
			(frappe.generate_hash(), f"{sn}-3", ITEMS[1], closed),
		)
		fill_requested_serials.execute()
		rows = frappe.get_all(
			"RMA Requested Serial",
			{"serial_no": ["like", f"{sn}-%"]},
			["serial_no", "item_code", "rma", "rma_item"],
		)
		self.assertEqual(
			sorted((r.serial_no, r.item_code, r.rma, r.rma_item) for r in rows),
			[(f"{sn}-1", ITEMS[0], open_rma, row), (f"{sn}-2", ITEMS[0], open_rma, row)],
		)
		self.assertEqual(self._serial_scan(f"{sn}-2"), "serial_elsewhere")

	def test_portal_users_and_guests_are_refused(self):
		for user in (self.user, "Guest"):
			frappe.set_user(user)
			for call in (
				lambda: api.open_parcel(self.by_scan),
				lambda: api.scan(self.by_scan, _ean(ITEMS[0])),
				lambda: api.book(self.by_scan, "k", counts={}),
				lambda: api.record_unmatched("X"),
				lambda: api.unmatched_parcels(),
				lambda: api.match_parcel("x", self.by_scan),
				lambda: api.add_receipt_photo("x", "y"),
				lambda: api.add_parcel_photo("x"),
			):
				with self.assertRaises(frappe.PermissionError):
					call()

	def test_an_rma_manager_may_use_the_page(self):
		frappe.set_user(_manager())
		self.assertTrue(api.open_parcel(self.by_form)["found"])

	def test_unmatched_parcels_are_recorded_listed_and_matched(self):
		unknown = "RMA-NOPE-" + frappe.generate_hash(length=6)
		opened = api.open_parcel(unknown)
		self.assertFalse(opened["found"])
		name = api.record_unmatched(unknown, codes=[unknown, "4006381333931"], notes="wet box")["name"]
		listed = {p.name: p for p in api.unmatched_parcels()}
		self.assertIn(name, listed)
		self.assertIn("4006381333931", listed[name].scanned_codes)
		api.match_parcel(name, self.by_form)
		self.assertEqual(
			frappe.db.get_value("RMA Unmatched Parcel", name, ["status", "rma"]), ("Matched", self.by_form)
		)
		self.assertNotIn(name, {p.name for p in api.unmatched_parcels()})

	def test_a_cancelled_rma_is_not_received(self):
		rma = _rma(self.customer, self.user)
		lifecycle.cancel(rma, "test")
		opened = api.open_parcel(rma)
		self.assertFalse(opened["found"])
		self.assertIn("cannot be received", opened["reason"])


class TestReceivingOverHttp(FrappeTestCase):
	"""The page's requests as the web server serves them: each in its own thread and connection."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customer, cls.user = _scan_dealer()
		frappe.db.commit()
		cls.browser = _desk_browser()

	def setUp(self):
		frappe.set_user("Administrator")

	def _new_rma(self) -> str:
		rma = _rma(self.customer, self.user)
		frappe.db.commit()
		return rma

	def _book_call(self, rma: str, key: str):
		return self.browser.post_call(
			API + "book", {"rma": rma, "request_key": key, "counts": json.dumps(_all_counted(rma))}, csrf=True
		)

	def _receipts_and_notes(self, rma: str) -> tuple[int, int]:
		frappe.db.rollback()  # a fresh snapshot after the requests' commits
		notes = frappe.db.count("Delivery Note", {"rma": rma, "is_return": 1, "docstatus": 1})
		return frappe.db.count("RMA Receipt", {"rma": rma}), notes

	def test_one_booking_sent_twice_at_once_books_one_delivery_note(self):
		rma = self._new_rma()
		responses = concurrently([self._book_call(rma, "double-" + frappe.generate_hash(length=8))] * 2)
		self.assertEqual(
			[r.status_code for r in responses], [200, 200], [r.get_data()[:300] for r in responses]
		)
		answers = [r.json["message"] for r in responses]
		self.assertEqual(sorted(a["booked"] for a in answers), [False, True])
		self.assertEqual(answers[0]["receipt"], answers[1]["receipt"])
		self.assertEqual(self._receipts_and_notes(rma), (1, 1))
		self.assertEqual(frappe.db.get_value("RMA", rma, "status"), "Received")

	def test_two_receivers_booking_one_parcel_at_once_book_it_once(self):
		rma = self._new_rma()
		responses = concurrently(
			[
				self._book_call(rma, "a-" + frappe.generate_hash(length=8)),
				self._book_call(rma, "b-" + frappe.generate_hash(length=8)),
			]
		)
		statuses = sorted(r.status_code for r in responses)
		self.assertEqual(statuses, [200, 417], [r.get_data()[:300] for r in responses])
		refused = next(r for r in responses if r.status_code == 417).get_data(as_text=True)
		self.assertIn("more than requested", refused)
		self.assertEqual(self._receipts_and_notes(rma), (1, 1))

	def _photo(self, method: str, data: dict, name: str, content: bytes):
		return self.browser.post(API + method, {**data, "photo": (io.BytesIO(content), name)}, csrf=True)

	def test_photos_per_line_are_private_files_of_the_receipt(self):
		rma = self._new_rma()
		receipt = api.book(rma, frappe.generate_hash(length=12), counts=_all_counted(rma))["receipt"]
		frappe.db.commit()
		line = frappe.get_doc("RMA", rma).items[1].name
		added = self._photo(
			"add_receipt_photo", {"receipt": receipt, "line": line}, "dent.jpg", _image("JPEG")
		)
		self.assertEqual(added.status_code, 200, added.get_data()[:400])
		frappe.db.rollback()
		photos = frappe.get_doc("RMA Receipt", receipt).photos
		self.assertEqual([(p.rma_item, p.item_code) for p in photos], [(line, LINES[1][0])])
		file = frappe.get_doc("File", {"file_url": photos[0].photo})
		self.assertEqual(
			(file.is_private, file.attached_to_doctype, file.attached_to_name), (1, "RMA Receipt", receipt)
		)
		self.assertIn(LINES[1][0], str(api.open_parcel(rma)["receipts"][0]["lines"]))
		# a renamed page, a line of another RMA: refused with the app's message, nothing kept
		for data, name, content, text in (
			(
				{"receipt": receipt, "line": line},
				"dent.jpg",
				b"<html><script>alert(1)</script>",
				"not a JPEG or PNG",
			),
			({"receipt": receipt, "line": line}, "dent.jpg", FAKE_JPEG, "not a JPEG or PNG"),
			({"receipt": receipt, "line": "not-a-line"}, "dent.jpg", _image("JPEG"), "not a line of"),
		):
			refused = self._photo("add_receipt_photo", data, name, content)
			self.assertEqual(refused.status_code, 417, refused.get_data()[:300])
			self.assertIn(text, refused.get_data(as_text=True))
		frappe.db.rollback()
		self.assertEqual(len(frappe.get_doc("RMA Receipt", receipt).photos), 1)

	def test_photos_of_an_unmatched_parcel(self):
		parcel = api.record_unmatched("RMA-LOST-" + frappe.generate_hash(length=6), codes=[])["name"]
		frappe.db.commit()
		added = self._photo("add_parcel_photo", {"parcel": parcel}, "box.png", _image("PNG"))
		self.assertEqual(added.status_code, 200, added.get_data()[:400])
		self.assertEqual(added.json["message"]["photos"], 1)
		frappe.db.rollback()
		files = frappe.get_all(
			"File",
			{"attached_to_doctype": "RMA Unmatched Parcel", "attached_to_name": parcel},
			["is_private"],
		)
		self.assertEqual([f.is_private for f in files], [1])
		refused = self._photo("add_parcel_photo", {"parcel": parcel}, "manual.pdf", b"%PDF-1.7 x")
		self.assertEqual(refused.status_code, 417)
		self.assertIn("not a JPEG or PNG", refused.get_data(as_text=True))
