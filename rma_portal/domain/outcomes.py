"""What happens to a received RMA line, by the handling staff decided at receipt.

Credit -> credited on the credit note; Replace -> a replacement delivered at no charge; Repair ->
in repair, then sent back; Reject -> sent back with the reason. Only Credit lines are credited. An
RMA is done (Completed, or Invoiced when every line was credited) once every received line has its
outcome; until then each line shows where it stands.
"""

from dataclasses import dataclass

CREDIT, REPLACE, REPAIR, REJECT = "Credit", "Replace", "Repair", "Reject"
HANDLINGS = (CREDIT, REPLACE, REPAIR, REJECT)
SHIPPED = (REPLACE, REPAIR, REJECT)  # settled by a delivery to the customer

# handling -> (outcome while pending, outcome once settled); plain English, translated by callers
OUTCOMES = {
	CREDIT: ("To be credited", "Credit note made"),
	REPLACE: ("Replacement to be sent", "Replacement sent"),
	REPAIR: ("In repair", "Repaired and sent back"),
	REJECT: ("To be sent back", "Rejected and sent back"),
}
UNDECIDED = "To be decided"
NOT_RECEIVED = "Not received yet"


@dataclass(frozen=True)
class Line:
	handling: str | None
	qty_received: float
	credited: bool = False  # on a submitted credit note
	shipped: bool = False  # its replacement or return delivery is submitted


def is_settled(line: Line) -> bool:
	"""A received line has its outcome: credited (Credit) or delivered back / replaced (the others)."""
	if line.qty_received <= 0:
		return True  # nothing arrived: nothing to settle
	if line.handling == CREDIT:
		return line.credited
	if line.handling in SHIPPED:
		return line.shipped
	return False


def outcome(line: Line) -> str:
	"""Where the line stands, for the portal and the desk."""
	if line.qty_received <= 0:
		return NOT_RECEIVED
	if line.handling not in OUTCOMES:
		return UNDECIDED
	pending, settled = OUTCOMES[line.handling]
	return settled if is_settled(line) else pending


def is_complete(lines: list[Line]) -> bool:
	"""Every received line has its outcome, and at least one line was received."""
	return any(line.qty_received > 0 for line in lines) and all(is_settled(line) for line in lines)


def final_action(lines: list[Line], credit_ends_invoiced: bool = True) -> str | None:
	"""The status action (domain.transitions) once every received line is settled: "invoice" when
	every received line was credited (a return ends Invoiced, as before; a service request, which
	passes credit_ends_invoiced=False, ends Completed like its other handlings), else "complete";
	None while some line is still open."""
	if not is_complete(lines):
		return None
	received = [line for line in lines if line.qty_received > 0]
	all_credited = all(line.handling == CREDIT for line in received)
	return "invoice" if all_credited and credit_ends_invoiced else "complete"
