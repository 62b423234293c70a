"""Dealer systems talk to the portal (issue 26): API keys per member, the OpenAPI document of the
dealer-facing methods, and signed webhooks.

- keys.py      Dealer API Key: made and revoked by the company's administrator or a user manager on
               /company/users for one member, acting for one customer with at most that member's
               rights; checked for every request by overrides/api_keys.py (a before_request hook, first
               of all), which hands the request to the access point as that member
- the OpenAPI 3.1 document is generated in api/openapi.py (it reads the api layer's methods:
  signatures, annotations, docstrings, the access action each asks for)
- webhooks.py  Dealer Webhook endpoints and their signed deliveries (Dealer Webhook Delivery), sent
               from the job queue and retried with backoff by the scheduler (hooks.py)
- events.py    the doc_events and the daily job that turn ERPNext's and the app's changes into events

The rules without Frappe are domain/api_keys.py and domain/webhooks.py.
"""
