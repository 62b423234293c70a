"""Faults: the worker running a CSV import is killed (OOM killer, deploy, kill -9) half-way through.

The import runs in a separate process (as a background worker would) and is paused after its third
RMA is written; the test then kills that process with SIGKILL. The import writes all its requests in
one transaction, so the database must hold none of them afterwards, and a new upload of the same
file must import cleanly.
"""

import csv
import io
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from rma_portal.demo.data import CUSTOMERS, ITEMS, gtin13_for
from rma_portal.services.service import service_lookups

CUSTOMER = "Demo Dealer"
USER = CUSTOMERS[CUSTOMER][0]
BRAND_WITHOUT_SERIALS = "Lumio"
PAUSE_AFTER = 3

# Runs inside the bench's Python: the real background job function, with the RMA insert slowed
# down after the third request so that the parent can kill the process mid-import.
WORKER = textwrap.dedent(
	"""
	import sys, time, frappe
	site, sites_path, marker, csv_path, rma_type = sys.argv[1:6]
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	from rma_portal.services.service import service_csv, service_rma
	real_insert, inserted = service_rma.insert_service_rma, []

	def slow_insert(*args, **kwargs):
		name = real_insert(*args, **kwargs)
		inserted.append(name)
		if len(inserted) == {pause}:
			open(marker, "w").write(",".join(inserted))
			time.sleep(120)
		return name

	service_rma.insert_service_rma = slow_insert
	result = service_csv.run_service_csv_job(
		"killed-import", {customer!r}, {user!r}, open(csv_path, "rb").read(), rma_type
	)
	print("import finished without pausing:", result)
	"""
).format(pause=PAUSE_AFTER, customer=CUSTOMER, user=USER)


class TestKilledImport(FrappeTestCase):
	def setUp(self):
		self.rma_type = frappe.db.get_value(
			"RMA Type", {"enabled": 1, "waives_proof_of_purchase": 1, "brand": ("is", "not set")}
		)
		self.assertTrue(self.rma_type, "the demo has an RMA type that needs no proof of purchase")
		self.own_numbers = [f"KILL-{frappe.generate_hash(length=6)}-{n}" for n in range(8)]

	def csv_file(self) -> bytes:
		brand_items = [
			(index, code)
			for index, (code, *_rest) in enumerate(ITEMS, start=1)
			if frappe.db.get_value("Item", code, "brand") == BRAND_WITHOUT_SERIALS
		]
		bought = service_lookups.purchase_history(CUSTOMER, [code for _i, code in brand_items])
		index, code = next((i, c) for i, c in brand_items if c in bought)
		sale_date = getdate(bought[code].last_purchase).isoformat()
		fault = frappe.db.get_value("RMA Fault Type Item", {"item_code": code}, "parent")
		fault_name = frappe.db.get_value("RMA Fault Type", fault, "fault_name") if fault else ""
		out = io.StringIO()
		writer = csv.writer(out)
		for number in self.own_numbers:
			row = [number, gtin13_for(index), "", sale_date, "Stays dark after switching on", "Repair"]
			writer.writerow([*row, fault_name])
		return out.getvalue().encode()

	def imported(self) -> int:
		frappe.db.rollback()  # a fresh snapshot
		return frappe.db.count("RMA", {"customer_rma_no": ("in", self.own_numbers)})

	def test_a_worker_killed_mid_import_leaves_no_request(self):
		with tempfile.TemporaryDirectory() as scratch:
			os.chmod(scratch, 0o777)  # the bench user runs the worker
			csv_path, marker = Path(scratch, "import.csv"), Path(scratch, "paused")
			csv_path.write_bytes(self.csv_file())
			bench = Path(frappe.utils.get_bench_path())
			worker = subprocess.Popen(
				[
					sys.executable,
					"-c",
					WORKER,
					frappe.local.site,
					str(bench / "sites"),
					str(marker),
					str(csv_path),
					self.rma_type,
				],
				cwd=bench / "sites",
				stdout=subprocess.PIPE,
				stderr=subprocess.STDOUT,
			)
			deadline = time.monotonic() + 120
			while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
				time.sleep(0.2)
			output = "" if marker.exists() else worker.communicate(timeout=30)[0].decode(errors="replace")
			self.assertTrue(marker.exists(), f"the import did not reach its third request:\n{output[-3000:]}")
			paused_after = marker.read_text().split(",")
			self.assertEqual(len(paused_after), PAUSE_AFTER)
			worker.send_signal(signal.SIGKILL)
			worker.wait(timeout=30)

		# MariaDB rolls back the dead connection's transaction; give it a moment to notice.
		deadline = time.monotonic() + 30
		while self.imported() and time.monotonic() < deadline:
			time.sleep(0.5)
		self.assertEqual(self.imported(), 0, f"requests of the killed import were kept: {paused_after}")
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("RMA", paused_after[0]))
