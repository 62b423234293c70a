# Copyright (c) 2026, rma_portal contributors
# For license information, please see license.txt
"""Records for the report tests: an own customer and own return reasons (unique names), so the
aggregates the tests assert are not disturbed by what other tests left on the test site. The
tests run inside FrappeTestCase, whose transaction is rolled back at the end of each class."""

import frappe
from frappe.utils import add_days, now_datetime


def company() -> str:
	return frappe.defaults.get_global_default("company") or frappe.db.get_value("Company", {}, "name")


def make_customer(prefix: str = "Report Test") -> str:
	template = frappe.get_all("Customer", fields=["customer_group", "territory"], limit=1)
	name = f"{prefix} {frappe.generate_hash(length=8)}"
	doc = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": name,
			"customer_type": "Company",
			"customer_group": (template and template[0].customer_group)
			or frappe.db.get_value("Customer Group", {"is_group": 0}, "name"),
			"territory": (template and template[0].territory)
			or frappe.db.get_value("Territory", {"is_group": 0}, "name"),
		}
	).insert(ignore_permissions=True)
	return doc.name


def make_reason(prefix: str = "Report Reason") -> str:
	name = f"{prefix} {frappe.generate_hash(length=6)}"
	return (
		frappe.get_doc(
			{"doctype": "RMA Return Reason", "reason": name, "default_handling": "Credit", "enabled": 1}
		)
		.insert(ignore_permissions=True)
		.name
	)


def items(count: int = 2) -> list[frappe._dict]:
	rows = frappe.get_all(
		"Item",
		filters={"disabled": 0, "has_variants": 0, "is_sales_item": 1},
		fields=["name", "item_name", "stock_uom"],
		order_by="name",
		limit=count,
	)
	assert len(rows) == count, f"the test site needs at least {count} sales items"
	return rows


def make_rma(customer: str, lines: list[dict], status: str = "Expected", days_ago: int = 0, **fields) -> str:
	"""lines: dicts of item (an items() row), qty, rate, reason and optional qty_received / handling."""
	comp = company()
	doc = frappe.get_doc(
		{
			"doctype": "RMA",
			"kind": fields.pop("kind", "Return"),
			"status": status,
			"customer": customer,
			"customer_name": customer,
			"company": comp,
			"currency": frappe.get_cached_value("Company", comp, "default_currency"),
			"submitted_on": now_datetime(),
			"items": [
				{
					"item_code": line["item"].name,
					"item_name": line["item"].item_name,
					"uom": line["item"].stock_uom,
					"qty_requested": line["qty"],
					"qty_received": line.get("qty_received", 0),
					"rate": line["rate"],
					"return_reason": line.get("reason"),
					"handling": line.get("handling", "Credit"),
				}
				for line in lines
			],
			**fields,
		}
	)
	doc.flags.ignore_permissions = True
	doc.insert()
	if days_ago:
		# submitted_on is set on insert; age it afterwards, as time would.
		doc.db_set("submitted_on", add_days(now_datetime(), -days_ago), update_modified=False)
	return doc.name
