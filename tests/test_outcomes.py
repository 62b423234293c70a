import pytest

from rma_portal.domain.outcomes import Line, final_action, is_complete, is_settled, outcome


@pytest.mark.parametrize(
	("line", "expected"),
	[
		(Line(None, 0), "Not received yet"),
		(Line(None, 2), "To be decided"),
		(Line("Credit", 2), "To be credited"),
		(Line("Credit", 2, credited=True), "Credit note made"),
		(Line("Replace", 1), "Replacement to be sent"),
		(Line("Replace", 1, shipped=True), "Replacement sent"),
		(Line("Repair", 1), "In repair"),
		(Line("Repair", 1, shipped=True), "Repaired and sent back"),
		(Line("Reject", 1), "To be sent back"),
		(Line("Reject", 1, shipped=True), "Rejected and sent back"),
	],
)
def test_outcome_of_a_line(line, expected):
	assert outcome(line) == expected


def test_a_credit_never_settles_a_shipped_handling_and_the_reverse():
	assert not is_settled(Line("Repair", 1, credited=True))
	assert not is_settled(Line("Credit", 1, shipped=True))
	assert not is_settled(Line(None, 1, credited=True, shipped=True))


def test_complete_only_when_every_received_line_is_settled():
	credited = Line("Credit", 1, credited=True)
	assert not is_complete([])
	assert not is_complete([Line("Credit", 0)])  # nothing received
	assert is_complete([credited, Line("Repair", 0)])  # the unreceived line does not hold it up
	assert not is_complete([credited, Line("Repair", 1)])


def test_final_action_invoice_for_credit_only_else_complete():
	credited, repaired = Line("Credit", 2, credited=True), Line("Repair", 1, shipped=True)
	assert final_action([credited]) == "invoice"
	assert final_action([credited, repaired]) == "complete"
	assert final_action([repaired]) == "complete"
	assert final_action([credited, Line("Replace", 1)]) is None
