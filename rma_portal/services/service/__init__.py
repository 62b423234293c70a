"""Service requests (SPEC §1, seed 000): products sent in by EAN and serial for repair,
replacement, credit or diagnosis.

service_rules (the rules of a line and a request, shared by form, API and CSV) -> service_rma
(creating requests, document batches) -> service_csv (up to 30 requests from a CSV file, all or
none), service_lookups and service_purchase (what the rules read), serial_locks (a serial in an
open request is locked), service_desk (diagnosis, paid repair quote, the dealer's answer),
service_list (the dealer's list and CSV export).

Enters from: api/service.py, www/service/.
Jobs: service_csv.run_service_csv_job (queue "short"), service_rma.make_documents_batch ("long").
"""
