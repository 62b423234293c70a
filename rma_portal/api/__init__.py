"""Whitelisted methods: each checks access first, then calls a service."""

import frappe
from frappe import _


def parse_arg(value, kind):
	"""JSON text from a form post, or an already-parsed value; `kind` is dict or list."""
	if value in (None, ""):
		return kind()
	if isinstance(value, str):
		value = frappe.parse_json(value)
	if not isinstance(value, kind):
		frappe.throw(_("Invalid request data."), frappe.ValidationError)
	return value
