"""gunicorn settings for serving one bench site on loopback, as `bench serve` does.

Used by scripts/lib.sh: run from the bench's sites/ folder with FRAPPE_SITE set.
"""

import os

workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 120
graceful_timeout = 10
# How long an idle keep-alive connection is kept (gunicorn's default: 2 s). No proxy stands in front
# of this server, so its clients' connections idle between their requests (the load test's users
# think 1-5 s): at 2 s the server closed connections just as a client sent its next request on them,
# and that request was reset (6 and 10 of the load test's 1,200-1,600 requests).
keepalive = int(os.environ.get("WEB_KEEPALIVE", "30"))


def post_fork(server, worker):
	# Before the worker imports the WSGI app: pin the site (no Host-based lookup) and serve
	# /assets and /files from disk, since no nginx stands in front of this server.
	import frappe.app

	frappe.app._site = os.environ["FRAPPE_SITE"]
	frappe.app._sites_path = "."
	pages = frappe.app.application
	frappe.app.application_with_statics()
	frappe.app.application = _pages_for_missing_files(frappe.app.application, pages)


# Pages a worker renders once as a guest before it takes requests (comma-separated; empty: none). A
# cold worker's first page paid for the imports of the app's page modules, Jinja's environment and the
# compiling of the shared templates: a user's first /rma/new 0.7-1.8 s against 0.2 s later, in-process
# on the loaded 2-core machine; warmed, 0.3-0.4 s (benchmarks/RESULTS.md, "A user's first /rma/new").
WARM_PATHS = [p for p in os.environ.get("WEB_WARM_PATHS", "/login,/rma/new,/me").split(",") if p]


def post_worker_init(worker):
	from werkzeug.test import Client

	client = Client(worker.wsgi)
	for path in WARM_PATHS:
		try:
			client.get(path, base_url="http://localhost", buffered=True)
		except Exception as error:  # a warm-up never keeps the worker from serving
			worker.log.warning("warm-up of %s failed: %r", path, error)


def _pages_for_missing_files(statics, pages):
	"""Frappe's /files loader raises werkzeug's NotFound for a file that is not there (and for
	"/files" itself), which no one catches: a bare "Internal Server Error". Such a request goes to
	Frappe's pages instead, which answer the site's own 404 page."""
	from werkzeug.exceptions import NotFound

	def application(environ, start_response):
		try:
			return statics(environ, start_response)
		except NotFound:
			return pages(environ, start_response)

	return application
