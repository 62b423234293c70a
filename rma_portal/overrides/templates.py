"""before_request: web pages compile their templates once per worker process, not once per request.

Frappe (v15) builds its Jinja environment anew for every request (frappe.local.jenv), so every template
a page extends or includes (web.html, base.html, the sidebar, the app's macros) was compiled again on
every request: about half of a portal page's time, and of Frappe's own /me (measured with
benchmarks/page_profile.py). Jinja's bytecode cache, kept per process, hands the next request's
environment the compiled code; it is keyed by the template's name and the checksum of its source, so
an edited template compiles anew. The environment itself (its globals: user, form_dict, language)
stays per request.

A page's own template is not loaded but handed over as text (frappe.render_template ->
jenv.from_string), which Jinja compiles every time: 10-15% of /portal/invoices beyond /me
(benchmarks/page_profile.py --profile). The environment's from_string keeps the compiled code per
process too, keyed by the text's checksum (at most COMPILED_TEXTS texts: rendered e-mails and print
formats pass through it as well).
"""

import hashlib

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
COMPILED_TEXTS = 256
_compiled: dict[str, object] = {}


def _from_string_kept(jenv):
	"""jenv.from_string, with the compiled code of each text kept in this process."""
	compile_anew = jenv.from_string

	def from_string(source, globals=None, template_class=None):
		if not isinstance(source, str) or template_class is not None:
			return compile_anew(source, globals, template_class)
		key = hashlib.sha256(source.encode()).hexdigest()
		code = _compiled.get(key)
		if code is None:
			if len(_compiled) >= COMPILED_TEXTS:
				_compiled.clear()
			code = _compiled[key] = jenv.compile(source)
		return jenv.template_class.from_code(jenv, code, jenv.make_globals(globals), None)

	from_string.kept = True
	return from_string


def before_request():
	if shares_compiled_templates():
		return  # v16: Frappe's own environment keeps the compiled templates between requests
	request = getattr(frappe.local, "request", None)
	if request is None or request.path.startswith(("/api/", "/assets/", "/files/", "/private/")):
		return  # methods and files render no page: their environment is built only when needed
	jenv = frappe.get_jenv()
	jenv.bytecode_cache = CACHE
	if not getattr(jenv.from_string, "kept", False):
		jenv.from_string = _from_string_kept(jenv)
