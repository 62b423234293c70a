"""Existing sites: the warranty claim form and the service requests read the items each customer
bought from their own table from now on; fill it from ERPNext's submitted Sales Invoices and
Delivery Notes (services/history/purchased_items.py)."""

from rma_portal.services.history import fill, purchased_items


def execute():
	fill.fill_table("purchased_items")  # per customer in committed batches, resumable
	purchased_items.ensure_index()
