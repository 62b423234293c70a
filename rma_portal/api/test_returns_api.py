"""The portal API for returns as a customer's user calls it: the company boundary, and a
candidates page whose query count does not grow with the order history."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, fmt_money, now_datetime, today

from rma_portal import access
from rma_portal.api import returns as api
from rma_portal.rma_portal.doctype.rma.test_rma import (
	ITEMS,
	REASON,
	ReturnsCase,
	_make_item,
	_make_reason,
	_portal_return,
	_sell,
)
from rma_portal.services.history import delivered_lines
from rma_portal.services.returns import candidates, returns
from rma_portal.tests.records import insert_rows, item_row


class TestReturnsApiBoundary(ReturnsCase):
	DEALERS = ("API Owner", "API Other")

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sale = _sell(cls.customer, [(ITEMS[0], 3, 7.0), (ITEMS[1], 2, 4.0)])
		cls.rma = _portal_return(cls.user, cls.sale.dn.items[0].name)

	def tearDown(self):
		frappe.set_user("Administrator")
		access.clear_cache()

	def test_owner_sees_own_lines_and_request(self):
		frappe.set_user(self.user)
		lines = api.get_candidates()["rows"]
		self.assertEqual({row["delivery_note"] for row in lines}, {self.sale.dn.name})
		# each line's price as Frappe's fmt_money writes it in the customer's currency
		currency = api.customer_currency(self.customer)
		self.assertEqual(
			[row["rate_display"] for row in lines],
			[fmt_money(row["rate"], currency=currency) for row in lines],
		)
		self.assertIn(self.rma, [row["name"] for row in api.list_rmas()["rows"]])
		api.download_documents(self.rma)
		self.assertTrue(frappe.local.response.filecontent.startswith(b"%PDF"))

	def test_the_kept_count_follows_a_deleted_older_request(self):
		"""The list's total is kept per version of the customer's RMAs (their newest `modified`):
		deleting an older one leaves that as it was, and the total must still drop."""
		frappe.set_user(self.user)
		before = api.list_rmas()["total"]
		older = _portal_return(self.user, self.sale.dn.items[1].name)
		newer = _portal_return(self.user, self.sale.dn.items[1].name)
		self.addCleanup(frappe.db.commit)
		self.addCleanup(frappe.delete_doc, "RMA", newer, force=True, ignore_permissions=True)
		frappe.set_user(self.user)
		self.assertEqual(api.list_rmas()["total"], before + 2)
		frappe.set_user("Administrator")
		frappe.delete_doc("RMA", older, force=True, ignore_permissions=True)
		frappe.db.commit()
		frappe.set_user(self.user)
		page = api.list_rmas()
		self.assertEqual(page["total"], before + 1)
		self.assertNotIn(older, [row["name"] for row in page["rows"]])

	def test_other_customer_gets_nothing_of_it(self):
		frappe.set_user(self.other_user)
		self.assertNotIn(self.sale.dn.name, {row["delivery_note"] for row in api.get_candidates()["rows"]})
		self.assertNotIn(self.rma, [row["name"] for row in api.list_rmas(search=self.rma)["rows"]])
		with self.assertRaises(frappe.PermissionError):
			api.download_documents(self.rma)
		with self.assertRaises(frappe.PermissionError):
			returns.rma_detail(access.portal_customer(), self.rma)

	def test_other_customer_cannot_return_the_owners_line(self):
		frappe.set_user(self.other_user)
		with self.assertRaises(frappe.ValidationError):
			api.submit_return(
				lines=[{"delivery_note_item": self.sale.dn.items[1].name, "qty": 1}],
				return_reason=REASON,
				terms_accepted=1,
			)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("RMA Item", {"delivery_note_item": self.sale.dn.items[1].name}))

	def test_guest_is_refused_everywhere(self):
		frappe.set_user("Guest")
		for call in (
			lambda: api.get_candidates(),
			lambda: api.list_rmas(),
			lambda: api.download_documents(self.rma),
			lambda: api.submit_return(lines=[], terms_accepted=1),
		):
			with self.assertRaises(frappe.PermissionError):
				call()


class TestCandidatesQueryCount(FrappeTestCase):
	"""The same queries whether the customer has 100 or 5,000 delivered lines.

	The lines are written straight into the delivery note tables (submitted, in the history
	window) because only those rows matter to the query, and 5,000 lines made through ERPNext
	would take minutes. Everything is rolled back afterwards.
	"""

	def setUp(self):
		frappe.set_user("Administrator")
		self.small = self._customer_with_lines("Scale 100", 100)
		self.large = self._customer_with_lines("Scale 5000", 5000)

	def tearDown(self):
		frappe.db.rollback()

	def _customer_with_lines(self, prefix: str, count: int) -> str:
		customer = (
			frappe.get_doc(
				{
					"doctype": "Customer",
					"customer_name": f"{prefix} {frappe.generate_hash(length=6)}",
					"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
					"territory": frappe.db.get_value("Territory", {"is_group": 0}) or "All Territories",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		company = frappe.defaults.get_global_default("company")
		now = now_datetime()
		per_note = 100
		notes, lines = [], []
		for n in range((count + per_note - 1) // per_note):
			note = f"SCALE-{frappe.generate_hash(length=10)}"
			notes.append(
				{
					"name": note,
					"customer": customer,
					"company": company,
					"posting_date": add_days(today(), -(n % 300)),
					"posting_time": "10:00:00",
					"docstatus": 1,
					"is_return": 0,
					"currency": "EUR",
					"creation": now,
					"modified": now,
				}
			)
			lines += [
				item_row(
					note,
					"Delivery Note",
					idx,
					now,
					item_code=ITEMS[idx % 2],
					item_name="Scale item",
					qty=2,
					net_rate=5.0,
					uom="Nos",
				)
				for idx in range(1, min(per_note, count - n * per_note) + 1)
			]
		insert_rows("Delivery Note", notes)
		insert_rows("Delivery Note Item", lines)
		delivered_lines.rebuild(customer)  # what the Delivery Note's submit hook writes
		return customer

	def test_query_count_same_for_100_and_5000_lines(self):
		returns.candidate_lines(self.small)  # warm the settings cache
		for customer, total in ((self.small, 100), (self.large, 5000)):
			with self.assertQueryCount(3):  # the page, the count, the page's quantities
				page = returns.candidate_lines(customer, page=3)
			self.assertEqual(page["total"], total)
			self.assertEqual(len(page["rows"]), 20)
			with self.assertQueryCount(3):
				filtered = returns.candidate_lines(customer, filters={"item_code": ITEMS[1]})
			# a search counts up to SEARCH_COUNT_CAP matches and says when there are more
			cap = candidates.SEARCH_COUNT_CAP
			self.assertEqual((filtered["total"], filtered["more"]), (min(total // 2, cap), total // 2 > cap))
			self.assertEqual(len(filtered["rows"]), 20)
			with self.assertQueryCount(2):  # a quantity search: one statement over the history
				by_quantity = returns.candidate_lines(customer, filters={"qty_returnable": "2"})
			self.assertEqual((by_quantity["total"], by_quantity["more"]), (min(total, cap), total > cap))
			if filtered["more"]:  # pages past the counted ones still come
				beyond = returns.candidate_lines(
					customer, filters={"item_code": ITEMS[1]}, page=cap // 20 + 2
				)
				self.assertEqual(len(beyond["rows"]), 20)
