"""Credit notes of RMAs as an accountant checks them, over the books a European distributor keeps.

Each case sells with ERPNext's documents (Sales Order -> Delivery Note -> Sales Invoice), files an RMA
for part of it through the returns service, receives it (a Delivery Note return) and credits it;
then the credit note must equal ERPNext's own return (`make_return_doc`) for the same quantities plus
the fee as configured (net + VAT at the invoice's rate, in the company's currency, never discounted,
on the fee item's own income account), the General Ledger must balance, and stock, serials and
batches must be back where ERPNext would put them. Every case runs with and without the fee.

The data is made here, with unique names, and committed (short transactions, as test_rma.py).
"""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, nowtime, today

from rma_portal.demo import books
from rma_portal.services.returns import credit_note, lifecycle, returns
from rma_portal.tests.records import linked_doctypes

test_ignore = linked_doctypes("RMA")

FEE = 2.5
REASON = "Test Matrix Reason"
FEE_ITEM = "RMA-MX-FEE"
PLAIN, PLAIN_LOW = "RMA-MX-PLAIN", "RMA-MX-LOW"
SERIAL, BATCH = "RMA-MX-SERIAL", "RMA-MX-BATCH"


def _company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")


def _abbr() -> str:
	return frappe.get_cached_value("Company", _company(), "abbr")


def _warehouse() -> str:
	company = _company()
	return frappe.db.get_value(
		"Warehouse", {"company": company, "is_group": 0, "warehouse_name": "Stores"}
	) or frappe.db.get_value("Warehouse", {"company": company, "is_group": 0})


def _account(name: str, root_type: str, account_type: str = "") -> str:
	"""A ledger account of the company, made once as the demo's books make theirs."""
	return books.ledger_account(_company(), name, root_type, account_type)


def _item(code: str, **extra):
	if frappe.db.exists("Item", code):
		return
	frappe.get_doc(
		{
			"doctype": "Item",
			"item_code": code,
			"item_name": f"Matrix {code}",
			"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
			"stock_uom": "Nos",
			"is_stock_item": 1,
			"is_sales_item": 1,
			"valuation_rate": 10,
			**extra,
		}
	).insert(ignore_permissions=True)


def _tax_template(title: str, rates: dict[str, float]) -> str:
	return books.item_tax_template(_company(), title, rates)


def _receive_stock(serials: list[str], batch: str):
	company, warehouse = _company(), _warehouse()
	for serial in serials:
		if not frappe.db.exists("Serial No", serial):
			frappe.get_doc({"doctype": "Serial No", "serial_no": serial, "item_code": SERIAL}).insert(
				ignore_permissions=True
			)
	if not frappe.db.exists("Batch", batch):
		frappe.get_doc({"doctype": "Batch", "batch_id": batch, "item": BATCH}).insert(ignore_permissions=True)
	rows = [{"item_code": code, "qty": 200} for code in (PLAIN, PLAIN_LOW)]
	rows.append({"item_code": SERIAL, "qty": len(serials), "serial_no": "\n".join(serials)})
	rows.append({"item_code": BATCH, "qty": 200, "batch_no": batch})
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"company": company,
			"items": [
				{**row, "t_warehouse": warehouse, "basic_rate": 10, "use_serial_batch_fields": 1}
				for row in rows
			],
		}
	)
	entry.insert(ignore_permissions=True)
	entry.submit()


def _stock_setting(field: str, value: int):
	frappe.db.set_single_value("Stock Settings", field, value)
	frappe.clear_cache(doctype="Stock Settings")


class TestCreditMatrix(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		from rma_portal.demo.data import make_customer

		abbr_suffix = frappe.generate_hash(length=6)
		cls.vat21 = _account("RMA Matrix VAT 21", "Liability", "Tax")
		cls.vat9 = _account("RMA Matrix VAT 9", "Liability", "Tax")
		cls.fee_account = _account("RMA Matrix Return Fees", "Income", "Income Account")
		cls.t21 = _tax_template("RMA Matrix 21", {cls.vat21: 21, cls.vat9: 0})
		cls.t9 = _tax_template("RMA Matrix 9", {cls.vat21: 0, cls.vat9: 9})
		for code in (PLAIN, PLAIN_LOW):
			_item(code)
		_item(SERIAL, has_serial_no=1)
		_item(BATCH, has_batch_no=1)
		_item(
			FEE_ITEM,
			is_stock_item=0,
			item_defaults=[{"company": _company(), "income_account": cls.fee_account}],
			taxes=[{"item_tax_template": cls.t21}],
		)
		if not frappe.db.exists("RMA Return Reason", REASON):
			frappe.get_doc(
				{"doctype": "RMA Return Reason", "reason": REASON, "default_handling": "Credit", "enabled": 1}
			).insert(ignore_permissions=True)
		cls.serials = [f"MX{abbr_suffix}-{n:03d}" for n in range(1, 31)]
		cls.batch = f"MXB-{abbr_suffix}"
		_receive_stock(cls.serials, cls.batch)
		cls.customer, cls.user = f"Matrix Dealer {abbr_suffix}", f"mx-{abbr_suffix}@example.com"
		make_customer(cls.customer, cls.user, "Mx", "Dealer")
		cls.usd_customer = f"Matrix USD Dealer {abbr_suffix}"
		make_customer(cls.usd_customer, f"mxusd-{abbr_suffix}@example.com", "Mx", "Usd")
		books.usd_receivable(cls.usd_customer, _company())
		cls.usd_user = f"mxusd-{abbr_suffix}@example.com"
		cls.settings_before = frappe.get_single("RMA Settings").as_dict()
		cls.stock_before = {
			f: frappe.db.get_single_value("Stock Settings", f) for f in ("use_serial_batch_fields",)
		}
		cls.next_serial = 0
		cls.warehouses = {}
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		settings = frappe.get_single("RMA Settings")
		for field in ("fee_amount", "fee_item", "fee_includes_vat", "fee_vat"):
			settings.set(field, cls.settings_before.get(field))
		settings.save(ignore_permissions=True)
		for field, value in cls.stock_before.items():
			_stock_setting(field, value)
		frappe.db.commit()
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")
		self._settings(gross=0, vat="As on the Invoice")

	def _settings(self, gross: int, vat: str):
		settings = frappe.get_single("RMA Settings")
		settings.fee_amount = FEE
		settings.fee_item = FEE_ITEM
		settings.fee_includes_vat = gross
		settings.fee_vat = vat
		settings.save(ignore_permissions=True)
		frappe.db.commit()

	def _take_serials(self, n: int) -> list[str]:
		cls = type(self)
		taken = cls.serials[cls.next_serial : cls.next_serial + n]
		cls.next_serial += n
		return taken

	# -- selling ------------------------------------------------------------------------------
	def _sell(
		self, lines, customer=None, taxes=None, header=None, serials=None, bundle_only=False, company=None
	):
		"""lines: (item, qty, rate, extra fields); one order, delivery and invoice, submitted."""
		from erpnext.selling.doctype.sales_order.sales_order import make_delivery_note

		so = frappe.get_doc(
			{
				"doctype": "Sales Order",
				"customer": customer or self.customer,
				"company": company or _company(),
				"transaction_date": today(),
				"delivery_date": add_days(today(), 5),
				"set_warehouse": self.warehouses.get(company) or _warehouse(),
				"items": [
					{
						"item_code": code,
						"qty": qty,
						"rate": rate,
						"delivery_date": add_days(today(), 5),
						**extra,
					}
					for code, qty, rate, extra in lines
				],
				"taxes": taxes or [],
				**(header or {}),
			}
		)
		so.insert(ignore_permissions=True)
		so.submit()
		dn = make_delivery_note(so.name)
		for item in dn.items:
			if item.item_code == SERIAL:
				self._deliver_serials(dn, item, serials, bundle_only)
			elif item.item_code == BATCH:
				item.use_serial_batch_fields, item.batch_no = 1, self.batch
		si = books.deliver_and_invoice(dn)
		frappe.db.commit()
		return frappe._dict(so=so, dn=dn, si=si)

	def _deliver_serials(self, dn, item, serials, bundle_only):
		if not bundle_only:
			item.use_serial_batch_fields, item.serial_no = 1, "\n".join(serials)
			return
		from erpnext.stock.serial_batch_bundle import SerialBatchCreation

		bundle = SerialBatchCreation(
			{
				"item_code": SERIAL,
				"warehouse": item.warehouse,
				"voucher_type": "Delivery Note",
				"posting_date": today(),
				"posting_time": nowtime(),
				"qty": len(serials),
				"type_of_transaction": "Outward",
				"company": dn.company,
				"serial_nos": serials,
				"do_not_submit": True,
			}
		).make_serial_and_batch_bundle()
		item.use_serial_batch_fields, item.serial_no, item.serial_and_batch_bundle = 0, None, bundle.name

	def _vat(self, rate=21, included=0):
		return [
			{
				"charge_type": "On Net Total",
				"account_head": self.vat21,
				"rate": rate,
				"description": f"VAT {rate}%",
				"included_in_print_rate": included,
			}
		]

	# -- returning ----------------------------------------------------------------------------
	def _return(self, sale, wanted: dict, with_fee: bool, customer=None, user=None, serials=None):
		"""RMA for {item code: qty} of the sale, received in full and credited; returns (rma, credit note)."""
		lines = []
		for item in sale.dn.items:
			if item.item_code in wanted:
				line = {"delivery_note_item": item.name, "qty": wanted[item.item_code]}
				if serials and item.item_code in serials:
					line["serial_nos"] = "\n".join(serials[item.item_code])
				lines.append(line)
		name = returns.create_return_rma(
			customer or self.customer,
			user or self.user,
			lines,
			return_reason=REASON,
			terms_accepted=True,
		)
		if not with_fee:
			frappe.db.set_value("RMA", name, "fee_amount", 0)
		rma = frappe.get_doc("RMA", name)
		lifecycle.receive(
			name,
			{row.name: row.qty_requested for row in rma.items},
			{row.name: "Credit" for row in rma.items},
		)
		made = credit_note.make_credit_note(name)
		frappe.db.commit()
		return frappe.get_doc("RMA", name), frappe.get_doc("Sales Invoice", made)

	def _erpnext_return(self, sale, cn):
		"""ERPNext's own return of the invoice for the credit note's quantities (not saved)."""
		from erpnext.controllers.sales_and_purchase_return import make_return_doc

		wanted = {}  # a line may be split per return note that took its units back
		for item in cn.items:
			wanted[item.sales_invoice_item] = wanted.get(item.sales_invoice_item, 0) + flt(item.qty)
		ref = make_return_doc("Sales Invoice", sale.si.name)
		ref.items = [item for item in ref.items if item.sales_invoice_item in wanted]
		for idx, item in enumerate(ref.items, start=1):
			item.idx, item.qty = idx, wanted[item.sales_invoice_item]
			item.stock_qty = item.qty * flt(item.conversion_factor or 1)
		ref.calculate_taxes_and_totals()
		return ref

	def _expected_fee(self, cn, fee_rates: list[float], gross=False) -> tuple[float, list[float]]:
		company_currency = frappe.get_cached_value("Company", cn.company, "default_currency")
		amount = FEE if cn.currency == company_currency else flt(FEE / flt(cn.conversion_rate), 2)
		if gross:
			net = flt(amount / (1 + sum(fee_rates) / 100), 2)
			vats = [flt(net * rate / 100, 2) for rate in fee_rates]
			return flt(amount - sum(vats), 2), vats
		return amount, [flt(amount * rate / 100, 2) for rate in fee_rates]

	def _check(self, sale, rma, cn, with_fee: bool, fee_rates=(21,), gross=False, fee_account=None):
		ref = self._erpnext_return(sale, cn)
		fee_rows = [tax for tax in cn.taxes if rma.name in (tax.description or "")]
		goods_rows = [tax for tax in cn.taxes if tax not in fee_rows]
		# the goods: exactly ERPNext's own return
		self.assertEqual((cn.is_return, cn.return_against, cn.docstatus), (1, sale.si.name, 1))
		self.assertAlmostEqual(flt(cn.net_total), flt(ref.net_total), 2)
		self.assertAlmostEqual(flt(cn.discount_amount), flt(ref.discount_amount), 2)
		self.assertEqual(len(goods_rows), len(ref.taxes))
		for ours, theirs in zip(goods_rows, ref.taxes, strict=True):
			self.assertEqual(ours.account_head, theirs.account_head)
			self.assertAlmostEqual(
				flt(ours.tax_amount_after_discount_amount), flt(theirs.tax_amount_after_discount_amount), 2
			)
		# the fee: net on its own income account, then its VAT, in the credit note's currency
		fee_net, fee_vats = self._expected_fee(cn, list(fee_rates), gross) if with_fee else (0, [])
		fee_vats = [vat for vat in fee_vats if vat]
		if with_fee:
			self.assertEqual(fee_rows[0].account_head, fee_account or self.fee_account)
			self.assertAlmostEqual(flt(fee_rows[0].tax_amount), fee_net, 2)
			self.assertEqual([flt(row.tax_amount) for row in fee_rows[1:]], fee_vats)
			self.assertTrue(all(row.charge_type == "Actual" for row in fee_rows))
		else:
			self.assertEqual(fee_rows, [])
		self.assertAlmostEqual(
			flt(cn.grand_total), flt(ref.grand_total) + fee_net + sum(fee_vats), 2, msg=rma.name
		)
		self._check_ledger(cn, fee_net if with_fee else 0, fee_account or self.fee_account)
		return ref

	def _check_ledger(self, cn, fee_net: float, fee_account: str):
		rows = frappe.get_all(
			"GL Entry",
			filters={"voucher_type": "Sales Invoice", "voucher_no": cn.name, "is_cancelled": 0},
			fields=["account", "debit", "credit"],
		)
		self.assertTrue(rows)
		self.assertAlmostEqual(sum(flt(r.debit) for r in rows), sum(flt(r.credit) for r in rows), 2)
		fee_income = sum(flt(r.credit) - flt(r.debit) for r in rows if r.account == fee_account)
		self.assertAlmostEqual(fee_income, flt(fee_net * flt(cn.conversion_rate or 1), 2), 2)

	# -- the matrix ---------------------------------------------------------------------------
	def test_vat_exclusive(self):
		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = self._sell([(PLAIN, 4, 50.0, {})], taxes=self._vat())
				rma, cn = self._return(sale, {PLAIN: 2}, with_fee)
				ref = self._check(sale, rma, cn, with_fee)
				self.assertAlmostEqual(flt(ref.grand_total), -121.0, 2)
				if with_fee:
					self.assertAlmostEqual(
						flt(cn.grand_total), -121.0 + 2.5 + 0.52, 2
					)  # 0.525 rounded as ERPNext rounds

	def test_vat_included_in_the_rate(self):
		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = self._sell([(PLAIN, 4, 60.5, {})], taxes=self._vat(included=1))
				rma, cn = self._return(sale, {PLAIN: 1}, with_fee)
				ref = self._check(sale, rma, cn, with_fee)
				self.assertAlmostEqual(flt(ref.grand_total), -60.5, 2)

	def test_item_tax_templates_9_and_21(self):
		vat9 = {"charge_type": "On Net Total", "account_head": self.vat9, "rate": 9, "description": "VAT 9%"}
		taxes = [*self._vat(), vat9]
		lines = [
			(PLAIN, 4, 50.0, {"item_tax_template": self.t21}),
			(PLAIN_LOW, 4, 20.0, {"item_tax_template": self.t9}),
		]
		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = self._sell(lines, taxes=taxes)
				rma, cn = self._return(sale, {PLAIN: 1, PLAIN_LOW: 2}, with_fee)
				# the fee carries the fee item's own rate (21%), not the sum of the invoice's rows
				ref = self._check(sale, rma, cn, with_fee, fee_rates=(21, 0))
				self.assertAlmostEqual(flt(ref.grand_total), -(50 * 1.21 + 40 * 1.09), 2)

	def test_line_and_invoice_discount_on_net_total(self):
		header = {"apply_discount_on": "Net Total", "additional_discount_percentage": 5}
		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = self._sell(
					[(PLAIN, 4, 50.0, {"discount_percentage": 10, "price_list_rate": 50.0})],
					taxes=self._vat(),
					header=header,
				)
				rma, cn = self._return(sale, {PLAIN: 2}, with_fee)
				self._check(sale, rma, cn, with_fee)

	def test_discount_on_grand_total_leaves_the_fee_alone(self):
		header = {"apply_discount_on": "Grand Total", "additional_discount_percentage": 5}
		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = self._sell([(PLAIN, 4, 50.0, {})], taxes=self._vat(), header=header)
				rma, cn = self._return(sale, {PLAIN: 2}, with_fee)
				ref = self._check(sale, rma, cn, with_fee)
				self.assertAlmostEqual(flt(cn.discount_amount), flt(ref.discount_amount), 2)

	def test_usd_customer_fee_in_company_currency(self):
		header = {"currency": "USD", "conversion_rate": 0.9, "selling_price_list": "Standard Selling"}
		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = self._sell(
					[(PLAIN, 4, 50.0, {})], customer=self.usd_customer, taxes=self._vat(), header=header
				)
				self.assertEqual((sale.si.currency, flt(sale.si.conversion_rate)), ("USD", 0.9))
				rma, cn = self._return(
					sale, {PLAIN: 2}, with_fee, customer=self.usd_customer, user=self.usd_user
				)
				self.assertEqual(cn.currency, "USD")
				self._check(sale, rma, cn, with_fee)
				if with_fee:  # 2.50 EUR, not 2.50 USD
					self.assertEqual((flt(rma.fee_amount), rma.fee_currency), (FEE, "EUR"))
					fee = next(t for t in cn.taxes if rma.name in (t.description or ""))
					self.assertAlmostEqual(flt(fee.base_tax_amount), FEE, 1)

	def test_usd_rma_over_two_invoices(self):
		"""One RMA over two USD invoices: a credit note per invoice, each ERPNext's own return, the fee
		(converted) on the first only."""
		header = {"currency": "USD", "conversion_rate": 0.9, "selling_price_list": "Standard Selling"}
		sales = [
			self._sell([(PLAIN, 3, rate, {})], customer=self.usd_customer, taxes=self._vat(), header=header)
			for rate in (40.0, 60.0)
		]
		name = returns.create_return_rma(
			self.usd_customer,
			self.usd_user,
			[{"delivery_note_item": sale.dn.items[0].name, "qty": 2} for sale in sales],
			return_reason=REASON,
			terms_accepted=True,
		)
		rma = frappe.get_doc("RMA", name)
		lifecycle.receive(name, {row.name: 2 for row in rma.items}, {row.name: "Credit" for row in rma.items})
		credit_note.make_credit_note(name)
		frappe.db.commit()
		rma = frappe.get_doc("RMA", name)
		made = [frappe.get_doc("Sales Invoice", cn) for cn in credit_note.credit_notes_of(name)]
		self.assertEqual(sorted(cn.return_against for cn in made), sorted(sale.si.name for sale in sales))
		self.assertEqual({cn.currency for cn in made}, {"USD"})
		by_invoice = {sale.si.name: sale for sale in sales}
		with_fee = [cn for cn in made if any(rma.name in (t.description or "") for t in cn.taxes)]
		self.assertEqual(len(with_fee), 1)
		for cn in made:
			self._check(by_invoice[cn.return_against], rma, cn, cn in with_fee)
		self.assertAlmostEqual(flt(rma.total_credited), -sum(flt(cn.grand_total) for cn in made), 2)

	def test_cash_rounding_to_five_cents(self):
		"""A customer invoiced in CHF, whose smallest fraction is 0.05: the credit note is ERPNext's own
		return plus the fee, rounded to 0.05 by ERPNext; the ledger balances (round-off account)."""
		from rma_portal.demo import books

		frappe.db.set_value("Currency", "CHF", {"enabled": 1, "smallest_currency_fraction_value": 0.05})
		frappe.db.set_single_value("Global Defaults", "disable_rounded_total", 0)
		from rma_portal.demo.data import make_customer

		suffix = frappe.generate_hash(length=6)
		customer, user = f"Matrix CHF Dealer {suffix}", f"mxchf-{suffix}@example.com"
		make_customer(customer, user, "Mx", "Chf")
		books.usd_receivable(customer, _company(), "CHF")
		frappe.db.commit()
		header = {"currency": "CHF", "conversion_rate": 1.07, "selling_price_list": "Standard Selling"}
		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = self._sell(
					[(PLAIN, 3, 33.37, {})], customer=customer, taxes=self._vat(), header=header
				)
				rma, cn = self._return(sale, {PLAIN: 2}, with_fee, customer=customer, user=user)
				self._check(sale, rma, cn, with_fee)
				self.assertEqual(cn.currency, "CHF")
				self.assertAlmostEqual(round(flt(cn.rounded_total) / 0.05) * 0.05, flt(cn.rounded_total), 6)
				self.assertAlmostEqual(
					flt(cn.rounded_total), flt(cn.grand_total) + flt(cn.rounding_adjustment), 2
				)

	def test_paid_original_invoice_keeps_its_own_balance(self):
		from erpnext.accounts.doctype.payment_entry.payment_entry import get_payment_entry

		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = self._sell([(PLAIN, 4, 50.0, {})], taxes=self._vat())
				payment = get_payment_entry("Sales Invoice", sale.si.name)
				payment.reference_no, payment.reference_date = "MX", today()
				payment.insert(ignore_permissions=True)
				payment.submit()
				frappe.db.commit()
				rma, cn = self._return(sale, {PLAIN: 2}, with_fee)
				self._check(sale, rma, cn, with_fee)
				self.assertEqual(cn.update_outstanding_for_self, 1)
				self.assertAlmostEqual(flt(cn.outstanding_amount), flt(cn.grand_total), 2)
				self.assertEqual(
					flt(frappe.db.get_value("Sales Invoice", sale.si.name, "outstanding_amount")), 0
				)

	def test_batch_item_back_into_its_batch(self):
		from erpnext.stock.doctype.batch.batch import get_batch_qty

		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = self._sell([(BATCH, 5, 30.0, {})], taxes=self._vat())
				before = flt(get_batch_qty(self.batch, _warehouse()))
				rma, cn = self._return(sale, {BATCH: 2}, with_fee)
				self.assertEqual(rma.items[0].batch_no, self.batch)
				self.assertEqual(flt(get_batch_qty(self.batch, _warehouse())), before + 2)
				self._check(sale, rma, cn, with_fee)

	def _serial_case(self, bundle_only: bool, delivered: int, returned: int, with_fee: bool):
		_stock_setting("use_serial_batch_fields", 0 if bundle_only else 1)
		units = self._take_serials(delivered)
		sale = self._sell(
			[(SERIAL, delivered, 100.0, {})], taxes=self._vat(), serials=units, bundle_only=bundle_only
		)
		back = units[-returned:]  # not the first by sort order: the ones the dealer names come back
		rma, cn = self._return(sale, {SERIAL: returned}, with_fee, serials={SERIAL: back})
		self.assertEqual(rma.items[0].serial_nos.split("\n"), back)
		self.assertEqual(rma.items[0].received_serial_nos.split("\n"), back)
		warehouse = _warehouse()
		for serial in units:
			expected = warehouse if serial in back else None
			self.assertEqual(frappe.db.get_value("Serial No", serial, "warehouse"), expected, serial)
		self._check(sale, rma, cn, with_fee)
		return units

	def test_serial_item_partial_and_full_in_both_stock_settings_modes(self):
		for bundle_only in (False, True):
			for delivered, returned in ((3, 1), (2, 2)):
				for with_fee in (True, False):
					with self.subTest(
						bundle_only=bundle_only, returned=f"{returned}/{delivered}", fee=with_fee
					):
						self._serial_case(bundle_only, delivered, returned, with_fee)

	def test_fee_gross_and_without_vat(self):
		self._settings(gross=1, vat="As on the Invoice")
		sale = self._sell([(PLAIN, 4, 50.0, {})], taxes=self._vat())
		rma, cn = self._return(sale, {PLAIN: 2}, True)
		self._check(sale, rma, cn, True, gross=True)
		fee_total = sum(flt(t.tax_amount) for t in cn.taxes if rma.name in (t.description or ""))
		self.assertAlmostEqual(fee_total, FEE, 2)

		self._settings(gross=0, vat="No VAT")
		sale = self._sell([(PLAIN, 4, 50.0, {})], taxes=self._vat())
		rma, cn = self._return(sale, {PLAIN: 2}, True)
		self._check(sale, rma, cn, True, fee_rates=())

	def test_credit_note_cancelled_and_made_again(self):
		sale = self._sell([(PLAIN, 4, 50.0, {})], taxes=self._vat())
		rma, first = self._return(sale, {PLAIN: 2}, True)
		first.cancel()
		frappe.db.commit()
		second = frappe.get_doc("Sales Invoice", credit_note.make_credit_note(rma.name))
		self.assertNotEqual(second.name, first.name)
		self.assertAlmostEqual(flt(second.grand_total), flt(first.grand_total), 2)
		self._check(sale, frappe.get_doc("RMA", rma.name), second, True)


class OnTheMatrix(FrappeTestCase):
	"""Tests that work with TestCreditMatrix's data and helpers (cls.m, self._case()); no tests of its
	own."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		TestCreditMatrix.setUpClass()
		cls.m = TestCreditMatrix

	@classmethod
	def tearDownClass(cls):
		TestCreditMatrix.tearDownClass()
		super().tearDownClass()

	def _case(self) -> TestCreditMatrix:
		case = TestCreditMatrix("test_vat_exclusive")
		case.setUp()
		return case


class TestSecondCompany(OnTheMatrix):
	"""An RMA belongs to the company of the invoices it returns, with that company's own settings."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from rma_portal.demo import books

		second = books.ensure_second_company()
		cls.company, cls.warehouse = second["company"], second["warehouse"]
		cls.vat21 = second["vat"].rows[0]["account_head"]
		cls.fee_account = books.fee_income_account(cls.company)
		item = frappe.get_doc("Item", FEE_ITEM)
		if not any(row.company == cls.company for row in item.item_defaults):
			item.append(
				"item_defaults",
				{
					"company": cls.company,
					"income_account": cls.fee_account,
					"default_warehouse": cls.warehouse,
				},
			)
			item.save(ignore_permissions=True)
		TestCreditMatrix.warehouses[cls.company] = cls.warehouse
		entry = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": cls.company,
				"items": [{"item_code": PLAIN, "qty": 50, "t_warehouse": cls.warehouse, "basic_rate": 10}],
			}
		)
		entry.insert(ignore_permissions=True)
		entry.submit()
		frappe.db.commit()

	def _case(self) -> TestCreditMatrix:
		case = super()._case()
		settings = frappe.get_single("RMA Settings")
		settings.company_settings = [
			row for row in settings.get("company_settings") or [] if row.company != self.company
		]
		settings.append(
			"company_settings",
			{"company": self.company, "fee_amount": 5, "number_format": "MXB/{seq}/{year}"},
		)
		settings.save(ignore_permissions=True)
		frappe.db.commit()
		return case

	def _vat(self):
		return [
			{"charge_type": "On Net Total", "account_head": self.vat21, "rate": 21, "description": "VAT 21%"}
		]

	def test_second_company_rma_with_its_own_settings(self):
		case = self._case()
		for with_fee in (True, False):
			with self.subTest(with_fee=with_fee):
				sale = case._sell([(PLAIN, 4, 50.0, {})], taxes=self._vat(), company=self.company)
				rma, cn = case._return(sale, {PLAIN: 2}, with_fee)
				self.assertEqual((rma.company, cn.company), (self.company, self.company))
				self.assertTrue(rma.name.startswith("MXB/"), rma.name)
				self.assertEqual(flt(rma.fee_amount), 5 if with_fee else 0)
				# its fee (5, not the general 2.50) on the fee item's income account of this company
				original = TestCreditMatrix.__dict__["_expected_fee"]
				try:
					TestCreditMatrix._expected_fee = lambda _s, c, rates, gross=False: (5.0, [1.05])
					case._check(sale, rma, cn, with_fee, fee_account=self.fee_account)
				finally:
					TestCreditMatrix._expected_fee = original

	def test_lines_of_two_companies_refused_naming_them(self):
		case = self._case()
		here = case._sell([(PLAIN, 2, 50.0, {})])
		there = case._sell([(PLAIN, 2, 50.0, {})], company=self.company)
		with self.assertRaises(frappe.ValidationError) as refused:
			returns.create_return_rma(
				self.m.customer,
				self.m.user,
				[
					{"delivery_note_item": here.dn.items[0].name, "qty": 1},
					{"delivery_note_item": there.dn.items[0].name, "qty": 1},
				],
				return_reason=REASON,
				terms_accepted=True,
			)
		message = str(refused.exception)
		self.assertIn(f"lines 1 from {_company()}", message)
		self.assertIn(f"lines 2 from {self.company}", message)


class TestSerialReturns(OnTheMatrix):
	"""Serials on /rma/new and at receipt: named among the delivered ones, the received ones booked."""

	def test_dealer_names_serials_among_the_delivered_ones(self):
		case = self._case()
		_stock_setting("use_serial_batch_fields", 1)
		units = case._take_serials(3)
		sale = case._sell([(SERIAL, 3, 100.0, {})], serials=units)
		line = sale.dn.items[0].name
		choices = returns.line_choices(self.m.customer, [line])
		self.assertEqual(choices[line]["serials"], sorted(units))
		request = {"delivery_note_item": line, "qty": 1}
		for serials in ("", "NOT-OURS", f"{units[0]}\n{units[1]}"):
			with self.assertRaises(frappe.ValidationError, msg=serials):
				returns.create_return_rma(
					self.m.customer,
					self.m.user,
					[{**request, "serial_nos": serials}],
					return_reason=REASON,
					terms_accepted=True,
				)
		name = returns.create_return_rma(
			self.m.customer,
			self.m.user,
			[{**request, "serial_nos": units[1]}],
			return_reason=REASON,
			terms_accepted=True,
		)
		self.assertNotIn(units[1], returns.line_choices(self.m.customer, [line])[line]["serials"])
		with self.assertRaises(frappe.ValidationError):  # already in an open RMA
			returns.create_return_rma(
				self.m.customer,
				self.m.user,
				[{**request, "serial_nos": units[1]}],
				return_reason=REASON,
				terms_accepted=True,
			)
		# another customer sees nothing of the line
		self.assertEqual(returns.line_choices(self.m.usd_customer, [line]), {})
		frappe.db.rollback()
		self.assertTrue(name)

	def _serial_return(self, case, sold: int, returned: int):
		"""`sold` serial units delivered on one line (bundle only) and an RMA for one unit, units[returned]:
		the units, the RMA's name and its line."""
		units = case._take_serials(sold)
		sale = case._sell([(SERIAL, sold, 100.0, {})], serials=units, bundle_only=True)
		name = returns.create_return_rma(
			self.m.customer,
			self.m.user,
			[{"delivery_note_item": sale.dn.items[0].name, "qty": 1, "serial_nos": units[returned]}],
			return_reason=REASON,
			terms_accepted=True,
		)
		return units, name, frappe.get_doc("RMA", name).items[0]

	def test_received_serial_differing_from_the_request_is_flagged_and_booked(self):
		case = self._case()
		_stock_setting("use_serial_batch_fields", 0)
		units, name, row = self._serial_return(case, sold=3, returned=0)
		with self.assertRaises(frappe.ValidationError):  # never delivered on this line
			lifecycle.receive(name, {row.name: 1}, serials={row.name: "NOT-OURS"})
		lifecycle.receive(name, {row.name: 1}, {row.name: "Credit"}, serials={row.name: units[2]})
		row = frappe.get_doc("RMA", name).items[0]
		self.assertEqual((row.received_serial_nos, row.serial_mismatch), (units[2], 1))
		self.assertEqual(frappe.db.get_value("Serial No", units[2], "warehouse"), _warehouse())
		self.assertIsNone(frappe.db.get_value("Serial No", units[0], "warehouse"))
		frappe.db.commit()

	def test_replacement_ships_another_serial_and_repair_the_same_unit(self):
		from rma_portal.services.returns import outcome

		case = self._case()
		_stock_setting("use_serial_batch_fields", 0)
		warehouse = _warehouse()
		for handling in ("Replace", "Repair"):
			with self.subTest(handling=handling):
				units, name, row = self._serial_return(case, sold=2, returned=1)
				lifecycle.receive(name, {row.name: 1}, {row.name: handling})
				self.assertEqual(frappe.db.get_value("Serial No", units[1], "warehouse"), warehouse)
				outcome.ship_outcomes(name)
				frappe.db.commit()
				# Replace: the unit that came back stays here, another one leaves; Repair: it leaves again
				expected = warehouse if handling == "Replace" else None
				self.assertEqual(frappe.db.get_value("Serial No", units[1], "warehouse"), expected)
