"""Status machines: which named action moves a document from which status to which.

Statuses change only through these actions so that desk buttons, portal actions and
doc_events agree. The tables are data so a new action is one line, not a new branch.
"""

RMA = "RMA"
WARRANTY_CLAIM = "Customer Warranty Claim"

# machine -> current status -> action -> next status; terminal statuses map to {}.
MACHINES: dict[str, dict[str, dict[str, str]]] = {
	RMA: {
		"Draft": {"submit": "Expected", "cancel": "Cancelled"},
		# a return request an RMA Approval Rule sent for review (services/policy): staff decide
		"Requested": {"approve": "Expected", "decline": "Rejected", "cancel": "Cancelled"},
		"Expected": {"receive": "Received", "reject": "Rejected", "cancel": "Cancelled"},
		# receive stays allowed on Received so partial deliveries can be booked one by one; "ship"
		# (replacements and goods sent back) keeps the status while other lines are still open and
		# "complete" ends it once every received line has its outcome (domain.outcomes).
		"Received": {
			"receive": "Received",
			"invoice": "Invoiced",
			"ship": "Received",
			"complete": "Completed",
			"reject": "Rejected",
		},
		# Not a button: cancelling the credit note in ERPNext puts the RMA back to be credited again.
		"Invoiced": {"credit_note_cancelled": "Received", "ship": "Invoiced", "complete": "Completed"},
		"Completed": {"credit_note_cancelled": "Received"},
		"Rejected": {},
		"Cancelled": {},
	},
	WARRANTY_CLAIM: {
		"Received": {"start_processing": "In processing"},
		"In processing": {"grant": "Granted", "refuse": "Refused"},
		"Granted": {},
		# the dealer may appeal a refusal once (services/warranty_claims.appeal keeps it to once)
		"Refused": {"appeal": "In processing"},
	},
}


# What a status says about the goods a document names: the services' queries read these sets (one
# place; tests/test_transitions.py keeps them in step with the machines above). Each set means
# something else, hence one name each.
# An RMA in the books or closed: its form is read-only and a save from it refused.
RMA_SETTLED = ("Invoiced", "Completed", "Rejected", "Cancelled")
# An RMA holds the serial numbers it names from its first save until it is settled.
RMA_HOLDING = ("Draft", "Requested", "Expected", "Received")
# Sent by the dealer and not settled: its quantities count as requested (not returnable again).
RMA_OPEN = ("Requested", "Expected", "Received")
# Accepted (approved, or needing no approval) and not settled: its documents are due.
RMA_ACCEPTED = ("Expected", "Received")
# A warranty claim not yet decided: it holds its serial number (one open claim per unit).
CLAIM_OPEN = ("Received", "In processing")


class TransitionError(Exception):
	"""An action that the current status does not allow; message is a translatable format string."""

	message = "Action {action} is not allowed while the status is {current}"

	def __init__(self, current: str, action: str, machine: str | None = None):
		self.current = current
		self.action = action
		self.machine = machine
		self.kwargs = {"current": current, "action": action}
		super().__init__(self.message.format(**self.kwargs))


def _table(machine: str, current: str) -> dict[str, str]:
	"""The action table of one status; ValueError for unknown names, which are programming errors."""
	if machine not in MACHINES:
		raise ValueError(f"unknown status machine {machine!r}")
	statuses = MACHINES[machine]
	if current not in statuses:
		raise ValueError(f"unknown {machine} status {current!r}")
	return statuses[current]


def statuses(machine: str) -> list[str]:
	"""All statuses of a machine in lifecycle order, e.g. for DocType select options."""
	if machine not in MACHINES:
		raise ValueError(f"unknown status machine {machine!r}")
	return list(MACHINES[machine])


def allowed_actions(machine: str, current: str) -> list[str]:
	"""Actions that may be offered (buttons, API) for a document in status current."""
	return list(_table(machine, current))


def next_status(machine: str, current: str, action: str) -> str:
	"""Status after action; TransitionError when the action is not allowed from current."""
	table = _table(machine, current)
	if action not in table:
		raise TransitionError(current, action, machine)
	return table[action]


def is_final(machine: str, current: str) -> bool:
	"""True when no action leads anywhere from current (Invoiced, Refused, ...)."""
	return not _table(machine, current)
