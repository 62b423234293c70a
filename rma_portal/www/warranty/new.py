"""/warranty/new: file a warranty claim for an item from the purchase history, with photos / documents."""

import json

from frappe import _

from rma_portal import access
from rma_portal.services.warranty import warranty_claims as claims
from rma_portal.www.warranty import common_context

no_cache = 1


def get_context(context):
	customer = access.customer_for("warranty.create")
	common_context(context, _("New warranty claim"))
	context.parents.append({"route": "/warranty", "title": _("Warranty claims")})
	items = claims.purchased_items(customer)
	context.update(
		{
			"items": items,
			"max_file_mb": claims.MAX_FILE_BYTES // (1024 * 1024),
			"max_files": claims.MAX_FILES,
			"accept": ",".join("." + ext for ext in claims.ALLOWED_EXTENSIONS),
		}
	)
	config = {
		"max_file_bytes": claims.MAX_FILE_BYTES,
		"max_files": claims.MAX_FILES,
		"extensions": list(claims.ALLOWED_EXTENSIONS),
	}
	# safe inside <script type="application/json">
	context.config_json = (
		json.dumps(config, default=str)
		.replace("<", "\\u003c")
		.replace(">", "\\u003e")
		.replace("&", "\\u0026")
	)
	return context
