"""The returns policy staff set once and the portal applies: approval, credit hold, fee rules.

- approval.py  the RMA Approval Rules (domain/approval_rules.py matches them) decide a new return
               request at sending: approved at once (status Expected, today's behaviour and the
               answer when no rule matches), sent for review (status Requested, due by the review
               SLA) or declined with the rule's message (status Rejected)
- credit_hold.py the portal actions RMA Credit Hold Settings block (new returns, service requests,
               quote requests, accepting offers) while the customer has overdue invoices (Payment
               Ledger), is frozen or over its credit limit; lifted per customer until a date
- fee_rules.py the restocking fee per return reason and age of the delivery (RMA Fee Rule):
               previewed on /rma/new, frozen on the RMA when sent, charged on the credit note

Entered from services/returns/return_request.py (sending) and the review queue
(services/returns/review.py); the credit hold also from service requests (services/service/),
quote requests and offers (services/portal/), the fee from credit notes
(services/returns/credit_note.py). Nothing here commits.
"""
