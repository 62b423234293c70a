"""/portal/files: documents staff share with the customer (price lists, manuals, certificates...)."""

from frappe import _

from rma_portal import access
from rma_portal.api import shared_files as api
from rma_portal.www.portal import list_page

no_cache = 1


def get_context(context):
	access.customer_for("file.read")
	list_page(context, _("Shared files"), "/portal/files", api.list_files, _("File name"))
	return context
