"""The benchmark's cloned history reads through the app exactly as the documents it was copied from."""

import frappe
from frappe.tests.utils import FrappeTestCase

from rma_portal.demo.bench_data import clone_history, delivered_lines, rebuild_derived
from rma_portal.rma_portal.doctype.rma import test_rma as data
from rma_portal.services.returns import returns
from rma_portal.services.returns.rma_lists import list_rmas

QUANTITIES = ("qty_ordered", "qty_delivered", "qty_returned", "qty_requested", "qty_returnable", "rate")


class TestBenchData(FrappeTestCase):
	def test_cloned_lines_have_their_seed_lines_quantities(self):
		from erpnext.stock.doctype.delivery_note.delivery_note import make_sales_return

		data.prepare_returns_data()
		seed, seed_user = data._make_customer("Bench Seed")
		sale = data._sell(seed, [(code, 4, 10.0) for code in data.ITEMS[:3]])
		# ERPNext's own return of 1 unit of the second line, an open RMA for 2 units of the first
		ret = make_sales_return(sale.dn.name)
		ret.items = [row for row in ret.items if row.dn_detail == sale.dn.items[1].name]
		ret.items[0].qty = -1
		ret.insert(ignore_permissions=True)
		ret.submit()
		data._request(seed, seed_user, sale.dn.items[0].name, 2)
		clone, clone_user = data._make_customer("Bench Clone")

		clone_history(seed, clone, clone_user, copies=2, tag="T")
		rebuild_derived(clone)

		self.assertEqual(delivered_lines(clone), 2 * delivered_lines(seed))
		seed_rows = {r["delivery_note_item"]: r for r in returns.candidate_lines(seed, page_size=100)["rows"]}
		clone_rows = {
			r["delivery_note_item"]: r for r in returns.candidate_lines(clone, page_size=100)["rows"]
		}
		self.assertEqual(len(seed_rows), 3)
		self.assertEqual(len(clone_rows), 6)
		for name, row in seed_rows.items():
			for copy in (1, 2):
				cloned = clone_rows[f"{name}-T-{copy}"]
				self.assertEqual(
					{key: cloned[key] for key in QUANTITIES}, {key: row[key] for key in QUANTITIES}, name
				)
				self.assertEqual(cloned["sales_order"], f"{row['sales_order']}-T-{copy}")
		# the quantities are the real ones: 1 returned through ERPNext, 2 requested
		self.assertEqual(seed_rows[sale.dn.items[1].name]["qty_returned"], 1)
		self.assertEqual(seed_rows[sale.dn.items[0].name]["qty_requested"], 2)
		# the RMA list of the clone: the seed's RMA twice, the clone's own user as its portal user
		rmas = list_rmas(clone, page_size=50)["rows"]
		self.assertEqual(len(rmas), 2)
		self.assertEqual(set(frappe.get_all("RMA", {"customer": clone}, pluck="portal_user")), {clone_user})
		frappe.db.rollback()
