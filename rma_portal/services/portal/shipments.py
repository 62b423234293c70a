"""The customer's shipments: submitted Delivery Notes with the carrier and tracking a customer can use.

Tracking comes from ERPNext's Shipment document when staff booked one for the delivery note (carrier,
AWB number, tracking URL and the carrier's own status: what a parcel service gives); otherwise from
the delivery note's transport fields (transporter, transport receipt no. and vehicle, as ERPNext's
own delivery note print shows them). A link is only given for an http(s) tracking URL.

One page costs three queries whatever the number of delivery notes: the page, the count, and the
Shipments of the page's delivery notes. Unsearched, the count (every delivery note of the customer,
24,000 at 200,000 delivered lines) is kept between changes of the customer's delivery notes
(query.kept): the newest `modified` of them, one row of the index rma_portal_customer_modified.
"""

import frappe

from rma_portal.services.shared.query import kept, like_pattern, newest_change, paged_list

_LIST_SQL = """
select {select}
from `tabDelivery Note` dn
where dn.customer = %(customer)s and dn.docstatus = 1 and dn.is_return = 0 {condition}
"""
_SELECT = """dn.name, dn.posting_date, dn.status, dn.po_no, dn.transporter, dn.transporter_name, dn.lr_no,
	dn.lr_date, dn.vehicle_no, dn.grand_total, dn.currency, dn.total_qty,
	(select group_concat(distinct i.against_sales_order order by i.against_sales_order separator ', ')
		from `tabDelivery Note Item` i where i.parent = dn.name and i.parenttype = 'Delivery Note'
		and i.against_sales_order is not null and i.against_sales_order != '') as sales_orders"""
# A delivery note is found by its number, the customer's PO number, the transport receipt no. or a
# shipment's AWB number.
_SEARCH = """and (dn.name like %(search)s or dn.po_no like %(search)s or dn.lr_no like %(search)s
	or exists (select 1 from `tabShipment Delivery Note` sdn join `tabShipment` s on s.name = sdn.parent
		where sdn.delivery_note = dn.name and s.docstatus = 1 and s.awb_number like %(search)s))"""


def is_web_link(url: str | None) -> bool:
	"""Only http(s) links are shown: a tracking URL is typed by staff or a carrier integration, and a
	javascript: or data: URL in an href would run in the customer's session."""
	url = (url or "").strip().lower()
	return url.startswith("https://") or url.startswith("http://")


def list_shipments(customer: str, search: str | None = None, page: int = 1, page_size: int = 20) -> dict:
	"""The customer's delivery notes, newest first, each with its tracking."""
	values = {"customer": customer}
	condition, total = "", None
	search = (search or "").strip()
	if search:  # not search_condition: a shipment's AWB number is searched in a subquery
		values["search"] = like_pattern(search)
		condition = _SEARCH
	else:
		changed = newest_change("Delivery Note", "customer", customer)
		total = kept(f"shipments:{customer}", changed, lambda: count_shipments(customer))
	result = paged_list(
		_LIST_SQL, _SELECT, condition, "dn.posting_date desc, dn.name desc", values, page, page_size, total
	)
	add_tracking(result["rows"])
	return result


def count_shipments(customer: str) -> int:
	"""The customer's submitted delivery notes that are no return: read from the index alone."""
	return frappe.db.sql(_LIST_SQL.format(select="count(*)", condition=""), {"customer": customer})[0][0]


def add_tracking(rows: list[dict]):
	"""carrier, tracking_no, tracking_url and tracking_status on each row, in one query."""
	shipments = {}
	if rows:
		found = frappe.db.sql(
			"""select sdn.delivery_note, s.name, s.carrier, s.carrier_service, s.awb_number, s.tracking_url,
				s.tracking_status, s.status, s.pickup_date
			from `tabShipment Delivery Note` sdn join `tabShipment` s on s.name = sdn.parent
			where sdn.delivery_note in %(names)s and s.docstatus = 1
			order by s.creation""",
			{"names": [row["name"] for row in rows]},
			as_dict=True,
		)
		for shipment in found:  # the newest booked shipment of a delivery note wins
			shipments[shipment.delivery_note] = shipment
	for row in rows:
		shipment = shipments.get(row["name"])
		if shipment and (shipment.awb_number or shipment.carrier):
			row["carrier"] = " · ".join(x for x in (shipment.carrier, shipment.carrier_service) if x)
			row["tracking_no"] = shipment.awb_number or ""
			row["tracking_url"] = (
				shipment.tracking_url.strip() if is_web_link(shipment.tracking_url) else None
			)
			row["tracking_status"] = shipment.tracking_status or ""
			row["shipped_on"] = shipment.pickup_date
		else:
			row["carrier"] = row.get("transporter_name") or row.get("transporter") or ""
			row["tracking_no"] = row.get("lr_no") or ""
			row["tracking_url"] = None
			row["tracking_status"] = ""
			# ERPNext fills the transport receipt date with the posting day: only a receipt's own date
			row["shipped_on"] = row.get("lr_date") if row["tracking_no"] else None
		for field in ("transporter", "transporter_name", "lr_no", "lr_date"):
			row.pop(field, None)
