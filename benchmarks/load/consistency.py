"""After the load test: do the returnable quantities still add up?

Run by `scripts/load-test` after locust, with the bench's Python, as the bench user, from the
bench's sites/ folder:

    ../env/bin/python benchmarks/load/consistency.py --site S --customers customers.jsonl \\
        --filed filed.jsonl --since-epoch 1796000000

For every delivered line of the load-test customers (--customers, as `rma-bench-data --customers`
prints them):
1. the app's copy of the lines (RMA Delivered Line and its per-day counts,
   services/history/delivered_lines.py) equals what `rebuild()` writes from ERPNext's Delivery Notes
   (rebuilt inside a savepoint, compared, rolled back);
2. the quantities the app shows (the candidates pages, services/returns/candidates.py) and the ones it
   checks a request against under locks (return_request._lock_and_recompute) equal the figures
   rebuilt here from the documents themselves: ERPNext's Delivery Note returns and credit-only
   credit notes against the line, and the open RMAs' lines;
3. no line has more requested (open RMAs) plus returned (ERPNext) than was delivered;
4. every RMA the load test was answered 200 for (--filed: name, customer, lines) exists for that
   customer with exactly those lines and quantities, and no RMA of the run (customer reference
   "load ...", made since --since-epoch) is missing from the answers.
Prints one JSON object: the counts, the first mismatches of each kind, and "ok". Writes nothing.
"""

import argparse
import json
from collections import defaultdict
from datetime import datetime, timezone

import frappe
from frappe.utils import convert_utc_to_system_timezone, flt

SAMPLES = 5  # mismatches quoted per kind
EPSILON = 1e-6


def _sum_by_line(sql, customer) -> dict[str, float]:
	return {line: flt(qty, 6) for line, qty in frappe.db.sql(sql, {"customer": customer})}


def rebuilt_quantities(customer: str) -> dict[str, dict]:
	"""Every delivered line of the customer (whatever its date) with its quantities, read from the
	documents in plain queries, summed here: delivered, returned (the greater of the stock returns
	net of what open RMAs restocked and the credit-only credit notes), requested, returnable."""
	from rma_portal.domain.transitions import RMA_OPEN

	delivered = frappe.db.sql(
		"""select dni.name, dni.qty, dn.posting_date from `tabDelivery Note Item` dni
		join `tabDelivery Note` dn on dn.name = dni.parent and dni.parenttype = 'Delivery Note'
		where dn.customer = %(customer)s and dn.docstatus = 1 and dn.is_return = 0 and dni.qty > 0""",
		{"customer": customer},
	)
	stock = _sum_by_line(
		"""select r.dn_detail, sum(-r.qty) from `tabDelivery Note Item` r
		join `tabDelivery Note` p on p.name = r.parent
		where p.customer = %(customer)s and p.docstatus = 1 and p.is_return = 1 and ifnull(r.dn_detail, '') != ''
		group by r.dn_detail""",
		customer,
	)
	credit = _sum_by_line(
		"""select r.dn_detail, sum(-r.qty) from `tabSales Invoice Item` r
		join `tabSales Invoice` p on p.name = r.parent
		where p.customer = %(customer)s and p.docstatus = 1 and p.is_return = 1 and p.update_stock = 0
			and ifnull(r.dn_detail, '') != ''
		group by r.dn_detail""",
		customer,
	)
	requested, restocked = defaultdict(float), defaultdict(float)
	for line, qty, received, return_note in frappe.db.sql(
		"""select ri.delivery_note_item, ri.qty_requested, ri.qty_received, ri.return_delivery_note
		from `tabRMA Item` ri join `tabRMA` rma on rma.name = ri.parent
		where rma.customer = %(customer)s and rma.status in %(open)s""",
		{"customer": customer, "open": RMA_OPEN},
	):
		requested[line] += flt(qty)
		if return_note:
			restocked[line] += flt(received)
	out = {}
	for name, qty, posting_date in delivered:
		returned = max(stock.get(name, 0) - restocked[name], credit.get(name, 0), 0)
		out[name] = {
			"delivered": flt(qty, 6),
			"returned": round(returned, 6),
			"requested": round(requested[name], 6),
			"returnable": round(max(0.0, flt(qty) - returned - requested[name]), 6),
			"date": posting_date,
		}
	return out


def app_page_quantities(customer: str) -> dict[str, dict]:
	"""The quantities of every candidate line as the candidates pages show them (100 a page)."""
	from rma_portal.services.returns.candidates import candidate_lines

	out, page = {}, 1
	while True:
		result = candidate_lines(customer, page=page, page_size=100)
		for row in result["rows"]:
			out[row["delivery_note_item"]] = row
		if page * 100 >= result["total"] or not result["rows"]:
			return out
		page += 1


def app_locked_quantities(names: list[str]) -> dict[str, dict]:
	"""The quantities a return request is checked against (locking reads), 500 lines at a time."""
	from rma_portal.services.returns.return_request import _lock_and_recompute

	out = {}
	for start in range(0, len(names), 500):
		out.update(_lock_and_recompute(sorted(names[start : start + 500])))
	return out


def delivered_copy(customer: str) -> tuple[list, list]:
	columns = (
		"name, delivery_note_item, customer, delivery_date, posting_time, delivery_note, line_no, "
		"sales_order, sales_order_item, po_no, company, currency, item_code, customer_item_code, "
		"item_name, rate, uom, qty_delivered"
	)
	lines = frappe.db.sql(
		f"select {columns} from `tabRMA Delivered Line` where customer = %s order by name",  # nosec B608
		customer,
	)
	days = frappe.db.sql(
		"""select delivery_date, line_count from `tabRMA Delivered Day`
		where customer = %s and line_count != 0 order by delivery_date""",
		customer,
	)
	return lines, days


def check_delivered_copy(customer: str, problems: dict) -> int:
	"""The app's copy against a rebuild from ERPNext's documents (rolled back)."""
	from rma_portal.services.history import delivered_lines

	kept = delivered_copy(customer)
	frappe.db.savepoint("load_check")
	delivered_lines.rebuild(customer)
	rebuilt = delivered_copy(customer)
	frappe.db.rollback(save_point="load_check")
	if kept[0] != rebuilt[0]:
		differ = set(kept[0]) ^ set(rebuilt[0])
		problems["delivered copy"].append(
			f"{customer}: {len(kept[0])} lines kept, {len(rebuilt[0])} rebuilt, {len(differ)} rows differ"
		)
	if kept[1] != rebuilt[1]:
		problems["delivered copy"].append(f"{customer}: the per-day line counts differ from a rebuild")
	return len(kept[0])


def close(a, b) -> bool:
	return abs(flt(a) - flt(b)) <= EPSILON


def check_quantities(customer: str, problems: dict, totals: dict):
	from rma_portal.services.returns.candidates import history_start

	rebuilt = rebuilt_quantities(customer)
	page = app_page_quantities(customer)
	since = history_start()
	in_window = {name for name, q in rebuilt.items() if q["date"] >= since}
	if set(page) != in_window:
		problems["candidate lines"].append(
			f"{customer}: {len(page)} lines on the candidates pages, {len(in_window)} delivered in the window "
			f"({len(set(page) - in_window)} extra, {len(in_window - set(page))} missing)"
		)
	locked = app_locked_quantities(list(rebuilt))
	totals["lines"] += len(rebuilt)
	for name, q in rebuilt.items():
		totals["delivered"] += q["delivered"]
		totals["requested"] += q["requested"]
		totals["returned"] += q["returned"]
		if q["requested"] + q["returned"] > q["delivered"] + EPSILON:
			problems["over-returned"].append(
				f"{customer} {name}: delivered {q['delivered']}, returned {q['returned']}, "
				f"requested {q['requested']}"
			)
		shown = page.get(name)
		if shown is not None and not all(
			close(shown[f"qty_{key}"], q[key]) for key in ("returned", "requested", "returnable")
		):
			problems["page quantities"].append(
				f"{customer} {name}: page returned/requested/returnable {shown['qty_returned']}/"
				f"{shown['qty_requested']}/{shown['qty_returnable']}, documents {q['returned']}/"
				f"{q['requested']}/{q['returnable']}"
			)
		checked = locked.get(name)
		if checked is None or not all(
			close(checked[key], q[key]) for key in ("returned", "requested", "returnable")
		):
			problems["locked quantities"].append(
				f"{customer} {name}: under locks {checked and {k: checked[k] for k in ('returned', 'requested', 'returnable')}}, "
				f"documents {q['returned']}/{q['requested']}/{q['returnable']}"
			)
	totals["candidate_lines"] += len(page)


def check_filed(filed: list[dict], customers: list[str], since: datetime, problems: dict) -> dict:
	"""Every RMA answered 200 exists with its lines; every RMA the run made was answered."""
	names = [row["name"] for row in filed]
	found = {}
	if names:
		for rma in frappe.get_all(
			"RMA", filters={"name": ["in", names]}, fields=["name", "customer", "status", "kind"]
		):
			found[rma.name] = rma
	items = defaultdict(list)
	if names:
		for item in frappe.get_all(
			"RMA Item",
			filters={"parenttype": "RMA", "parent": ["in", names]},
			fields=["parent", "delivery_note_item", "qty_requested"],
			limit_page_length=0,
		):
			items[item.parent].append((item.delivery_note_item, flt(item.qty_requested, 6)))
	for row in filed:
		rma = found.get(row["name"])
		if not rma:
			problems["lost RMAs"].append(
				f"{row['name']} ({row['customer']}): answered 200, not in the database"
			)
			continue
		if rma.customer != row["customer"] or rma.kind != "Return":
			problems["lost RMAs"].append(f"{row['name']}: customer {rma.customer}, kind {rma.kind}")
		wanted = sorted((line["delivery_note_item"], flt(line["qty"], 6)) for line in row["lines"])
		if sorted(items[row["name"]]) != wanted:
			problems["lost RMAs"].append(f"{row['name']}: lines {sorted(items[row['name']])}, sent {wanted}")
	made = frappe.get_all(
		"RMA",
		filters={
			"customer": ["in", customers],
			"creation": [">=", since],
			"customer_reference": ["like", "load %"],
		},
		pluck="name",
		limit_page_length=0,
	)
	unanswered = sorted(set(made) - set(names))
	if unanswered:
		problems["RMAs made but not answered 200"].append(", ".join(unanswered[:SAMPLES]))
	return {"filed": len(names), "made_in_run": len(made), "unanswered": len(unanswered)}


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", required=True)
	parser.add_argument("--customers", required=True, help="JSON lines of `rma-bench-data --customers`")
	parser.add_argument("--filed", required=True, help="JSON lines the locust file wrote (LOAD_FILED)")
	parser.add_argument("--since-epoch", type=float, required=True, help="when the run started (Unix time)")
	args = parser.parse_args()
	with open(args.customers) as f:
		customers = [json.loads(line)["customer"] for line in f if line.strip().startswith("{")]
	try:
		with open(args.filed) as f:
			filed = [json.loads(line) for line in f if line.strip()]
	except FileNotFoundError:
		filed = []

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	problems = defaultdict(list)
	totals = defaultdict(float)
	try:
		for customer in customers:
			totals["copied_lines"] += check_delivered_copy(customer, problems)
			check_quantities(customer, problems, totals)
		since = convert_utc_to_system_timezone(datetime.fromtimestamp(args.since_epoch, timezone.utc))
		rmas = check_filed(filed, customers, since.replace(tzinfo=None), problems)
	finally:
		frappe.db.rollback()
		frappe.destroy()
	print(
		json.dumps(
			{
				"customers": len(customers),
				"lines": int(totals["lines"]),
				"candidate_lines": int(totals["candidate_lines"]),
				"delivered_qty": round(totals["delivered"], 3),
				"requested_qty": round(totals["requested"], 3),
				"returned_qty": round(totals["returned"], 3),
				**rmas,
				"problems": {
					kind: {"count": len(rows), "first": rows[:SAMPLES]} for kind, rows in problems.items()
				},
				"ok": not problems,
			},
			default=str,
		)
	)


if __name__ == "__main__":
	main()
