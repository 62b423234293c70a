"""/portal/files: documents staff share with the customer (price lists, manuals, certificates...)."""

from frappe import _

from rma_portal import access
from rma_portal.api import shared_files as api
from rma_portal.www.portal import common_context, form_arg, paging

no_cache = 1


def get_context(context):
	access.customer_for("file.read")
	common_context(context, _("Shared files"))
	search = form_arg("search")
	result = api.list_files(search=search, page=form_arg("page") or 1)
	context.rows = result["rows"]
	context.search = search
	paging(context, "/portal/files", result, api.PAGE_SIZE, search=search)
	return context
