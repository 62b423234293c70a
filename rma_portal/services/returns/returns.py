"""Commercial returns (SPEC §1): returnable delivered lines, submitting an RMA, the customer's RMAs.

Callers (api/, www/) check access first; these functions then trust `customer`. They never
commit: the web request (or the test) owns the transaction.

The returns services by step, each in its own module; this module keeps the names callers import:
- candidates.py: the returnable delivered lines (its docstring says what counts as returned,
  requested and returnable);
- return_request.py: sending a return request (create_return_rma);
- lifecycle.py: receipt and status moves; credit_note.py: the credit notes; outcome.py:
  replacements and goods sent back;
- rma_lists.py: the customer's list of RMAs and one RMA in detail.
"""

from rma_portal.services.returns.candidates import (
	CANDIDATE_COLUMNS,
	MAX_PAGE_SIZE,
	candidate_lines,
	history_start,
)
from rma_portal.services.returns.fee_preview import fee_preview
from rma_portal.services.returns.return_request import ReturnRequestError, create_return_rma, line_choices
from rma_portal.services.returns.rma_lists import RMA_KINDS, list_rmas, rma_detail

__all__ = [
	"CANDIDATE_COLUMNS",
	"MAX_PAGE_SIZE",
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
