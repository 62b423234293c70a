"""Credit hold and restocking fee rules (issue 24), on customers of their own.

Credit hold: each portal action the settings block is refused in its service (new return, service
request, quote request, accepting an offer) while the customer has an invoice overdue past the
settings' days, naming that invoice and linking to it; a lift until today lets the actions through,
one that ended yesterday does not; a frozen account and one over its credit limit are held too.
Fees: the preview on /rma/new, the fee frozen on the RMA and the fee charged on its credit note are
the same amount for a percentage, a fixed amount, a minimum and a maximum; without rules the flat fee.
"""

import re

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, fmt_money, today
from frappe.utils.password import update_password

from rma_portal import access
from rma_portal.domain import credit_hold as hold_rules
from rma_portal.domain import fee_rules as fee_domain
from rma_portal.rma_portal.doctype.rma.test_rma import (
	FEE,
	FEE_ITEM,
	ITEMS,
	REASON,
	_company,
	_make_customer,
	_make_reason,
	_sell,
	prepare_returns_data,
)
from rma_portal.services.policy import credit_hold
from rma_portal.services.portal import portal_quotations, quote_requests
from rma_portal.services.returns import credit_note, documents, lifecycle, returns
from rma_portal.services.service import service_rma
from rma_portal.tests.cases import AsAdministrator
from rma_portal.tests.http import Browser
from rma_portal.tests.records import linked_doctypes, submitted
from rma_portal.www.portal_display import money_formatter

test_ignore = linked_doctypes("RMA")
PAGE_PASSWORD = "Fee#Page2026x"

HOLD_FIELDS = {
	"hold_overdue_days": 1,
	"overdue_days": 30,
	"hold_overdue_amount": 0,
	"overdue_amount": 0,
	"hold_frozen": 1,
	"hold_credit_limit": 1,
	"block_returns": 1,
	"block_service": 1,
	"block_quote_requests": 1,
	"block_offers": 1,
}


def _set_single(doctype: str, values: dict) -> dict:
	"""Set fields of a Single, returning what they were."""
	doc = frappe.get_single(doctype)
	before = {field: doc.get(field) for field in values}
	doc.update(values)
	doc.save(ignore_permissions=True)
	return before


def _overdue_invoice(customer: str, days_overdue: int, amount: float = 40.0) -> str:
	return submitted(
		{
			"doctype": "Sales Invoice",
			"customer": customer,
			"company": _company(),
			"set_posting_time": 1,
			"posting_date": add_days(today(), -days_overdue - 14),
			"due_date": add_days(today(), -days_overdue),
			"items": [{"item_code": FEE_ITEM, "qty": 1, "rate": amount}],
		}
	)


def _quotation(customer: str) -> str:
	return submitted(
		{
			"doctype": "Quotation",
			"quotation_to": "Customer",
			"party_name": customer,
			"company": _company(),
			"transaction_date": today(),
			"valid_till": add_days(today(), 30),
			"items": [{"item_code": ITEMS[6], "qty": 1, "rate": 12.5, "price_list_rate": 12.5}],
		},
		fill=True,
	)


class TestCreditHold(AsAdministrator):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		cls.customer, cls.user = _make_customer("Credit Hold Dealer")
		cls.sale = _sell(cls.customer, [(ITEMS[6], 4, 10.0)])
		cls.late = _overdue_invoice(cls.customer, days_overdue=45)
		cls.recent = _overdue_invoice(cls.customer, days_overdue=5, amount=15.0)
		cls.settings_before = _set_single("RMA Credit Hold Settings", HOLD_FIELDS)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		_set_single("RMA Credit Hold Settings", cls.settings_before)
		frappe.db.commit()
		super().tearDownClass()

	def tearDown(self):
		super().tearDown()
		frappe.db.rollback()
		frappe.clear_cache(doctype="RMA Credit Hold Settings")
		access.clear_cache()

	def _dn_item(self) -> str:
		return self.sale.dn.items[0].name

	def _send_return(self) -> str:
		return returns.create_return_rma(
			self.customer,
			self.user,
			[{"delivery_note_item": self._dn_item(), "qty": 1}],
			return_reason=REASON,
			terms_accepted=True,
		)

	def _actions(self, quotation: str) -> dict:
		return {
			hold_rules.RETURN: self._send_return,
			hold_rules.SERVICE: lambda: service_rma.create_service_rma(self.customer, self.user, {}, []),
			hold_rules.QUOTE_REQUEST: lambda: quote_requests.create_request(self.customer, None, [], None),
			hold_rules.OFFER_ACCEPT: lambda: portal_quotations.accept(self.customer, quotation, self.user),
		}

	def test_each_action_is_held_naming_the_overdue_invoices(self):
		quotation = _quotation(self.customer)
		for action, run in self._actions(quotation).items():
			with self.subTest(action=action), self.assertRaises(credit_hold.CreditHoldError) as caught:
				run()
			text = str(caught.exception)
			self.assertIn(self.late, text)
			self.assertIn(self.recent, text)  # every overdue invoice, not only the oldest
			self.assertIn("/portal/invoices", text)
			self.assertIn("download_invoice?name=" + self.late, text)
		self.assertFalse(frappe.db.get_value("Quotation", quotation, "portal_answer"))
		page = credit_hold.page_hold(self.customer, hold_rules.RETURN)
		self.assertEqual([row["name"] for row in page["invoices"]], [self.late, self.recent])
		self.assertEqual(page["invoices"][0]["days"], 45)

	def test_only_the_chosen_actions_are_held(self):
		frappe.db.set_single_value("RMA Credit Hold Settings", "block_returns", 0)
		frappe.clear_cache(doctype="RMA Credit Hold Settings")
		self.assertIsNone(credit_hold.page_hold(self.customer, hold_rules.RETURN))
		self.assertTrue(self._send_return())
		self.assertTrue(credit_hold.page_hold(self.customer, hold_rules.SERVICE))

	def test_invoices_overdue_less_than_the_days_do_not_hold(self):
		frappe.db.set_single_value("RMA Credit Hold Settings", "overdue_days", 60)
		frappe.clear_cache(doctype="RMA Credit Hold Settings")
		self.assertIsNone(credit_hold.page_hold(self.customer, hold_rules.RETURN))
		frappe.db.set_single_value(
			"RMA Credit Hold Settings", {"hold_overdue_amount": 1, "overdue_amount": 50}
		)
		frappe.clear_cache(doctype="RMA Credit Hold Settings")
		held = credit_hold.hold_for(self.customer, hold_rules.RETURN)  # 40 + 15 overdue, above 50
		self.assertEqual(held.reasons, [hold_rules.OVERDUE_AMOUNT])

	def test_a_lift_until_a_date_is_honoured_and_expires(self):
		lift = frappe.get_doc(
			{"doctype": "RMA Credit Hold Lift", "customer": self.customer, "lifted_until": today()}
		).insert(ignore_permissions=True)
		self.assertEqual(lift.lifted_by, "Administrator")
		quotation = _quotation(self.customer)
		for action in hold_rules.ACTIONS:
			self.assertIsNone(credit_hold.page_hold(self.customer, action))
		view = credit_hold.staff_view(self.customer)  # the Customer form: held, but lifted until today
		self.assertEqual((view["held"], str(view["lifted_until"])), (True, today()))
		self.assertEqual(view["overdue_invoices"], 2)
		self.assertTrue(self._send_return())
		self.assertEqual(portal_quotations.accept(self.customer, quotation, self.user)["answer"], "Accepted")
		lift.db_set("lifted_until", add_days(today(), -1))  # the lift ended yesterday
		with self.assertRaises(credit_hold.CreditHoldError):
			self._send_return()

	def test_a_frozen_customer_and_one_over_its_credit_limit_are_held(self):
		customer, _user = _make_customer("Credit Hold Clean")
		self.assertIsNone(credit_hold.hold_for(customer, hold_rules.RETURN))
		frappe.db.set_value("Customer", customer, "is_frozen", 1)
		self.assertEqual(credit_hold.hold_for(customer, hold_rules.RETURN).reasons, [hold_rules.FROZEN])
		frappe.db.set_value("Customer", customer, "is_frozen", 0)
		_overdue_invoice(customer, days_overdue=0, amount=25)  # due today: not overdue, but owed
		doc = frappe.get_doc("Customer", customer)
		doc.append("credit_limits", {"company": _company(), "credit_limit": 1000})
		doc.save(ignore_permissions=True)
		self.assertIsNone(credit_hold.hold_for(customer, hold_rules.RETURN))  # within the limit
		doc.credit_limits[0].db_set("credit_limit", 10)
		held = credit_hold.hold_for(customer, hold_rules.RETURN)
		self.assertEqual(held.reasons, [hold_rules.CREDIT_LIMIT])
		self.assertNotIn("download_invoice", credit_hold.message(held, hold_rules.RETURN))

	def test_untouched_settings_hold_nothing(self):
		_set_single("RMA Credit Hold Settings", dict.fromkeys(HOLD_FIELDS, 0))
		for action in hold_rules.ACTIONS:
			self.assertIsNone(credit_hold.hold_for(self.customer, action))


FEE_REASONS = {
	"pct": "Test Fee Percentage",
	"fixed": "Test Fee Fixed",
	"min": "Test Fee Minimum",
	"max": "Test Fee Maximum",
}


class TestFeeRules(FrappeTestCase):
	"""Lines worth 3 x 15.00 = 45.00 each, one per rule's reason."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		prepare_returns_data()
		for reason in FEE_REASONS.values():
			_make_reason(reason, 1)
		cls.fee_settings = _set_single("RMA Settings", {"fee_includes_vat": 0})
		cls.customer, cls.user = _make_customer("Fee Rule Dealer")
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		_set_single("RMA Settings", cls.fee_settings)
		frappe.db.commit()
		super().tearDownClass()

	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.db.rollback()
		frappe.db.delete("RMA Fee Rule", {"rule_name": ["like", "Test %"]})  # _sell commits
		frappe.db.commit()

	def _rule(self, name, reason, basis, **values):
		frappe.get_doc(
			{
				"doctype": "RMA Fee Rule",
				"rule_name": f"Test {name} {frappe.generate_hash(length=6)}",
				"company": _company(),
				"return_reason": reason,
				"basis": basis,
				**values,
			}
		).insert(ignore_permissions=True)

	def _lines(self, reasons: list[str]) -> list[dict]:
		sale = _sell(self.customer, [(ITEMS[7 + n], 3, 15.0) for n in range(len(reasons))])
		by_code = {row.item_code: row.name for row in sale.dn.items}
		return [
			{"delivery_note_item": by_code[ITEMS[7 + n]], "qty": 3, "return_reason": reason}
			for n, reason in enumerate(reasons)
		]

	def _credit(self, lines: list[dict]) -> tuple[dict, frappe._dict, float]:
		"""(preview, the sent RMA, the net fee charged on its credit note)."""
		preview = returns.fee_preview(self.customer, lines)
		name = returns.create_return_rma(self.customer, self.user, lines, terms_accepted=True)
		rma = frappe.get_doc("RMA", name)
		rows = {row.name: row.qty_requested for row in rma.items}
		lifecycle.receive(name, rows, dict.fromkeys(rows, "Credit"))
		credit = frappe.get_doc("Sales Invoice", credit_note.make_credit_note(name))
		fee_rows = [tax for tax in credit.taxes if name in (tax.description or "")]
		return preview, rma, flt(fee_rows[0].tax_amount) if fee_rows else 0.0

	def test_percentage_fixed_minimum_and_maximum_as_previewed(self):
		self._rule("pct", FEE_REASONS["pct"], fee_domain.PERCENTAGE, percentage=10)
		self._rule("fixed", FEE_REASONS["fixed"], fee_domain.FIXED_PER_LINE, amount=3.25)
		self._rule("min", FEE_REASONS["min"], fee_domain.PERCENTAGE, percentage=10, minimum=6)
		self._rule("max", FEE_REASONS["max"], fee_domain.PERCENTAGE, percentage=10, maximum=3)
		lines = self._lines(list(FEE_REASONS.values()))
		preview, rma, charged = self._credit(lines)
		expected = [4.5, 3.25, 6.0, 3.0]
		self.assertEqual([preview["lines"][line["delivery_note_item"]] for line in lines], expected)
		self.assertEqual([flt(row.fee_amount) for row in rma.items], expected)
		self.assertTrue(all(row.fee_rule for row in rma.items))
		self.assertEqual(preview["total"], 16.75)
		self.assertEqual(flt(rma.fee_amount), 16.75)
		self.assertEqual(charged, 16.75)

	def test_a_line_not_credited_pays_no_fee(self):
		self._rule("pct", FEE_REASONS["pct"], fee_domain.PERCENTAGE, percentage=10)
		lines = self._lines([FEE_REASONS["pct"], FEE_REASONS["pct"]])
		name = returns.create_return_rma(self.customer, self.user, lines, terms_accepted=True)
		rma = frappe.get_doc("RMA", name)
		rows = [row.name for row in rma.items]
		lifecycle.receive(name, {row: 3 for row in rows}, {rows[0]: "Credit", rows[1]: "Reject"})
		credit = frappe.get_doc("Sales Invoice", credit_note.make_credit_note(name))
		fee_rows = [tax for tax in credit.taxes if name in (tax.description or "")]
		self.assertEqual(flt(rma.fee_amount), 9.0)
		self.assertEqual(flt(fee_rows[0].tax_amount), 4.5)

	def test_no_rules_is_the_flat_fee(self):
		self.assertFalse(frappe.get_all("RMA Fee Rule", filters={"enabled": 1}))
		lines = self._lines([REASON, REASON])
		preview, rma, charged = self._credit(lines)
		self.assertEqual(preview["total"], FEE)
		self.assertEqual((flt(rma.fee_amount), rma.fee_rule), (FEE, None))
		self.assertEqual([flt(row.fee_amount) for row in rma.items], [0, 0])
		self.assertEqual(charged, FEE)

	def _page(self, name: str) -> str:
		"""/rma/view of `name` as the dealer sees it (over Frappe's request path, committed first)."""
		update_password(self.user, PAGE_PASSWORD)
		frappe.db.commit()
		page = Browser(self.user, PAGE_PASSWORD).get("/rma/view", name=name)
		self.assertEqual(page.status_code, 200)
		return page.get_data(as_text=True)

	def test_each_lines_fee_on_the_rma_page_and_the_return_form(self):
		self._rule("pct", FEE_REASONS["pct"], fee_domain.PERCENTAGE, percentage=10)
		self._rule("fixed", FEE_REASONS["fixed"], fee_domain.FIXED_PER_LINE, amount=3.25)
		lines = self._lines([FEE_REASONS["pct"], FEE_REASONS["fixed"], REASON])  # no rule: no fee
		name = returns.create_return_rma(self.customer, self.user, lines, terms_accepted=True)
		rma = frappe.get_doc("RMA", name)
		currency = rma.fee_currency
		html = self._page(name)
		money = money_formatter()
		fees = re.findall(r'<td class="[^"]*rma-line-fee">([^<]*)</td>', html)
		self.assertEqual(fees, [money(4.5, currency), money(3.25, currency), ""])
		self.assertIn(money(7.75, currency), html)  # the total in the facts, as before

		form = frappe.render_template(documents.FORM_TEMPLATE, documents.documents_context(rma))
		self.assertIn(f'<td class="num">{fmt_money(4.5, currency=currency)}</td>', form)
		self.assertIn(f'<td class="num">{fmt_money(3.25, currency=currency)}</td>', form)
		self.assertIn(_("Return fee"), form)

	def test_no_fee_column_when_no_line_has_a_fee(self):
		lines = self._lines([REASON])  # no rules: the flat fee per return
		name = returns.create_return_rma(self.customer, self.user, lines, terms_accepted=True)
		html = self._page(name)
		self.assertNotIn("rma-line-fee", html)
		self.assertIn(money_formatter()(FEE, frappe.db.get_value("RMA", name, "fee_currency")), html)
		form = frappe.render_template(
			documents.FORM_TEMPLATE, documents.documents_context(frappe.get_doc("RMA", name))
		)
		self.assertNotIn(_("Return fee") + "</th>", form)
