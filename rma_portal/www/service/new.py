"""/service/new: a service request for one or more products, with photos and the proof of purchase."""

import frappe
from frappe import _

from rma_portal import access
from rma_portal.domain.uploads import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from rma_portal.services.policy import credit_hold
from rma_portal.services.service import service_rma
from rma_portal.services.shared.settings import rma_settings
from rma_portal.www.rma import common_context, script_json

no_cache = 1


def get_context(context):
	customer = access.customer_for("rma.create")
	context.credit_hold = credit_hold.page_hold(customer, credit_hold.rules.SERVICE)
	common_context(context, _("New service request"))
	context.parents.append({"route": "/service", "title": _("Service requests")})
	types = service_rma.rma_types()
	context.update(
		{
			"rma_types": types,
			"expectations": service_rma.SERVICE_EXPECTATIONS,
			"return_address_customer": service_rma.default_return_address(customer),
			"service_address": rma_settings().return_address,
			"max_mb": MAX_ATTACHMENT_BYTES // (1024 * 1024),
			"max_files": MAX_ATTACHMENTS,
		}
	)
	context.config_json = script_json(
		{
			"types": {t.name: {"brand": t.brand, "proof": not t.waives_proof_of_purchase} for t in types},
			"max_lines": service_rma.MAX_LINES,
			"max_bytes": MAX_ATTACHMENT_BYTES,
			"max_files": MAX_ATTACHMENTS,
		}
	)
	return context
