"""Demo data of the customer's shipments, tickets, projects, contracts, shared files and quote requests
(SPEC §5): addresses, a project with dated tasks, a signed contract, delivery notes with tracking (one
booked as a Shipment with a tracking link, one with the transporter's receipt number), a ticket with
an answer and an attachment, and a shared file beside an internal one.

Everything is looked up before it is made (by a marker in the document), so running it twice keeps
what exists.
"""

import frappe
from frappe.utils import add_days, now_datetime, today

MARKER = "rma_portal demo"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The demo shipment's tracking: a carrier's AWB number on a Shipment, a transporter's receipt on a note.
DEMO_AWB = "JVGL0599912345678"
DEMO_RECEIPT_NO = "VDB-2026-0412"

# (subject, days from today it starts, days it takes, status, progress, depends on task no.)
TASKS = [
	("Site survey", -20, 3, "Completed", 100, None),
	("Design and quotation", -16, 6, "Completed", 100, 1),
	("Delivery of shelving", -8, 4, "Completed", 100, 2),
	("Installation", -3, 8, "Working", 40, 3),
	("Lighting and power", 2, 6, "Open", 0, 4),
	("Handover and training", 10, 2, "Open", 0, 5),
]


def make_customer_pages_demo(customers: list[str], company: str) -> dict:
	made = {}
	for customer in customers:
		made[customer] = {"addresses": make_addresses(customer)}
	main = customers[0]
	made["company_address"] = company_address(company)
	made["project"] = make_project(main, company)
	made["contract"] = make_contract(main)
	made["shipments"] = make_tracking(main, company, made["company_address"])
	made["ticket"] = make_ticket(main, company)
	made["files"] = make_shared_files(main)
	frappe.db.commit()
	return made


def make_addresses(customer: str) -> list[str]:
	existing = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Address", "link_doctype": "Customer", "link_name": customer},
		pluck="parent",
	)
	if existing:
		return existing
	rows = [
		("Head office", "Billing", "Hoofdstraat 12", "1011 AB", "Amsterdam", 0),
		("Workshop", "Shipping", "Industrieweg 7", "3542 AD", "Utrecht", 1),
	]
	if customer != "Demo Dealer":
		rows = [("Warehouse", "Shipping", "Rue du Port 3", "1000", "Brussels", 1)]
	made = []
	for title, kind, line1, pincode, city, is_shipping in rows:
		address = frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": f"{customer} {title}",
				"address_type": kind,
				"address_line1": line1,
				"pincode": pincode,
				"city": city,
				"country": "Netherlands" if city != "Brussels" else "Belgium",
				"is_shipping_address": is_shipping,
				"is_primary_address": 1 - is_shipping,
				"links": [{"link_doctype": "Customer", "link_name": customer}],
			}
		).insert(ignore_permissions=True)
		made.append(address.name)
	return made


def company_address(company: str) -> str:
	name = frappe.db.get_value(
		"Dynamic Link", {"parenttype": "Address", "link_doctype": "Company", "link_name": company}, "parent"
	)
	if name:
		return name
	return (
		frappe.get_doc(
			{
				"doctype": "Address",
				"address_title": f"{company} warehouse",
				"address_type": "Warehouse",
				"address_line1": "Havenweg 1",
				"pincode": "3089 JH",
				"city": "Rotterdam",
				"country": "Netherlands",
				"is_your_company_address": 1,
				"links": [{"link_doctype": "Company", "link_name": company}],
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_project(customer: str, company: str) -> str:
	name = frappe.db.get_value("Project", {"customer": customer, "notes": MARKER}, "name")
	if name:
		return name
	project = frappe.get_doc(
		{
			"doctype": "Project",
			"project_name": "Workshop fit-out",
			"customer": customer,
			"company": company,
			"status": "Open",
			"percent_complete_method": "Task Progress",
			"expected_start_date": add_days(today(), TASKS[0][1]),
			"expected_end_date": add_days(today(), TASKS[-1][1] + TASKS[-1][2]),
			"actual_start_date": add_days(today(), TASKS[0][1]),
			"notes": MARKER,
		}
	).insert(ignore_permissions=True)
	names = []
	for subject, start, days, status, progress, depends in TASKS:
		task = frappe.get_doc(
			{
				"doctype": "Task",
				"subject": subject,
				"project": project.name,
				"status": status,
				"progress": progress,
				"exp_start_date": add_days(today(), start),
				"exp_end_date": add_days(today(), start + days),
				"completed_on": add_days(today(), start + days) if status == "Completed" else None,
				"description": "Internal notes of the crew (not shown to the customer).",
			}
		)
		if depends:
			task.append("depends_on", {"task": names[depends - 1]})
		task.insert(ignore_permissions=True)
		names.append(task.name)
	project.reload()
	project.update_percent_complete()
	project.db_set("percent_complete", project.percent_complete)
	return project.name


def make_contract(customer: str) -> str:
	name = frappe.db.get_value("Contract", {"party_name": customer, "signee": "Dana Dealer"}, "name")
	if name:
		return name
	contract = frappe.get_doc(
		{
			"doctype": "Contract",
			"party_type": "Customer",
			"party_name": customer,
			"start_date": add_days(today(), -90),
			"end_date": add_days(today(), 275),
			"is_signed": 1,
			"signee": "Dana Dealer",
			"signed_on": add_days(now_datetime(), -92),
			"contract_terms": "<p>Dealer agreement 2026.</p><p>1. Prices: the dealer price list, "
			"less 5% on orders above EUR 2,500.</p><p>2. Payment: 30 days after the invoice date.</p>"
			"<p>3. Returns: through the RMA portal within 30 days of delivery.</p>",
		}
	)
	contract.insert(ignore_permissions=True)
	contract.submit()
	return contract.name


def make_tracking(customer: str, company: str, pickup_address: str) -> list[str]:
	"""The two newest delivery notes get tracking: one a Shipment booked with a carrier and a
	tracking link, the other the transporter's receipt number on the delivery note. Run again, it
	returns the notes tracked before (newer notes made since get none: one booking per demo)."""
	tracked = _tracked_notes(customer)
	if tracked:
		return tracked
	notes = frappe.get_all(
		"Delivery Note",
		filters={"customer": customer, "docstatus": 1, "is_return": 0},
		fields=["name", "grand_total"],
		order_by="posting_date desc, name desc",
		limit=2,
	)
	if not notes:
		return []
	if not frappe.db.exists("Shipment Delivery Note", {"delivery_note": notes[0].name}):
		_book_shipment(customer, company, pickup_address, notes[0])
	if len(notes) > 1 and not frappe.db.get_value("Delivery Note", notes[1].name, "lr_no"):
		frappe.db.set_value(
			"Delivery Note",
			notes[1].name,
			{"transporter_name": "Van der Berg Transport", "lr_no": DEMO_RECEIPT_NO, "lr_date": today()},
		)
	return [note.name for note in notes]


def _book_shipment(customer: str, company: str, pickup_address: str, booked):
	"""A Shipment of the delivery note, booked with DHL: its carrier, tracking number and link."""
	delivery_address = frappe.db.get_value(
		"Dynamic Link",
		{"parenttype": "Address", "link_doctype": "Customer", "link_name": customer},
		"parent",
	)
	contact = frappe.db.get_value(
		"Dynamic Link",
		{"parenttype": "Contact", "link_doctype": "Customer", "link_name": customer},
		"parent",
	)
	shipment = frappe.get_doc(
		{
			"doctype": "Shipment",
			"pickup_from_type": "Company",
			"pickup_company": company,
			"pickup_address_name": pickup_address,
			"pickup_contact_person": "Administrator",
			"delivery_to_type": "Customer",
			"delivery_customer": customer,
			"delivery_address_name": delivery_address,
			"delivery_contact_name": contact,
			"pickup_date": today(),
			"pickup_from": "09:00",
			"pickup_to": "17:00",
			"value_of_goods": booked.grand_total or 100,
			"description_of_content": "Power tools and lighting",
			"shipment_parcel": [{"length": 60, "width": 40, "height": 40, "weight": 12, "count": 2}],
			"shipment_delivery_note": [{"delivery_note": booked.name, "grand_total": booked.grand_total}],
		}
	)
	shipment.insert(ignore_permissions=True)
	shipment.submit()
	shipment.db_set(
		{
			"carrier": "DHL",
			"carrier_service": "Parcel Connect",
			"awb_number": DEMO_AWB,
			"tracking_url": f"https://www.dhl.com/nl-en/home/tracking.html?tracking-id={DEMO_AWB}",
			"tracking_status": "In Progress",
			"status": "Booked",
		}
	)


def _tracked_notes(customer: str) -> list[str]:
	"""The delivery notes an earlier run gave tracking to: the booked one, then the one with the receipt."""
	booked = frappe.db.sql(
		"""
		select sdn.delivery_note from `tabShipment Delivery Note` sdn
		join `tabShipment` shipment on shipment.name = sdn.parent
		where shipment.delivery_customer = %s and shipment.awb_number = %s and shipment.docstatus = 1
		limit 1
		""",
		(customer, DEMO_AWB),
	)
	receipt = frappe.db.get_value("Delivery Note", {"customer": customer, "lr_no": DEMO_RECEIPT_NO}, "name")
	if not booked:
		return []
	return [booked[0][0]] + ([receipt] if receipt else [])


def make_ticket(customer: str, company: str) -> str:
	name = frappe.db.get_value("Issue", {"customer": customer, "subject": "Drill battery does not charge"})
	if name:
		return name
	user = frappe.db.get_value("Portal User", {"parent": customer, "parenttype": "Customer"}, "user")
	issue = frappe.get_doc(
		{
			"doctype": "Issue",
			"subject": "Drill battery does not charge",
			"customer": customer,
			"raised_by": user,
			"company": company,
			"status": "Replied",
			"via_customer_portal": 1,
			"opening_date": add_days(today(), -2),
			"description": "Since last week one of our VOL-BATT-40 packs stays at 0% on the fast charger."
			"<br>The charger's LED blinks red. Photo of the label attached.",
		}
	)
	issue.insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "battery-label.pdf",
			"content": PDF,
			"is_private": 1,
			"attached_to_doctype": "Issue",
			"attached_to_name": issue.name,
		}
	).insert(ignore_permissions=True)
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": "Re: " + issue.subject,
			"sender": "support@demo.example",
			"sender_full_name": "Support team",
			"content": "<p>Thank you for the photo. A blinking red LED means the pack is deeply discharged.</p>"
			"<p>Please leave it on the charger for 30 minutes; if the LED stays red, return it through the "
			"RMA portal and we will replace it.</p>",
			"reference_doctype": "Issue",
			"reference_name": issue.name,
			"communication_date": now_datetime(),
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value("Issue", issue.name, "status", "Replied")
	return issue.name


SHARED_FILES = {
	"Dealer price list 2026.pdf": (
		1,
		"Dealer price list 2026",
		[
			("VOL-BATT-40 battery pack 40 V", "89.00"),
			("VOL-CHG-FAST fast charger", "54.00"),
			("VOL-DRILL-18 cordless drill", "129.00"),
			("Service flat rate (diagnosis)", "25.00"),
		],
	),
	"Credit check (internal).pdf": (0, "Credit check (internal)", [("Credit limit", "25,000.00")]),
}


def demo_pdf(title: str, rows: list[tuple[str, str]]) -> bytes:
	"""A real PDF document (a title and a two-column table), as ERPNext prints its own."""
	from frappe.utils import escape_html
	from frappe.utils.pdf import get_pdf

	lines = "".join(
		f"<tr><td>{escape_html(text)}</td><td style='text-align:right'>{escape_html(value)}</td></tr>"
		for text, value in rows
	)
	html = (
		f"<h2>{escape_html(title)}</h2><p>Demo Distribution, prices in EUR excluding VAT.</p>"
		f"<table style='width:100%;border-collapse:collapse' border='1' cellpadding='6'>{lines}</table>"
	)
	return get_pdf(html)


def make_shared_files(customer: str) -> list[str]:
	"""A price list shared with the customer, and an internal credit check that is not."""
	made = []
	for file_name, (shared, title, rows) in SHARED_FILES.items():
		name = frappe.db.get_value(
			"File", {"attached_to_doctype": "Customer", "attached_to_name": customer, "file_name": file_name}
		)
		if name:
			replace_placeholder(name, title, rows)
		if not name:
			name = (
				frappe.get_doc(
					{
						"doctype": "File",
						"file_name": file_name,
						"content": demo_pdf(title, rows),
						"is_private": 1,
						"attached_to_doctype": "Customer",
						"attached_to_name": customer,
						"portal_shared": shared,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		made.append(name)
	return made


def replace_placeholder(name: str, title: str, rows: list[tuple[str, str]]) -> None:
	"""A shared file of an older demo held a 45-byte placeholder no reader opens: a real PDF now."""
	from frappe.core.doctype.file.utils import get_content_hash

	file = frappe.get_doc("File", name)
	if (file.file_size or 0) >= len(PDF) + 100:
		return
	content = demo_pdf(title, rows)
	with open(file.get_full_path(), "wb") as f:
		f.write(content)
	file.db_set({"file_size": len(content), "content_hash": get_content_hash(content)})
