"""Dealer webhooks: a company's administrator registers HTTPS endpoints for events on /company/users;
each event of the company becomes one Dealer Webhook Delivery per endpoint that asked for it, sent
from the job queue, signed with the endpoint's secret (domain/webhooks.py), and retried with backoff
by the scheduler (hooks.py: every minute, `retry_due`) until it is delivered or given up.

Frappe's Webhook DocType is not used: it is a System Manager's tool (a Python condition over any
DocType, one request per document event, no per-customer scope), so a customer's administrator
cannot be given one without being given every customer's documents; its signature has no timestamp
and it retries only inside the job. The job queue, the scheduler and Password storage are Frappe's.
"""

import functools
import json
import secrets
import socket
from urllib.parse import urlsplit

import frappe
import requests
from frappe import _

from rma_portal.domain import webhooks as rules

WEBHOOK = "Dealer Webhook"
DELIVERY = "Dealer Webhook Delivery"
TIMEOUT_SECONDS = 10
PAGE_LENGTH = 20


def _developer_mode() -> bool:
	return bool(frappe.conf.get("developer_mode"))


def _refusal_text(reason: str) -> str:
	return {
		rules.BAD_URL: _("{0} is not valid: {1} was expected.").format("url", _("an https:// address")),
		rules.NOT_HTTPS: _("Webhook addresses must start with https://."),
		rules.LOOPBACK: _("Webhook addresses on this server itself are allowed only in developer mode."),
		rules.PRIVATE: _("Webhook addresses in a private network are not allowed."),
	}[reason]


def add_webhook(customer: str, url: str, events: list[str], actor: str) -> dict:
	"""Register an endpoint of `customer`; the answer holds its signing secret, shown only now."""
	url = url.strip()
	refusal = rules.url_refusal(url, _developer_mode())
	if refusal:
		frappe.throw(_refusal_text(refusal), frappe.ValidationError)
	unknown = set(events) - set(rules.EVENTS)
	if unknown or not events:
		frappe.throw(
			_("{0} is not valid: {1} was expected.").format("events", ", ".join(rules.EVENTS)),
			frappe.ValidationError,
		)
	frappe.db.get_value("Customer", customer, "name", for_update=True)  # one count at a time
	if frappe.db.count(WEBHOOK, {"customer": customer, "enabled": 1}) >= rules.MAX_ENDPOINTS:
		frappe.throw(
			_("A company can register at most {0} webhook addresses.").format(rules.MAX_ENDPOINTS),
			frappe.ValidationError,
		)
	secret = "whsec_" + secrets.token_urlsafe(32)
	doc = frappe.get_doc(
		{
			"doctype": WEBHOOK,
			"customer": customer,
			"url": url,
			"events": "\n".join(e for e in rules.EVENTS if e in set(events)),
			"enabled": 1,
			"created_by": actor,
			"secret": secret,
		}
	).insert(ignore_permissions=True)
	return {"name": doc.name, "secret": secret}


def _own(customer: str, name: str):
	if not name or frappe.db.get_value(WEBHOOK, name, "customer") != customer:
		raise frappe.DoesNotExistError(_("This webhook does not exist."))


def remove_webhook(customer: str, name: str) -> str:
	_own(customer, name)
	frappe.db.set_value(WEBHOOK, name, "enabled", 0)
	return name


def list_webhooks(customer: str) -> list[dict]:
	rows = frappe.get_all(
		WEBHOOK,
		filters={"customer": customer, "enabled": 1},
		fields=["name", "url", "events", "created_by", "creation"],
		order_by="creation desc",
	)
	for row in rows:
		row["events"] = list(rules.parse_events(row.events))
	return rows


def list_deliveries(customer: str, webhook: str | None = None, page: int = 1) -> dict:
	"""The customer's delivery log, newest first: event, state, attempts, the endpoint's answer."""
	filters = {"customer": customer}
	if webhook:
		_own(customer, webhook)
		filters["webhook"] = webhook
	rows = frappe.get_all(
		DELIVERY,
		filters=filters,
		fields=[
			"name",
			"webhook",
			"event",
			"event_id",
			"reference_doctype",
			"reference_name",
			"status",
			"attempts",
			"next_attempt",
			"delivered_on",
			"response_code",
			"error",
			"creation",
		],
		order_by="creation desc",
		start=(page - 1) * PAGE_LENGTH,
		page_length=PAGE_LENGTH + 1,
	)
	return {"deliveries": rows[:PAGE_LENGTH], "page": page, "has_more": len(rows) > PAGE_LENGTH}


# -- sending ----------------------------------------------------------------------------------------


def emit(event: str, customer: str, data: dict, reference_doctype: str, reference_name: str):
	"""One delivery per endpoint of `customer` that asked for `event`, sent once this transaction
	commits (nothing is sent for a change that is rolled back)."""
	endpoints = [
		row.name
		for row in frappe.get_all(
			WEBHOOK, filters={"customer": customer, "enabled": 1}, fields=["name", "events"]
		)
		if event in rules.parse_events(row.events)
	]
	for endpoint in endpoints:
		event_id = frappe.generate_hash(length=20)
		body = {
			"id": event_id,
			"event": event,
			"created": frappe.utils.now_datetime().isoformat(),
			"customer": customer,
			"data": data,
		}
		delivery = frappe.get_doc(
			{
				"doctype": DELIVERY,
				"webhook": endpoint,
				"customer": customer,
				"event": event,
				"event_id": event_id,
				"reference_doctype": reference_doctype,
				"reference_name": reference_name,
				"status": "Pending",
				"attempts": 0,
				"payload": json.dumps(body, default=str, sort_keys=True),
			}
		).insert(ignore_permissions=True)
		enqueue_delivery(delivery.name)


def enqueue_delivery(name: str):
	"""Send in a background job once the transaction commits; tests (no worker) send right after the
	commit, in the same process, as documents.enqueue_documents runs its job at once."""
	if frappe.flags.in_test:
		frappe.db.after_commit.add(functools.partial(deliver, name))
		return
	frappe.enqueue(
		"rma_portal.services.dealer_api.webhooks.deliver",
		queue="short",
		enqueue_after_commit=True,
		name=name,
	)


def _check_address(url: str):
	"""Resolve the endpoint's host and refuse it when any address is loopback (outside developer
	mode), private or reserved: a name may have been pointed inside since it was registered."""
	host = urlsplit(url).hostname or ""
	refusal = rules.address_refusal(host, _developer_mode())
	if refusal:
		raise ValueError(_refusal_text(refusal))
	for info in socket.getaddrinfo(host, None):
		refusal = rules.address_refusal(info[4][0], _developer_mode())
		if refusal:
			raise ValueError(_refusal_text(refusal))


def _post(url: str, secret: str, delivery) -> requests.Response:
	body = delivery.payload.encode()
	timestamp = int(frappe.utils.now_datetime().timestamp())
	_check_address(url)
	return requests.post(
		url,
		data=body,
		headers={
			"Content-Type": "application/json",
			"User-Agent": "rma-portal-webhooks",
			rules.SIGNATURE_HEADER: rules.sign(secret, timestamp, body),
			rules.EVENT_HEADER: delivery.event,
			rules.DELIVERY_HEADER: delivery.event_id,
		},
		timeout=TIMEOUT_SECONDS,
		allow_redirects=False,
	)


def deliver(name: str):
	"""Job: send one delivery (pending or due for a retry), record the answer, schedule the next
	attempt or give up. The row is locked while it is sent, so two workers never send it twice."""
	delivery = frappe.get_doc(DELIVERY, name, for_update=True)
	if delivery.status not in ("Pending", "Retrying"):
		return
	endpoint = frappe.db.get_value(WEBHOOK, delivery.webhook, ["url", "enabled"], as_dict=True)
	code, error = None, None
	if not endpoint or not endpoint.enabled:
		error = _("The webhook was removed.")
	else:
		secret = frappe.utils.password.get_decrypted_password(WEBHOOK, delivery.webhook, "secret")
		try:
			response = _post(endpoint.url, secret, delivery)
			code = response.status_code
			error = None if 200 <= code < 300 else (response.text or "")[:500]
		except (requests.RequestException, ValueError, OSError) as e:
			error = str(e)[:500]
	_record(delivery, code, error, removed=not endpoint or not endpoint.enabled)
	frappe.db.commit()  # nosemgrep: a job; each delivery's outcome is kept on its own


def _record(delivery, code: int | None, error: str | None, removed: bool = False):
	now = frappe.utils.now_datetime()
	attempts = (delivery.attempts or 0) + 1
	values = {"attempts": attempts, "response_code": code, "error": error or None}
	if error is None:
		values.update(status="Delivered", delivered_on=now, next_attempt=None)
	else:
		wait = None if removed else rules.retry_after_minutes(attempts)
		values.update(
			status="Retrying" if wait else "Failed",
			next_attempt=frappe.utils.add_to_date(now, minutes=wait) if wait else None,
		)
	frappe.db.set_value(DELIVERY, delivery.name, values, update_modified=False)


def retry_due(now=None):
	"""Scheduler (every minute): queue every delivery whose next attempt is due."""
	due = frappe.get_all(
		DELIVERY,
		filters={"status": "Retrying", "next_attempt": ["<=", now or frappe.utils.now_datetime()]},
		pluck="name",
		order_by="next_attempt asc",
		limit=500,
	)
	for name in due:
		enqueue_delivery(name)
	return due
