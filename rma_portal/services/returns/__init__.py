"""Commercial returns (SPEC §1), from the delivered line to the credit note.

candidates (what is still returnable) -> return_request (sending, under row locks) -> receiving and
lifecycle (receipt, the return Delivery Note, status actions) -> outcome (replace, repair, send back)
and credit_note (Sales Invoice returns, return_fee) -> documents (return form and label PDF),
numbering, rma_lists (the dealer's list and detail), review (the staff's queue of requests an
approval rule held: approve or decline, the daily digest of overdue ones), print_formats (the
desk's print formats, a jinja hook); requested_serials (one row per serial an open RMA names, kept
by the RMA controller: "is this unit in another open request", for receiving and the service
requests).

Enters from: api/returns.py, api/desk.py, api/receiving.py, www/rma/, the RMA DocType.
Jobs: documents.drain_documents (queued at submit unless one is queued or running: the returns
sent in a row share it; it runs documents.make_documents_and_confirm for each),
documents.retry_missing_documents (scheduler, every 10 minutes),
review.issue_approved (queued at approval), review.send_overdue_digest (scheduler, daily).
"""
