"""The demo's outgoing e-mail: an Email Account that delivers into the demo mailbox on this machine.

`scripts/mailbox serve` (started by scripts/setup and scripts/test) is an SMTP sink on 127.0.0.1 that
keeps every message; `scripts/mailbox` and http://127.0.0.1:8025 show them. With this account the
demo's registration, invitations and RMA mails work as on a real site, and nothing leaves the machine.
"""

import frappe

ACCOUNT = "Demo mailbox"
SENDER = "portal@demo.example"
HOST = "127.0.0.1"
PORT = 2525


def make_outgoing_account(port: int = PORT) -> str | None:
	"""The site's default outgoing account, sending to the sink on 127.0.0.1:`port` (kept when made).
	Frappe checks the connection when it saves an account on this machine: when the sink is not
	running, nothing is made and the reason is returned."""
	if frappe.db.exists("Email Account", ACCOUNT):
		return None
	account = frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": ACCOUNT,
			"email_id": SENDER,
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": HOST,
			"smtp_port": str(port),
			"use_tls": 0,
			"use_ssl_for_outgoing": 0,
			"no_smtp_authentication": 1,
			"always_use_account_email_id_as_sender": 1,
		}
	)
	try:
		account.insert(ignore_permissions=True)
	except Exception as e:
		frappe.db.rollback()
		return f"no outgoing Email Account made: the demo mailbox does not answer on {HOST}:{port} ({e})"
	frappe.db.commit()
	return None


def make_scheduled_jobs_due() -> int:
	"""Let the scheduler run the site's jobs now (the e-mail queue's flush among them), not hours later.

	Frappe installs its Scheduled Job Types in its default time zone (Asia/Kolkata); the setup wizard
	then moves the site to the company's (Europe/Amsterdam here), so every job's first run, counted from
	its creation, lies hours ahead and the demo's mails would wait in the queue until then. Returns how
	many job types were moved."""
	now = frappe.utils.now_datetime()
	late = frappe.get_all(
		"Scheduled Job Type",
		filters={"last_execution": ["is", "not set"], "creation": [">", now]},
		pluck="name",
	)
	for name in late:
		frappe.db.set_value("Scheduled Job Type", name, "last_execution", now, update_modified=False)
	frappe.db.commit()
	return len(late)
