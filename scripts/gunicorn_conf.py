"""gunicorn settings for serving one bench site on loopback, as `bench serve` does.

Used by scripts/lib.sh: run from the bench's sites/ folder with FRAPPE_SITE set.
"""

import os

workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 120
graceful_timeout = 10


def post_fork(server, worker):
	# Before the worker imports the WSGI app: pin the site (no Host-based lookup) and serve
	# /assets and /files from disk, since no nginx stands in front of this server.
	import frappe.app

	frappe.app._site = os.environ["FRAPPE_SITE"]
	frappe.app._sites_path = "."
	frappe.app.application_with_statics()
