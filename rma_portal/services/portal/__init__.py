"""The dealer's pages over ERPNext's own documents (SPEC §5): the overview (portal_dashboard),
pending order lines (portal_orders), invoices and the ledger (portal_invoices, receivables), offers
(portal_quotations), quote requests, projects, contracts, shipments, support tickets, shared files,
ERPNext's print formats as PDF (portal_print), the portal menu, and a customer's portal at a glance
for staff (customer_summary).

Enters from: api/orders.py, invoices.py, quotations.py, quote_requests.py, projects.py,
contracts.py, shipments.py, tickets.py, shared_files.py, customer_desk.py; www/portal/.
doc_events: Project before_insert (projects.on_project_insert), Communication after_insert
(tickets.staff_replied).
"""
