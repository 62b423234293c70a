"""page_renderer hook: the app's own pages are rendered at once, not first tried as other kinds of page.

For each page request Frappe tries the path as a static file, as a Web Form (compiling a werkzeug
route map of five rules per published web form, on every request) and as a document of a DocType
with a web view before it looks for a page template in the apps' www/ folders: about 5.5 ms of CPU
of each of the app's pages, a tenth of them (in-process, benchmarks/page_profile.py). This renderer,
asked before those, takes a path whose template is a page of this app's www/ (an .html or .md file;
a script or stylesheet beside it stays a static file) and renders it as Frappe's TemplatePage would.

So a Web Form or web-view document given the route of one of the app's pages no longer hides that
page; a page of the same path in an app installed after this one is still that app's (Frappe looks
for templates in the last installed app first, and this renderer then declines).
"""

from frappe.website.page_renderers.template_page import TemplatePage

PAGE_TEMPLATES = (".html", ".md")


class AppPage(TemplatePage):
	def can_render(self):
		return (
			getattr(self, "app", None) == "rma_portal"
			and self.template_path.endswith(PAGE_TEMPLATES)
			and super().can_render()
		)
