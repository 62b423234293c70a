import pytest

from rma_portal.domain.transitions import (
	CLAIM_OPEN,
	MACHINES,
	RMA,
	RMA_ACCEPTED,
	RMA_HOLDING,
	RMA_OPEN,
	RMA_SETTLED,
	WARRANTY_CLAIM,
	TransitionError,
	allowed_actions,
	is_final,
	next_status,
	statuses,
)

ALLOWED = [
	(RMA, "Draft", "submit", "Expected"),
	(RMA, "Draft", "cancel", "Cancelled"),
	(RMA, "Requested", "approve", "Expected"),
	(RMA, "Requested", "decline", "Rejected"),
	(RMA, "Requested", "cancel", "Cancelled"),
	(RMA, "Expected", "receive", "Received"),
	(RMA, "Expected", "reject", "Rejected"),
	(RMA, "Expected", "cancel", "Cancelled"),
	(RMA, "Received", "receive", "Received"),
	(RMA, "Received", "invoice", "Invoiced"),
	(RMA, "Received", "reject", "Rejected"),
	(RMA, "Received", "ship", "Received"),
	(RMA, "Received", "complete", "Completed"),
	(RMA, "Invoiced", "credit_note_cancelled", "Received"),
	(RMA, "Invoiced", "ship", "Invoiced"),
	(RMA, "Invoiced", "complete", "Completed"),
	(RMA, "Completed", "credit_note_cancelled", "Received"),
	(WARRANTY_CLAIM, "Received", "start_processing", "In processing"),
	(WARRANTY_CLAIM, "In processing", "grant", "Granted"),
	(WARRANTY_CLAIM, "In processing", "refuse", "Refused"),
	(WARRANTY_CLAIM, "Refused", "appeal", "In processing"),
]


@pytest.mark.parametrize(("machine", "current", "action", "expected"), ALLOWED)
def test_allowed_transition(machine, current, action, expected):
	assert next_status(machine, current, action) == expected
	assert action in allowed_actions(machine, current)


def test_table_has_exactly_the_listed_transitions():
	listed = {(m, c, a): n for m, c, a, n in ALLOWED}
	table = {
		(m, c, a): n
		for m, by_status in MACHINES.items()
		for c, acts in by_status.items()
		for a, n in acts.items()
	}
	assert table == listed


@pytest.mark.parametrize(
	("machine", "current", "action"),
	[
		(RMA, "Draft", "receive"),
		(RMA, "Draft", "invoice"),
		(RMA, "Expected", "invoice"),
		(RMA, "Expected", "submit"),
		(RMA, "Received", "cancel"),
		(RMA, "Invoiced", "cancel"),
		(RMA, "Invoiced", "reject"),
		(RMA, "Cancelled", "submit"),
		(RMA, "Rejected", "receive"),
		(RMA, "Requested", "receive"),
		(RMA, "Requested", "invoice"),
		(RMA, "Expected", "approve"),
		(RMA, "Draft", "no_such_action"),
		(WARRANTY_CLAIM, "Received", "grant"),
		(WARRANTY_CLAIM, "Received", "refuse"),
		(WARRANTY_CLAIM, "Granted", "refuse"),
		(WARRANTY_CLAIM, "Refused", "start_processing"),
	],
)
def test_refused_transition(machine, current, action):
	with pytest.raises(TransitionError) as info:
		next_status(machine, current, action)
	assert info.value.current == current
	assert info.value.action == action
	assert action not in allowed_actions(machine, current)


def test_transition_error_message_names_action_and_status():
	error = TransitionError("Invoiced", "cancel")
	assert error.message.format(**error.kwargs) == "Action cancel is not allowed while the status is Invoiced"
	assert str(error) == "Action cancel is not allowed while the status is Invoiced"


def test_allowed_actions_in_order():
	assert allowed_actions(RMA, "Expected") == ["receive", "reject", "cancel"]
	assert allowed_actions(RMA, "Invoiced") == ["credit_note_cancelled", "ship", "complete"]
	assert allowed_actions(RMA, "Cancelled") == []


@pytest.mark.parametrize(
	("machine", "final"),
	# Invoiced is not final: cancelling its credit note in ERPNext reopens it.
	# Refused is not final either: the dealer may appeal once.
	[(RMA, {"Rejected", "Cancelled"}), (WARRANTY_CLAIM, {"Granted"})],
)
def test_final_statuses(machine, final):
	assert {s for s in statuses(machine) if is_final(machine, s)} == final


def test_statuses_in_lifecycle_order():
	assert statuses(RMA) == [
		"Draft",
		"Requested",
		"Expected",
		"Received",
		"Invoiced",
		"Completed",
		"Rejected",
		"Cancelled",
	]
	assert statuses(WARRANTY_CLAIM) == ["Received", "In processing", "Granted", "Refused"]


def test_every_target_is_a_known_status():
	for machine, by_status in MACHINES.items():
		for actions in by_status.values():
			assert set(actions.values()) <= set(by_status), machine


def test_unknown_machine_or_status_is_a_programming_error():
	with pytest.raises(ValueError):
		next_status("Sales Order", "Draft", "submit")
	with pytest.raises(ValueError):
		allowed_actions(RMA, "Open")
	with pytest.raises(ValueError):
		statuses("Nope")


def test_an_rma_holds_its_goods_until_it_is_settled():
	# every status is one or the other, never both; the form's read-only statuses are the settled ones
	assert set(RMA_HOLDING) | set(RMA_SETTLED) == set(statuses(RMA))
	assert not set(RMA_HOLDING) & set(RMA_SETTLED)
	assert set(RMA_SETTLED) == {"Invoiced", "Completed", "Rejected", "Cancelled"}


def test_open_rmas_are_the_sent_ones_and_accepted_ones_need_no_decision():
	# open: holding, less the draft nobody has sent; a request awaiting approval counts as requested
	assert RMA_OPEN == tuple(s for s in RMA_HOLDING if s != "Draft")
	# accepted: open, less the request still awaiting its decision (approve or decline)
	assert RMA_ACCEPTED == tuple(s for s in RMA_OPEN if "approve" not in allowed_actions(RMA, s))
	assert RMA_ACCEPTED == ("Expected", "Received")


def test_an_open_claim_is_one_not_yet_granted_or_refused():
	undecided = [s for s in statuses(WARRANTY_CLAIM) if s not in ("Granted", "Refused")]
	assert list(CLAIM_OPEN) == undecided == ["Received", "In processing"]
	assert all(set(allowed_actions(WARRANTY_CLAIM, s)) - {"appeal"} for s in CLAIM_OPEN)
