"""before_request: Frappe's route maps are compiled once per process, not on every page request.

To find which page a path is, Frappe (v15 and v16) matches it against werkzeug route maps that it
builds from their rules anew on every request (frappe.website.router.evaluate_dynamic_routes): the
site's route rules (website_route_rules hooks and DocTypes with a route, 61 rules with ERPNext) for
every page, and the published Web Forms' and dynamic Web Pages' rules for a page not found earlier.
Compiling a map turns each rule into a regular expression and a URL builder: 5 ms of CPU of every
page (in-process, benchmarks/page_profile.py), a fifth of a portal page once
overrides/website_boot.py and overrides/app_pages.py have spared the rest.

The rules themselves are still read on every request (from Frappe's cache); a map is compiled once
for each set of rules and kept, so an added Web Form or route rule gives a new set and a new map.
Matching a kept map is Frappe's own code below (which also tolerates a request of None, as in
tests). Installed by replacing the function in frappe.website.router and the name
frappe.website.path_resolver imported it under.
"""

import threading

import frappe
from werkzeug.exceptions import NotFound
from werkzeug.routing import Map

# at most this many maps per process: the site's rules, the web forms', the web pages' (a few sets
# per site served by the process); more means rules keep changing, and the maps start over
KEPT_MAPS = 32
_maps: dict[tuple, Map] = {}
_lock = threading.Lock()


def before_request():
	install()


def install():
	from frappe.website import path_resolver, router

	if getattr(router.evaluate_dynamic_routes, "keeps_maps", False):
		return
	router.evaluate_dynamic_routes = evaluate_dynamic_routes
	path_resolver.evaluate_dynamic_routes = evaluate_dynamic_routes


def evaluate_dynamic_routes(rules, path):
	"""Frappe's evaluate_dynamic_routes with the map of `rules` kept: the endpoint `path` leads to."""
	route_map = compiled_map(rules)
	endpoint = None

	request = getattr(frappe.local, "request", None)
	if request is not None and request.environ:
		urls = route_map.bind_to_environ(request.environ)
		try:
			endpoint, args = urls.match("/" + path)
			if args:
				# don't cache when there's a query string!
				frappe.local.no_cache = 1
				frappe.local.form_dict.update(args)
		except NotFound:
			pass

	return endpoint


evaluate_dynamic_routes.keeps_maps = True


def compiled_map(rules) -> Map:
	"""The werkzeug Map of `rules`, compiled the first time this set of rules is seen."""
	key = tuple((rule.rule, rule.endpoint, repr(rule.defaults)) for rule in rules)
	route_map = _maps.get(key)
	if route_map is None:
		with _lock:
			route_map = _maps.get(key)
			if route_map is None:
				if len(_maps) >= KEPT_MAPS:
					_maps.clear()
				route_map = _maps[key] = Map(rules)
	return route_map
