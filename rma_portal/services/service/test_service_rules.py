# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""The service-request rules through every way in: the form (an HTTP post of the portal page's
request), the API method called in-process and the CSV import give the same answers; serial
numbers under concurrency; warranty claims follow the same serial policy.

Own brands, items and invoices (unique names per run) for the two demo customers, committed."""

import io
import json
import random

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today
from stdnum import ean as stdnum_ean

from rma_portal.api import service as api
from rma_portal.demo.data import CUSTOMERS, DEMO_PASSWORD
from rma_portal.services.service import service_csv, service_lookups, service_rma
from rma_portal.services.warranty import warranty_claims as claims
from rma_portal.tests.http import Browser, concurrently
from rma_portal.tests.records import service_line, submitted_invoice

DEALER, SECOND = "Demo Dealer", "Second Dealer"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUBMIT = "/api/method/rma_portal.api.service.submit_request"
CLAIM = "/api/method/rma_portal.api.warranty.submit_claim"
RACERS = 20


def _gtin() -> str:
	first12 = "29" + "".join(random.choice("0123456789") for _ in range(10))
	return first12 + stdnum_ean.calc_check_digit(first12)


class TestServiceRules(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		sfx = cls.sfx = frappe.generate_hash(length=6)
		brands = {
			"pattern": {"rma_serial_no_required": 1, "rma_serial_pattern": "VT[0-9]{6}"},
			"record": {
				"rma_serial_no_required": 1,
				"rma_serial_policy": service_lookups.SERIAL_POLICY_RECORD,
			},
			"plain": {},
		}
		cls.brands = {}
		for key, fields in brands.items():
			cls.brands[key] = f"Rules {key} {sfx}"
			frappe.get_doc({"doctype": "Brand", "brand": cls.brands[key], **fields}).insert(
				ignore_permissions=True
			)
		cls.items, cls.eans = {}, {}
		for key in brands:
			code, cls.eans[key] = f"RULES-{key.upper()}-{sfx}", _gtin()
			cls.items[key] = code
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_name": f"Rules test {key}",
					"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, "name"),
					"stock_uom": "Nos",
					"is_stock_item": 1 if key == "record" else 0,
					"has_serial_no": 1 if key == "record" else 0,
					"is_sales_item": 1,
					"brand": cls.brands[key],
					"warranty_period": "730",
					"barcodes": [{"barcode": cls.eans[key], "barcode_type": "EAN"}],
				}
			).insert(ignore_permissions=True)
		cls.fault = f"Rules fault {sfx}"
		frappe.get_doc(
			{
				"doctype": "RMA Fault Type",
				"fault_name": cls.fault,
				"items": [{"item_code": cls.items["plain"]}],
			}
		).insert(ignore_permissions=True)
		cls.type_default, cls.type_waived = f"Rules default {sfx}", f"Rules waived {sfx}"
		frappe.get_doc({"doctype": "RMA Type", "type_name": cls.type_default}).insert(ignore_permissions=True)
		frappe.get_doc(
			{"doctype": "RMA Type", "type_name": cls.type_waived, "waives_proof_of_purchase": 1}
		).insert(ignore_permissions=True)
		cls.first_plain, cls.last_plain = add_days(today(), -100), add_days(today(), -5)
		cls.bought = {
			"plain": cls.last_plain,
			"pattern": add_days(today(), -10),
			"record": add_days(today(), -10),
		}
		cls._invoice(DEALER, "plain", cls.first_plain)
		cls._invoice(DEALER, "plain", cls.last_plain)
		cls._invoice(DEALER, "pattern", cls.bought["pattern"])
		cls._invoice(DEALER, "record", cls.bought["record"])
		cls._invoice(SECOND, "plain", cls.last_plain)
		cls._invoice(SECOND, "record", cls.bought["record"])
		# ERPNext serial numbers of the "record" item: delivered to the dealer, and to the other customer
		cls.mine = [cls._serial(f"RS-{sfx}-M{n}", DEALER) for n in range(3)]
		cls.theirs = cls._serial(f"RS-{sfx}-T", SECOND)
		frappe.db.commit()

	@classmethod
	def _invoice(cls, customer, key, posting_date):
		submitted_invoice(customer, cls.items[key], posting_date)

	@classmethod
	def _serial(cls, serial, customer):
		doc = frappe.get_doc({"doctype": "Serial No", "serial_no": serial, "item_code": cls.items["record"]})
		doc.insert(ignore_permissions=True)
		doc.db_set("customer", customer)  # as ERPNext sets it on delivery
		return serial

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.request = None

	def line(self, key="plain", **values):
		fault_type = self.fault if key == "plain" else ""
		return service_line(self.eans[key], getdate(self.bought[key]), fault_type, **values)

	def bad_lines(self):
		"""Each line breaks one rule; the expected (line, field) of each."""
		lines = [
			self.line(
				purchase_date=str(getdate(add_days(self.first_plain, -1)))
			),  # before the first purchase
			self.line(purchase_date=str(getdate(add_days(self.last_plain, 1)))),  # after the last
			self.line(fault_type=""),  # the item defines fault types
			self.line("pattern", serial_no="XX12"),  # not the brand's format
			self.line("record", serial_no=self.theirs),  # delivered to another customer
			self.line("record", serial_no=f"MADE-UP-{self.sfx}"),  # no such Serial No
			self.line("record", serial_no=""),  # required
			self.line(fault_type=self.fault.upper(), service_expectation="replace"),  # fine
		]
		fields = [
			"purchase_date",
			"purchase_date",
			"fault_type",
			"serial_no",
			"serial_no",
			"serial_no",
			"serial_no",
		]
		return lines, {(n, field) for n, field in enumerate(fields, start=1)} | {(None, "attachments")}

	# the three ways in --------------------------------------------------------------------------

	def by_form(self, user, rma_type, lines, proof=False):
		browser = Browser(user, DEMO_PASSWORD)
		data = {"header": json.dumps({"rma_type": rma_type}), "lines": json.dumps(lines)}
		if proof:
			data["proof_of_purchase"] = (io.BytesIO(PDF), "invoice.pdf")
		response = browser.post(SUBMIT, data, csrf=True)
		self.assertEqual(response.status_code, 200, response.get_data(as_text=True)[:500])
		return response.json["message"]

	def by_api(self, user, rma_type, lines):
		frappe.set_user(user)
		return api.submit_request(header={"rma_type": rma_type}, lines=lines)

	def by_csv(self, user, rma_type, lines, proof=None):
		rows = [
			[
				"",
				line["ean"],
				line["serial_no"],
				line["purchase_date"],
				line["problem_description"],
				line["service_expectation"],
				line["fault_type"],
			]
			for line in lines
		]
		out = io.StringIO()
		import csv

		csv.writer(out, delimiter=";").writerows(rows)
		return service_csv.import_service_csv(DEALER, user, out.getvalue().encode(), rma_type, proof)

	def test_rules_are_the_same_in_form_api_and_csv(self):
		user = CUSTOMERS[DEALER][0]
		lines, expected = self.bad_lines()
		form = self.by_form(user, self.type_default, lines)
		in_process = self.by_api(user, self.type_default, lines)
		frappe.set_user("Administrator")
		imported = self.by_csv(user, self.type_default, lines)
		for result in (form, in_process, imported):
			self.assertFalse(result["ok"])
		self.assertEqual({(e["line"], e["field"]) for e in form["errors"]}, expected, form["errors"])
		self.assertEqual({(e["line"], e["field"]) for e in in_process["errors"]}, expected)
		# CSV: the row is the line (no header row); the same fields
		self.assertEqual({(e["row"], e["field"]) for e in imported["errors"]}, expected, imported["errors"])
		messages = [e["message"] for e in form["errors"]]
		self.assertTrue(any("before you first bought" in m for m in messages))
		self.assertTrue(any("after your last purchase" in m for m in messages))
		self.assertTrue(any("proof of purchase" in m for m in messages))
		self.assertFalse(any(SECOND in m for m in messages))

	def test_valid_requests_accepted_the_same_way(self):
		user = CUSTOMERS[DEALER][0]
		good = [
			self.line("plain", purchase_date=str(getdate(self.first_plain))),
			self.line("pattern", serial_no=f"VT{random.randint(100000, 999999)}"),
		]
		form = self.by_form(
			user, self.type_default, [*good, self.line("record", serial_no=self.mine[0])], proof=True
		)
		self.assertTrue(form["ok"], form.get("errors"))
		waived = self.by_api(user, self.type_waived, [self.line("record", serial_no=self.mine[1])])
		self.assertTrue(waived["ok"], waived.get("errors"))
		frappe.set_user("Administrator")
		imported = self.by_csv(
			user,
			self.type_default,
			[self.line("record", serial_no=self.mine[2])],
			{"file_name": "invoice.pdf", "content": PDF},
		)
		self.assertTrue(imported["ok"], imported["errors"])
		# a serial in an open request is refused, named only for its owner
		again = self.by_api(user, self.type_waived, [self.line("record", serial_no=self.mine[1])])
		self.assertIn(waived["name"], again["errors"][0]["message"])

	def test_twenty_concurrent_requests_for_one_serial(self):
		serial = f"RACE-{self.sfx}"
		browsers = {c: Browser(CUSTOMERS[c][0], DEMO_PASSWORD) for c in (DEALER, SECOND)}
		data = {
			"header": json.dumps({"rma_type": self.type_waived}),
			"lines": json.dumps([self.line(serial_no=serial)]),
		}
		customers = [DEALER if n % 2 == 0 else SECOND for n in range(RACERS)]
		calls = [browsers[c].post_call(SUBMIT, data, csrf=True) for c in customers]
		responses = concurrently(calls)
		statuses = [r.status_code for r in responses]
		self.assertEqual(statuses, [200] * RACERS, [r.get_data(as_text=True)[:300] for r in responses])
		results = [r.json["message"] for r in responses]
		winners = [(c, r["name"]) for c, r in zip(customers, results, strict=True) if r["ok"]]
		print(f"\nserial race: {RACERS} concurrent requests for one serial -> {len(winners)} accepted")
		self.assertEqual(len(winners), 1, results)
		owner, name = winners[0]
		for customer, result in zip(customers, results, strict=True):
			if result["ok"]:
				continue
			text = json.dumps(result, ensure_ascii=False)
			self.assertEqual([e["field"] for e in result["errors"]], ["serial_no"], text)
			self.assertIn(serial, text)
			self.assertNotIn("Traceback", text)
			if customer != owner:
				self.assertNotIn(name, text)  # another customer's document is never named
				self.assertNotIn(owner, text)
		frappe.db.rollback()
		self.assertEqual(len({h.name for h in service_lookups.open_requests_by_serial([serial])[serial]}), 1)

	def test_concurrent_warranty_claims_for_one_serial(self):
		serial = f"CLAIM-RACE-{self.sfx}"
		browsers = {c: Browser(CUSTOMERS[c][0], DEMO_PASSWORD) for c in (DEALER, SECOND)}
		data = {"item_code": self.items["plain"], "serial_no": serial, "description": "Stops after a minute."}
		customers = [DEALER if n % 2 == 0 else SECOND for n in range(8)]
		calls = [browsers[c].post_call(CLAIM, data, csrf=True) for c in customers]
		responses = concurrently(calls)
		accepted = [
			(c, r.json["message"]["name"])
			for c, r in zip(customers, responses, strict=True)
			if r.status_code == 200
		]
		print(f"\nclaim race: {len(calls)} concurrent claims for one serial -> {len(accepted)} accepted")
		self.assertEqual(len(accepted), 1, [r.get_data(as_text=True)[:300] for r in responses])
		owner, name = accepted[0]
		for customer, response in zip(customers, responses, strict=True):
			if response.status_code == 200:
				continue
			text = response.get_data(as_text=True)
			self.assertEqual(response.status_code, 417, text[:300])
			self.assertIn(serial, text)
			self.assertNotIn("Traceback", text)
			if customer != owner:
				self.assertNotIn(name, text)  # another customer's claim is never named
			else:
				self.assertIn(name, text)  # the customer's own one is
		frappe.db.rollback()
		self.assertEqual(frappe.db.count(claims.DOCTYPE, {"serial_no": serial}), 1)

	def test_warranty_claims_follow_the_brand_serial_policy(self):
		def serial_errors(key, serial):
			errors = claims.claim_errors(DEALER, self.items[key], "Broken", serial_no=serial)
			return [e for e in errors if e.startswith("Serial number")]

		self.assertEqual(serial_errors("plain", f"ANY text {self.sfx}"), [])  # free text, not in ERPNext
		self.assertEqual(serial_errors("pattern", "VT123456"), [])
		self.assertEqual(len(serial_errors("pattern", "123456")), 1)
		self.assertEqual(len(serial_errors("pattern", None)), 1)  # required by the brand
		self.assertEqual(serial_errors("record", self.mine[0]), [])
		refused = serial_errors("record", self.theirs)
		self.assertEqual(len(refused), 1)
		self.assertNotIn(SECOND, refused[0])
