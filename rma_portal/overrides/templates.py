"""before_request: web pages compile their templates once per worker process, not once per request.

Frappe (v15) builds its Jinja environment anew for every request (frappe.local.jenv), so every template
a page extends or includes (web.html, base.html, the sidebar, the app's macros) was compiled again on
every request: about half of a portal page's time, and of Frappe's own /me (measured with
benchmarks/page_profile.py). Jinja's bytecode cache, kept per process, hands the next request's
environment the compiled code; it is keyed by the template's name and the checksum of its source, so
an edited template compiles anew. The environment itself (its globals: user, form_dict, language)
stays per request.
"""

import frappe
from jinja2 import BytecodeCache

from rma_portal.compat import shares_compiled_templates


class ProcessBytecodeCache(BytecodeCache):
	"""Compiled templates in this process's memory (a few hundred templates)."""

	def __init__(self):
		self.store: dict[str, bytes] = {}

	def load_bytecode(self, bucket):
		code = self.store.get(bucket.key)
		if code is not None:
			bucket.bytecode_from_string(code)

	def dump_bytecode(self, bucket):
		self.store[bucket.key] = bucket.bytecode_to_string()


CACHE = ProcessBytecodeCache()


def before_request():
	if shares_compiled_templates():
		return  # v16: Frappe's own environment keeps the compiled templates between requests
	request = getattr(frappe.local, "request", None)
	if request is None or request.path.startswith(("/api/", "/assets/", "/files/", "/private/")):
		return  # methods and files render no page: their environment is built only when needed
	frappe.get_jenv().bytecode_cache = CACHE
