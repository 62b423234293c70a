"""/warranty/view?name=<claim no.>: one claim with its decision, documents of both sides and history."""

import frappe
from frappe import _
from frappe.utils import format_datetime, formatdate

from rma_portal import access
from rma_portal.api.warranty import customer_of_claim
from rma_portal.services.shared import history_notes
from rma_portal.services.warranty.warranty_claims import claim_detail, display_text
from rma_portal.www.warranty import common_context

no_cache = 1


def get_context(context):
	access.require_login()
	name = (frappe.form_dict.get("name") or "").strip()
	if access.is_staff():
		customer = customer_of_claim(name)  # staff may open any customer's claim
	else:
		customer = access.customer_for("warranty.read")
	claim = claim_detail(customer, name)  # PermissionError for another customer's claim

	common_context(context, _("Warranty claim {0}").format(claim.name))
	context.parents.append({"route": "/warranty", "title": _("Warranty claims")})
	docs = claim["documents"]
	for row in claim["status_log"]:
		row["changed_on_display"] = format_datetime(row.changed_on) if row.changed_on else ""
		row["note_text"] = display_text(history_notes.render(row))  # in the reader's language
	context.update(
		{
			"claim": claim,
			"submitted_display": format_datetime(claim.submitted_on) if claim.submitted_on else "",
			"handling_display": formatdate(claim.handling_date) if claim.handling_date else "",
			"goods_received_display": formatdate(claim.goods_received_on) if claim.goods_received_on else "",
			"purchase_display": formatdate(claim.purchase_date) if claim.purchase_date else "",
			"description_text": display_text(claim.description),
			"remark_text": display_text(claim.remark),
			"decision_text": display_text(claim.decision_note),
			"claim_pdf": next(d for d in docs if d["kind"] == "claim"),
			"response": next((d for d in docs if d["kind"] == "response"), None),
			"credit_documents": [d for d in docs if d["kind"] in ("credit", "credit_file")],
			"customer_files": [d for d in docs if d["kind"] == "attachment" and d["side"] == "Customer"],
			"staff_files": [d for d in docs if d["kind"] == "attachment" and d["side"] != "Customer"],
			"is_decided": claim.status in ("Granted", "Refused"),
		}
	)
	from rma_portal.api.conversation import view_messages

	may_write = access.can("warranty.create", customer)
	appealed_on = frappe.db.get_value("Customer Warranty Claim", claim.name, "appealed_on")
	context.update(
		{
			"messages": view_messages("Customer Warranty Claim", claim.name),
			"conversation_doctype": "Customer Warranty Claim",
			"conversation_name": claim.name,
			"can_post": may_write,
			"can_appeal": may_write and claim.status == "Refused" and not appealed_on,
			"appealed_display": format_datetime(appealed_on) if appealed_on else "",
		}
	)
	claim.appealed_on = appealed_on
	return context
