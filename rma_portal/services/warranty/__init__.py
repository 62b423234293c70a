"""Customer warranty claims (SPEC §2): filing, the named status actions, documents and e-mails.

Enters from: api/warranty.py, www/warranty/, the Customer Warranty Claim DocType.
Jobs: warranty_claims.send_status_mail (queued at each decision).
The desk print format: claim_print.rma_portal_claim_print (hooks.py jinja; a light entry).
"""
