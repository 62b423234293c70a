"""The app's services: what the portal and the desk do, grouped by the capability they serve.

Every page (www/) and whitelisted method (api/) calls into one of these packages after the access
point (access.py) has checked the caller; nothing here trusts a caller for rights. The packages, each
with a docstring saying what it owns and which doc_events and background jobs enter it:

- returns/   commercial RMAs: candidates, the request, receipt, outcomes, credit notes, documents
- service/   service requests (repair, replacement, diagnosis): rules, CSV import, look-ups, serials
- warranty/  customer warranty claims
- accounts/  registration of new dealers and dealer account requests
- company/   company authorisation, members and their rights, invitations, addresses, contacts
- portal/    the dealer's pages over ERPNext's documents: overview, orders, invoices, offers, quote
             requests, projects, contracts, shipments, tickets, shared files, the portal menu
- history/   the tables the app keeps from ERPNext's documents (delivered lines, items bought, open
             order lines) and the list indexes
- dealer_api/ dealers' own systems: API keys per member (checked by overrides/api_keys.py), signed
             webhooks sent from the job queue (the OpenAPI document is api/openapi.py)
- shared/    small helpers every capability uses: SQL paging, settings, private files, plain text,
             e-mail, history notes, the conversation on a request

Imports run downwards only (www -> api -> services -> access -> membership -> domain) and no two
modules import each other; tests/test_structure.py holds both. The packages import one way too: each
only from those below it in this order (tests/test_structure.py reads the line):

One-way order, lowest first: shared < history < company < accounts < policy < portal < returns < service < warranty < dealer_api

- shared (helpers) and history (tables kept from ERPNext's documents) read no capability;
- company (the customer company, its members and their rights) is what the others ask about people;
  accounts makes new dealers into companies (onboarding shows the company's invitations);
- policy holds the rules staff set (approval, credit hold, fees); the capabilities above apply them;
- portal's pages over ERPNext's documents apply the credit hold and read the company's addresses;
- returns applies the policy when a request is sent, reviewed and credited; a service request is
  an RMA of kind Service, so service builds on returns (lifecycle, documents, credit notes) and on
  portal's offers (the paid repair quote); a warranty claim reads service's rules and serial locks;
- dealer_api sends every capability's events to the dealers' systems.

Where a lower package needs a step of a higher one, hooks.py names it: returns raises the RMA's
before_receipt event (service ties untied service lines to their purchase in it), and the credit
hold reads the customer's open ledger items through `rma_portal_open_items` (portal's receivables).

The module paths of earlier releases that queued jobs still name stay importable for one release,
imports only (documents.py, service_csv.py, service_rma.py, warranty_claims.py here; policy/review.py).
"""
