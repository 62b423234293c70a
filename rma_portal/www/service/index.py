"""/service: the service request desk of a portal user (SPEC §1, seed 000).

New request, serial number lookup, search by RMA / serial / own number, warranty check by EAN,
CSV import and the customer's latest service requests. The look-ups and the import run through
rma_portal.api.service from the page's script; this context only lists what the page shows first.
"""

import frappe
from frappe import _
from frappe.utils import format_datetime, get_user_date_format, getdate, today

from rma_portal import access
from rma_portal.domain import dates
from rma_portal.domain.csv_rows import COLUMN_LABELS, MAX_ROWS
from rma_portal.services import service_rma, service_rules
from rma_portal.services.settings import rma_settings
from rma_portal.www.rma import common_context, script_json

no_cache = 1


def get_context(context):
	customer = access.customer_for("rma.read")
	common_context(context, _("Service requests"))
	context.show_sidebar = True
	types = service_rma.rma_types()
	recent = service_rma.recent_service_rmas(customer)
	for row in recent:
		row["submitted_display"] = format_datetime(row.submitted_on) if row.submitted_on else ""
	context.update(
		{
			"customer": customer,
			"can_create": access.can("rma.create", customer),
			"rma_types": types,
			"recent": recent,
			"service_address": rma_settings().return_address,
			"max_rows": MAX_ROWS,
			"csv_columns": COLUMN_LABELS,
			"background_rows": service_rma.CSV_BACKGROUND_ROWS,
			"date_example": dates.example(get_user_date_format(), getdate(today())),
			"iso_example": getdate(today()).isoformat(),
			"expectations": service_rules.expectation_names(),
		}
	)
	context.config_json = script_json({"max_rows": MAX_ROWS})
	return context
