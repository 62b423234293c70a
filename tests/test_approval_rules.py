"""RMA Approval Rules matched without a site (domain/approval_rules.py)."""

import pytest

from rma_portal.domain import approval_rules as ar


def _request(*lines, customer="C1", groups=("Dealers", "All Customer Groups")):
	return ar.Request(customer, frozenset(groups), tuple(lines))


LINE = ar.Line("Defective", frozenset({"Cables", "All Item Groups"}), "Acme", 50.0, 10, True)


def test_no_rule_approves():
	assert ar.decide([], _request(LINE)) == ar.Decision(ar.APPROVE)


def test_first_match_by_priority_then_name():
	rules = [
		ar.Rule("b-decline", ar.DECLINE, priority=1, message="no"),
		ar.Rule("a-review", ar.REVIEW, priority=1),
		ar.Rule("approve", ar.APPROVE, priority=0, brand="Other"),
	]
	assert ar.decide(rules, _request(LINE)) == ar.Decision(ar.REVIEW, "a-review")


def test_decline_carries_its_message_only_when_declining():
	assert ar.decide([ar.Rule("d", ar.DECLINE, message="Too old")], _request(LINE)).message == "Too old"
	assert ar.decide([ar.Rule("r", ar.REVIEW, message="ignored")], _request(LINE)).message == ""


@pytest.mark.parametrize(
	"condition, holds",
	[
		({"return_reason": "Defective"}, True),
		({"return_reason": "Wrong order"}, False),
		({"item_group": "All Item Groups"}, True),
		({"item_group": "Screens"}, False),
		({"brand": "Acme"}, True),
		({"brand": "Other"}, False),
		({"customer": "C1"}, True),
		({"customer": "C2"}, False),
		({"customer_group": "All Customer Groups"}, True),
		({"customer_group": "Retail"}, False),
		({"min_request_value": 50}, True),
		({"min_request_value": 50.01}, False),
		({"max_request_value": 50}, True),
		({"max_request_value": 49.99}, False),
		({"min_line_value": 50}, True),
		({"min_line_value": 51}, False),
		({"min_days_since_delivery": 10}, True),
		({"min_days_since_delivery": 11}, False),
		({"max_days_since_delivery": 10}, True),
		({"max_days_since_delivery": 9}, False),
		({"serial_required": "Yes"}, True),
		({"serial_required": "No"}, False),
	],
)
def test_each_condition(condition, holds):
	assert ar.matches(ar.Rule("r", ar.REVIEW, **condition), _request(LINE)) is holds


def test_line_conditions_hold_together_on_one_line():
	old_cheap = ar.Line("Defective", value=5.0, days_since_delivery=90)
	new_dear = ar.Line("Defective", value=500.0, days_since_delivery=2)
	rule = ar.Rule("r", ar.DECLINE, min_line_value=100, min_days_since_delivery=60)
	assert not ar.matches(rule, _request(old_cheap, new_dear))
	assert ar.matches(rule, _request(old_cheap, new_dear, ar.Line(value=200.0, days_since_delivery=61)))


def test_request_value_is_the_sum_of_the_lines():
	rule = ar.Rule("r", ar.REVIEW, min_request_value=100)
	assert ar.matches(rule, _request(ar.Line(value=60.0), ar.Line(value=40.0)))


def test_an_unknown_outcome_is_refused():
	with pytest.raises(ValueError):
		ar.Rule("r", "Maybe")


def test_facts_needed_only_for_rules_reading_them():
	assert ar.facts_needed([ar.Rule("r", ar.REVIEW, return_reason="x")]) == set()
	assert ar.facts_needed([ar.Rule("r", ar.REVIEW, brand="x", customer_group="g")]) == {
		"brand",
		"customer_groups",
	}
