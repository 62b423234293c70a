"""Desk actions on an RMA (buttons in rma.js): each checks write permission, then calls a service."""

import json

import frappe

from rma_portal.services import credit_note, lifecycle


def _parse(value):
	if isinstance(value, str):
		value = value.strip()
		return json.loads(value) if value else None
	return value


def _check(name: str):
	frappe.has_permission("RMA", "write", name, throw=True)


@frappe.whitelist(methods=["POST"])
def receive_rma(name: str, quantities: str | dict, handling: str | dict | None = None) -> dict:
	_check(name)
	doc = lifecycle.receive(name, _parse(quantities) or {}, _parse(handling) or None)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def make_credit_note(name: str) -> dict:
	_check(name)
	first = credit_note.make_credit_note(name)
	return {"name": name, "credit_note": first, "credit_notes": credit_note.credit_notes_of(name)}


@frappe.whitelist(methods=["POST"])
def reject_rma(name: str, reason: str) -> dict:
	_check(name)
	doc = lifecycle.reject(name, reason)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def cancel_rma(name: str, reason: str) -> dict:
	_check(name)
	doc = lifecycle.cancel(name, reason)
	return {"name": doc.name, "status": doc.status}
