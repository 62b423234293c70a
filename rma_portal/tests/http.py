"""Requests through Frappe's own WSGI application from an integration test.

Each request is served in a thread of its own (its own `frappe.local` and database connection, as a
web worker would), so it sees what the test committed and goes through Frappe's whole request path:
session, CSRF check, before_request hooks, routing, error handling.
"""

import threading
from unittest.mock import patch

import frappe
from frappe.app import application
from werkzeug.test import Client


def answered(response):
	"""The response read whole and closed, as a web server does once it has sent it: Frappe then runs
	what it keeps for after the response (frappe.request.after_response) and ends the request."""
	response.make_sequence()
	response.close()
	return response


def over_http(call, *args, **kwargs):
	"""One request through Frappe's WSGI app, served in another thread as a web worker would."""
	site, result = frappe.local.site, {}

	def serve():
		with patch("frappe.app.get_site_name", return_value=site):
			result["response"] = answered(call(*args, **kwargs))

	worker = threading.Thread(target=serve)
	worker.start()
	worker.join()
	return result["response"]


def concurrently(calls: list) -> list:
	"""Several requests at the same moment, each served in its own thread (and database connection),
	released together by a barrier; the responses in the order of `calls` ((function, args, kwargs))."""
	site, responses = frappe.local.site, [None] * len(calls)
	start = threading.Barrier(len(calls))

	def serve(index, call, args, kwargs):
		start.wait()
		responses[index] = answered(call(*args, **kwargs))

	workers = [threading.Thread(target=serve, args=(i, *call)) for i, call in enumerate(calls)]
	with patch("frappe.app.get_site_name", return_value=site):
		for worker in workers:
			worker.start()
		for worker in workers:
			worker.join()
	return responses


class Browser:
	"""A client with a cookie jar of its own, logged in as `user` (or a guest)."""

	TOKEN_PAGE = "/rma"  # the portal page whose CSRF token the client's POSTs send

	def __init__(self, user: str | None = None, password: str | None = None):
		self.client = Client(application)
		self.csrf_token = None
		if user:
			response = self.post("/api/method/login", {"usr": user, "pwd": password})
			assert response.status_code == 200, f"login of {user}: {response.status_code}"

	def get(self, path: str, **params):
		return over_http(self.client.get, path, query_string=params or None)

	def post(self, path: str, data: dict | None = None, csrf: bool = False, headers: dict | None = None):
		call, args, kwargs = self.post_call(path, data, csrf, headers)
		return over_http(call, *args, **kwargs)

	def post_call(self, path: str, data: dict | None = None, csrf: bool = False, headers: dict | None = None):
		"""The POST as (function, args, kwargs), for `concurrently`."""
		headers = dict(headers or {})
		if csrf:
			headers["X-Frappe-CSRF-Token"] = self.page_csrf_token()
		return self.client.post, (path,), {"data": data or {}, "headers": headers}

	def page_csrf_token(self) -> str:
		"""The token a portal page (TOKEN_PAGE) hands its scripts, as a browser would read it."""
		if not self.csrf_token:
			body = self.get(self.TOKEN_PAGE).get_data(as_text=True)
			marker = 'frappe.csrf_token = "'
			self.csrf_token = body.split(marker, 1)[1].split('"', 1)[0] if marker in body else ""
		return self.csrf_token
