"""Commercial returns (SPEC §1): returnable delivered lines, submitting an RMA, the customer's RMAs.

Callers (api/, www/) check access first; these functions then trust `customer`. They never
commit: the web request (or the test) owns the transaction.

Quantities are in the delivery note line's UOM. "Returned" counts what ERPNext itself returned
against a delivery note line, per line the GREATER of two sums (never their total, since one unit
can have both documents):
- Delivery Note returns with dn_detail = the line (stock came back: ERPNext's own returns and
  the ones RMA receipt books, services/returns/lifecycle.py), and
- credit-only Sales Invoice returns (update_stock = 0) whose items carry dn_detail = the line (the
  credit notes made for RMAs, and ERPNext credit-only returns).
The greater is right for each path: stock-only returns, credit-only returns, ERPNext's "return
delivery note, then credit note from it" (that credit note's dn_detail points at the return
note's line, so only the stock return counts), and ours (stock return at receipt, credit note
against the invoice later: both carry the same units).
"Requested" counts lines of RMAs that are Expected or Received. The units such an open RMA has
already put back into stock (qty_received of its lines with a return_delivery_note) are taken
off the Delivery Note return sum, so they count once, as requested, until the RMA closes; then
they count as returned.

The returns services by step, each in its own module; this module keeps the names callers import:
- candidates.py: the returnable delivered lines (this docstring's rules);
- return_request.py: sending a return request (create_return_rma);
- lifecycle.py: receipt and status moves; credit_note.py: the credit notes; outcome.py:
  replacements and goods sent back;
- rma_lists.py: the customer's list of RMAs and one RMA in detail.
"""

from rma_portal.services.returns.candidates import (
	CANDIDATE_COLUMNS,
	MAX_PAGE_SIZE,
	OPEN_STATUSES,
	candidate_lines,
	history_start,
)
from rma_portal.services.returns.fee_preview import fee_preview
from rma_portal.services.returns.return_request import ReturnRequestError, create_return_rma, line_choices
from rma_portal.services.returns.rma_lists import RMA_KINDS, list_rmas, rma_detail

__all__ = [
	"CANDIDATE_COLUMNS",
	"MAX_PAGE_SIZE",
	"OPEN_STATUSES",
	"RMA_KINDS",
	"ReturnRequestError",
	"candidate_lines",
	"create_return_rma",
	"fee_preview",
	"history_start",
	"line_choices",
	"list_rmas",
	"rma_detail",
]
