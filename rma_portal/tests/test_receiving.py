"""Receiving by scan (desk page RMA Receiving, api/receiving.py): staff only; a scanned parcel books
what the form's Receive books (same return Delivery Note lines, stock, status); a second booking or a
second scan of the label books nothing; unmatched parcels are recorded, listed and matched."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt

from rma_portal.api import receiving as api
from rma_portal.rma_portal.doctype.rma.test_rma import (
	ITEMS,
	REASON,
	_make_customer,
	_sell,
	prepare_returns_data,
)
from rma_portal.services.returns import lifecycle, returns
from rma_portal.tests.records import linked_doctypes

test_ignore = linked_doctypes("RMA")

LINES = [(ITEMS[0], 2), (ITEMS[1], 1), (ITEMS[2], 3)]


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
		frappe.set_user("Administrator")
		prepare_returns_data()
		_give_barcodes()
		cls.customer, cls.user = _make_customer("Scan Dealer")
		frappe.set_user("Administrator")
		cls.by_form, cls.by_scan = _rma(cls.customer, cls.user), _rma(cls.customer, cls.user)
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
			):
				with self.assertRaises(frappe.PermissionError):
					call()

	def test_an_rma_manager_may_use_the_page(self):
		manager = "rma-receiving-manager@example.com"
		if not frappe.db.exists("User", manager):
			frappe.get_doc({"doctype": "User", "email": manager, "first_name": "Receiver"}).insert(
				ignore_permissions=True
			)
		frappe.get_doc("User", manager).add_roles("RMA Manager")
		frappe.set_user(manager)
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
