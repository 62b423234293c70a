"""What the in-process benchmarks of this folder share: the --site and --customer options and the
connection as Administrator. They run as files from the bench's sites/ folder, so this folder is on
their import path: `from bench_site import connect, site_parser`."""

import argparse

import frappe


def site_parser(customer: str) -> argparse.ArgumentParser:
	"""The options every benchmark takes: --site and --customer (the benchmark data's customer, by default
	`customer`); the script adds its own."""
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default="rma.localhost")
	parser.add_argument("--customer", default=customer)
	return parser


def send_return(customer: str, user: str, rows: list[dict], reason: str) -> str:
	"""The return request a dealer sends from /rma/new: one unit of each candidate line in `rows`."""
	from rma_portal.services.returns.returns import create_return_rma

	lines = [{"delivery_note_item": row["delivery_note_item"], "qty": 1} for row in rows]
	return create_return_rma(customer, user, lines, return_reason=reason, terms_accepted=True)


def connect(site: str) -> None:
	"""Connect to `site` (from the bench's sites/ folder) as Administrator."""
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
