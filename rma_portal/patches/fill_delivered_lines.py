"""Existing sites: the return candidates read their own table of delivered lines from now on;
fill it and its per-day figures from ERPNext's submitted Delivery Notes (services/history/delivered_lines.py)."""

from rma_portal.services.history import delivered_lines, fill


def execute():
	fill.fill_table("delivered_lines")  # per customer in committed batches, resumable
