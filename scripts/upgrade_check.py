"""The Python half of scripts/upgrade-check, run in the bench's sites folder as the bench user.

    python upgrade_check.py enqueue SITE STATE   (with the OLD release's code on PYTHONPATH)
    python upgrade_check.py work SITE            (a burst worker over the site's own queues)
    python upgrade_check.py tick SITE            (the scheduler's next tick of the documents retry)
    python upgrade_check.py verify SITE STATE    (with the current code, after the worker)

`enqueue` makes the old release queue real jobs the way it does in use, and writes what it queued
to STATE (JSON); `verify` reads STATE and checks each job and its effect. Only frappe and dotted
paths are used, so the same file runs against both releases.

The site's queues are its own: site_config's bench_id names them (frappe.utils.background_jobs
.generate_qname), so no other worker of the bench takes these jobs and this worker takes no one
else's.
"""

import json
import sys

import frappe

OLD_DOCUMENTS_JOB = "rma_portal.services.documents.make_documents_and_confirm"
OLD_RETRY_JOB = "rma_portal.services.documents.retry_missing_documents"
SCHEDULER_JOB = "frappe.core.doctype.scheduled_job_type.scheduled_job_type.run_scheduled_job"
CUSTOMER = "Demo Dealer"


def connect(site: str):
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")


def queued_jobs() -> list:
	"""Every job waiting in the site's queues."""
	from frappe.utils.background_jobs import get_queue, get_queues_timeout

	return [job for qtype in get_queues_timeout() for job in get_queue(qtype).get_jobs()]


def job_path(job) -> str:
	"""The dotted path the job will run: the method, or a scheduler job's job type."""
	method = job.kwargs.get("method")
	if method == SCHEDULER_JOB:
		return job.kwargs["kwargs"]["job_type"]
	return method if isinstance(method, str) else repr(method)


def portal_user() -> str:
	"""The demo dealer's portal login (demo.data.CUSTOMERS in both releases)."""
	return frappe.get_attr("rma_portal.demo.data.CUSTOMERS")[CUSTOMER][0]


def untracked(item_codes) -> set:
	"""The items among `item_codes` without serial or batch numbers (no serials to name)."""
	return set(
		frappe.get_all(
			"Item",
			{"name": ("in", list(item_codes) or [""]), "has_serial_no": 0, "has_batch_no": 0},
			pluck="name",
		)
	)


def submit_return(user: str, skip: set) -> str:
	"""An RMA for one unit of a returnable line, sent as the portal does (the old request service)."""
	create = frappe.get_attr("rma_portal.services.return_request.create_return_rma")
	candidates = frappe.get_attr("rma_portal.services.returns.candidate_lines")
	reason = frappe.db.get_value("RMA Return Reason", {"enabled": 1}, "name")
	rows = [r for r in candidates(CUSTOMER, page_size=100)["rows"] if r.qty_returnable >= 1]
	plain = untracked({r.item_code for r in rows})
	row = next(r for r in rows if r.delivery_note_item not in skip and r.item_code in plain)
	skip.add(row.delivery_note_item)
	name = create(
		CUSTOMER,
		user,
		[{"delivery_note_item": row.delivery_note_item, "qty": 1}],
		return_reason=reason,
		customer_reference="UPGRADE-CHECK",
		terms_accepted=True,
	)
	frappe.db.commit()  # the documents job is queued after the commit
	return name


def lose_job_of(rma: str):
	"""The documents job of `rma` as if its worker died: gone from the queue, the RMA sent 10
	minutes ago without documents, which the scheduler's retry is for."""
	for job in queued_jobs():
		if job_path(job) == OLD_DOCUMENTS_JOB and job.kwargs["kwargs"].get("name") == rma:
			job.delete()
	frappe.db.set_value(
		"RMA", rma, "submitted_on", frappe.utils.add_to_date(None, minutes=-10), update_modified=False
	)
	frappe.db.commit()


def queue_scheduler_retry():
	"""The scheduler's tick of the documents retry, queued as frappe's scheduler queues it."""
	job_type = frappe.get_doc("Scheduled Job Type", {"method": OLD_RETRY_JOB})
	if not job_type.enqueue(force=True) and not job_type.is_job_in_queue():
		raise RuntimeError(f"the scheduler did not queue {OLD_RETRY_JOB}")


def file_claim(user: str) -> str:
	"""A warranty claim for an item the dealer bought that the old rules accept without a serial
	(the brand's serial policy may ask for one); filing it queues the Received mail."""
	claim_errors = frappe.get_attr("rma_portal.services.warranty_claims.claim_errors")
	create = frappe.get_attr("rma_portal.services.warranty_claims.create_claim")
	description = "Stopped working after the upgrade check"
	bought = frappe.db.sql_list(
		"""select distinct dni.item_code from `tabDelivery Note Item` dni
		join `tabDelivery Note` dn on dn.name = dni.parent
		where dn.customer = %s and dn.docstatus = 1 and dn.is_return = 0 order by dni.item_code""",
		CUSTOMER,
	)
	item = next(code for code in sorted(untracked(bought)) if not claim_errors(CUSTOMER, code, description))
	name = create(CUSTOMER, user, item, description)
	frappe.db.commit()
	return name


CSV_OWN_NUMBER = "UPGRADE-CHECK-CSV"


def import_service_csv(user: str) -> str:
	"""A service request file of one row, queued as the old portal queues a file
	(service_csv.enqueue_service_csv): a unit the dealer bought, under the type that needs no proof."""
	rma_type = frappe.db.get_value("RMA Type", {"enabled": 1, "waives_proof_of_purchase": 1}, "name")
	ean, sold_on = frappe.db.sql(
		"""select ib.barcode, dn.posting_date from `tabDelivery Note Item` dni
		join `tabDelivery Note` dn on dn.name = dni.parent join tabItem i on i.name = dni.item_code
		join `tabItem Barcode` ib on ib.parent = i.name left join tabBrand b on b.name = i.brand
		where dn.customer = %s and dn.docstatus = 1 and dn.is_return = 0 and i.has_serial_no = 0
		and i.has_batch_no = 0 and coalesce(b.rma_serial_no_required, 0) = 0
		order by dn.posting_date desc, dni.name limit 1""",
		CUSTOMER,
	)[0]
	header = "own RMA number,EAN,serial number,sale date,problem,expectation"
	data = f"{header}\n{CSV_OWN_NUMBER},{ean},,{sold_on},Stopped after the upgrade check,Repair\n".encode()
	enqueue_file = frappe.get_attr("rma_portal.services.service_csv.enqueue_service_csv")
	token = enqueue_file(CUSTOMER, user, data, rma_type)
	frappe.db.commit()
	return token


def enqueue(site: str, state_file: str):
	connect(site)
	import rma_portal

	print(f"rma_portal imported from {rma_portal.__file__}")
	user = portal_user()
	skip = set()
	with_job = submit_return(user, skip)
	lost = submit_return(user, skip)
	lose_job_of(lost)
	queue_scheduler_retry()
	claim = file_claim(user)
	import_service_csv(user)
	jobs = [
		{
			"id": job.id,
			"path": job_path(job),
			"status": job.get_status(),
			"name": job.kwargs["kwargs"].get("name"),
		}
		for job in queued_jobs()
	]
	for job in jobs:
		print(f"  queued {job['id']}: {job['path']} ({job['status']})")
	state = {"rma_with_job": with_job, "rma_lost_job": lost, "claim": claim, "jobs": jobs}
	state["since"] = frappe.utils.now()  # Error Logs from here on are the upgrade's
	with open(state_file, "w") as f:
		json.dump(state, f, indent=1)
	frappe.destroy()


def tick(site: str):
	"""The scheduler's next tick of the documents retry, under the job type migrate made for the
	current path (hooks.py): a tick queued under the old path finds no job type after the upgrade."""
	connect(site)
	cron = frappe.get_hooks("scheduler_events")["cron"]
	retry = next(m for methods in cron.values() for m in methods if m.endswith(".retry_missing_documents"))
	frappe.get_doc("Scheduled Job Type", {"method": retry}).enqueue(force=True)
	frappe.db.commit()
	print(f"queued the scheduler's tick of {retry}")
	frappe.destroy()


def work(site: str):
	"""frappe's start_worker in burst mode, over the queues of this site's bench_id."""
	from frappe.utils.background_jobs import get_queue_list, get_redis_conn
	from rq import Worker

	frappe.init(site=site, sites_path=".")
	connection = get_redis_conn()
	queues = get_queue_list(None, build_queue_name=True)
	print("worker on", ", ".join(queues))
	frappe.destroy()
	Worker(queues, connection=connection).work(burst=True, logging_level="INFO")


def verify(site: str, state_file: str):
	from frappe.utils.background_jobs import get_redis_conn
	from rq.job import Job

	connect(site)
	import rma_portal

	print(f"rma_portal imported from {rma_portal.__file__}")
	with open(state_file) as f:
		state = json.load(f)
	problems = []
	for job in state["jobs"]:
		status = Job.fetch(job["id"], connection=get_redis_conn()).get_status()
		print(f"  job {job['path']}: {status}")
		if str(getattr(status, "value", status)) != "finished":
			problems.append(f"job {job['path']} ({job['id']}) is {status}")
	problems += check_effects(state, state["since"])
	frappe.destroy()
	return problems


def check_effects(state: dict, since: str) -> list[str]:
	"""What each job was for: the RMAs' documents and confirmation mails, the claim's mail, and no
	Error Log since the upgrade began."""
	problems = []
	queued_for = [job["name"] for job in state["jobs"] if job["path"] == OLD_DOCUMENTS_JOB]
	for rma in [*queued_for, state["rma_lost_job"]]:
		documents = frappe.db.get_value("RMA", rma, "documents")
		print(f"  RMA {rma}: documents {documents or 'none'}")
		if not documents or not frappe.db.exists("File", {"file_url": documents, "attached_to_name": rma}):
			problems.append(f"RMA {rma} has no documents attached")
	for rma in queued_for:
		if not frappe.db.exists("Email Queue", {"reference_doctype": "RMA", "reference_name": rma}):
			problems.append(f"RMA {rma}: no confirmation mail queued")
	claim_doctype = frappe.db.get_value("DocType", {"name": ("like", "%Warranty Claim")}, "name")
	if not frappe.db.exists(
		"Email Queue", {"reference_doctype": claim_doctype, "reference_name": state["claim"]}
	):
		problems.append(f"claim {state['claim']}: no Received mail queued")
	else:
		print(f"  claim {state['claim']}: Received mail queued")
	imported = frappe.db.get_value("RMA", {"customer_rma_no": CSV_OWN_NUMBER}, ["name", "documents"])
	print(f"  service file: RMA {imported[0] if imported else 'none'}, documents {(imported or [0, 0])[1]}")
	if not imported or not imported[1]:
		problems.append("the service file made no RMA with documents")
	for log in frappe.get_all("Error Log", {"creation": (">=", since)}, ["method", "error"]):
		problems.append(f"Error Log: {log.method}: {(log.error or '').strip().splitlines()[-1:]}")
	return problems


if __name__ == "__main__":
	command, site = sys.argv[1], sys.argv[2]
	if command == "enqueue":
		enqueue(site, sys.argv[3])
	elif command == "tick":
		tick(site)
	elif command == "work":
		work(site)
	elif command == "verify":
		found = verify(site, sys.argv[3])
		print("\n".join(f"  PROBLEM: {p}" for p in found) or "  every job ran and did its work")
		sys.exit(1 if found else 0)
	else:
		sys.exit(f"unknown command {command}")
