"""The desk's print format "Customer Warranty Claim" as a jinja method (hooks.py).

A module of its own because Frappe imports every jinja method's module at the first template a
process renders (each job RQ forks, each web worker): warranty_claims and what it imports cost
20-25 ms of CPU there. It is imported here only when a claim is printed.
"""


def rma_portal_claim_print(doc, letter_head: str | None = None, no_letterhead=0) -> str:
	"""warranty_claims.rma_portal_claim_print: the claim as filed, framed as the RMA's print is."""
	from rma_portal.services.warranty import warranty_claims

	return warranty_claims.rma_portal_claim_print(doc, letter_head, no_letterhead)
