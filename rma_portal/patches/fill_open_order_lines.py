"""Existing sites: the pending order lines page reads its own table of pending lines from now on;
fill it from ERPNext's submitted Sales Orders (services/history/open_order_lines.py)."""

from rma_portal.services.history import fill, open_order_lines


def execute():
	fill.fill_table("open_order_lines")  # per customer in committed batches, resumable
	open_order_lines.ensure_indexes()
