"""page_renderer hook: pages the request guard answers itself (overrides/request_guard.py decides in
before_request, where no page can be answered yet, and sets a flag): the site's not-found page
(www/404.html) for a refused page, and a redirect to the app's page in place of ERPNext's."""

import frappe
from frappe.website.page_renderers.not_found_page import NotFoundPage
from frappe.website.page_renderers.redirect_page import RedirectPage


class RefusedPage(NotFoundPage):
	def can_render(self):
		return bool(frappe.local.flags.get("rma_portal_not_found"))

	def can_cache_404(self):
		return False  # Frappe caches 404s per URL for everyone: staff may see this page


class PortalRedirect(RedirectPage):
	def __init__(self, path, http_status_code=None):
		super().__init__(path, 302)  # temporary: staff may switch ERPNext's page back on

	def can_render(self):
		return bool(frappe.local.flags.get("rma_portal_redirect"))


def redirect(location: str):
	"""Answer the current page request with a redirect to `location` (from before_request)."""
	frappe.flags.redirect_location = location
	frappe.local.flags.rma_portal_redirect = True
