"""The /company pages (the company, its users, its addresses)."""


def page_context(context, title: str, parent_route: str, parent_title: str) -> None:
	"""A company page's frame: never cached, the portal's sidebar, its title and the way back to its parent."""
	context.no_cache = 1
	context.show_sidebar = True
	context.title = title
	context.parents = [{"route": parent_route, "title": parent_title}]
