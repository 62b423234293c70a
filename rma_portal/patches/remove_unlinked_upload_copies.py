"""Existing sites: every upload whose bytes no earlier file had left a second copy in private/files that
no File names (services/shared/files.py wrote it under its own "<12 hex>-name" before Frappe stored the
bytes again under a name of its own). Those copies are customers' documents known to nothing, never
deleted with their RMA or claim: removed here. Only files of that naming that no File points at."""

import os
import re

import frappe

_OWN_NAMING = re.compile(r"^[0-9a-f]{12}-")


def execute():
	folder = frappe.get_site_path("private", "files")
	if not os.path.isdir(folder):
		return
	known = set(frappe.get_all("File", filters={"is_private": 1}, pluck="file_url"))
	for name in os.listdir(folder):
		path = os.path.join(folder, name)
		if _OWN_NAMING.match(name) and f"/private/files/{name}" not in known and os.path.isfile(path):
			os.remove(path)
