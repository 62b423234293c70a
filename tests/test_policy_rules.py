"""Credit hold and restocking fee rules (domain/credit_hold.py, domain/fee_rules.py), no site."""

from datetime import date

from rma_portal.domain import credit_hold as ch
from rma_portal.domain import fee_rules as fr

TODAY = date(2026, 6, 30)


def _inv(name, due, amount, currency="EUR"):
	return ch.OverdueInvoice(name, due, amount, currency)


def test_overdue_days_hold_names_every_late_invoice():
	settings = ch.HoldSettings(actions=frozenset({ch.RETURN}), overdue_days=30)
	late = [_inv("SINV-2", date(2026, 5, 1), 50), _inv("SINV-1", date(2026, 6, 20), 10)]
	held = ch.hold(settings, late, TODAY)
	assert held.reasons == [ch.OVERDUE_DAYS]
	assert [inv.name for inv in held.invoices] == ["SINV-2", "SINV-1"]
	assert held.overdue_totals == {"EUR": 60}


def test_overdue_by_exactly_n_days_does_not_hold():
	settings = ch.HoldSettings(actions=frozenset({ch.RETURN}), overdue_days=30)
	assert not ch.hold(settings, [_inv("A", date(2026, 5, 31), 50)], TODAY)
	assert ch.hold(settings, [_inv("A", date(2026, 5, 30), 50)], TODAY)


def test_overdue_amount_is_per_currency():
	settings = ch.HoldSettings(overdue_amount=100)
	two = [_inv("A", date(2026, 6, 1), 80), _inv("B", date(2026, 6, 1), 80, "USD")]
	assert not ch.hold(settings, two, TODAY)
	assert ch.hold(settings, [*two, _inv("C", date(2026, 6, 29), 21)], TODAY).reasons == [ch.OVERDUE_AMOUNT]


def test_not_yet_due_and_credits_are_not_overdue():
	settings = ch.HoldSettings(overdue_days=0, overdue_amount=0)
	assert not ch.hold(settings, [_inv("A", TODAY, 80), _inv("B", date(2026, 1, 1), -80)], TODAY)


def test_frozen_and_credit_limit_hold_only_when_set():
	assert not ch.hold(ch.HoldSettings(), [], TODAY, frozen=True, over_credit_limit=True)
	settings = ch.HoldSettings(frozen=True, credit_limit=True)
	assert ch.hold(settings, [], TODAY, frozen=True, over_credit_limit=True).reasons == [
		ch.FROZEN,
		ch.CREDIT_LIMIT,
	]


def test_a_lift_holds_until_its_date_inclusive():
	settings = ch.HoldSettings(frozen=True)
	assert not ch.hold(settings, [], TODAY, frozen=True, lifted_until=TODAY)
	assert ch.hold(settings, [], TODAY, frozen=True, lifted_until=date(2026, 6, 29))


def test_settings_block_only_chosen_actions_with_a_reason():
	assert not ch.HoldSettings(actions=frozenset({ch.RETURN})).blocks(ch.RETURN)
	settings = ch.HoldSettings(actions=frozenset({ch.RETURN}), frozen=True)
	assert settings.blocks(ch.RETURN) and not settings.blocks(ch.OFFER_ACCEPT)


def _line(key, reason="Damaged", age=10, value=200.0):
	return fr.FeeLine(key, reason, age, value)


def test_no_rules_is_the_flat_fee():
	fees = fr.fees([], [_line("a"), _line("b")], 2.5)
	assert fees.total == 2.5 and fees.per_return == (None, 2.5)


def test_percentage_fixed_minimum_and_maximum():
	pct = fr.FeeRule("R1", fr.PERCENTAGE, percentage=15, minimum=5, maximum=40)
	assert fr.rule_fee(pct, 200) == 30
	assert fr.rule_fee(pct, 10) == 5
	assert fr.rule_fee(pct, 1000) == 40
	assert fr.rule_fee(fr.FeeRule("R2", fr.FIXED_PER_LINE, amount=7.5), 1000) == 7.5
	assert fr.rule_fee(fr.FeeRule("R3", fr.PERCENTAGE, percentage=12.5), 0.9) == 0.11


def test_first_matching_rule_wins_by_reason_and_age():
	rules = [
		fr.FeeRule("Old", fr.PERCENTAGE, percentage=20, min_age_days=31),
		fr.FeeRule("Wrong", fr.FIXED_PER_LINE, amount=4, return_reason="Wrong order", max_age_days=30),
		fr.FeeRule("Any", fr.FIXED_PER_RETURN, amount=2.5),
	]
	fees = fr.fees(rules, [_line("old", age=45), _line("wrong", "Wrong order", 30), _line("new", age=3)], 0)
	assert fees.lines == {"old": ("Old", 40.0), "wrong": ("Wrong", 4.0), "new": (None, 0.0)}
	assert fees.per_return == ("Any", 2.5)
	assert fees.total == 46.5


def test_a_line_no_rule_matches_costs_nothing():
	rules = [fr.FeeRule("Damaged only", fr.FIXED_PER_LINE, amount=3, return_reason="Damaged")]
	assert fr.fees(rules, [_line("a", "Other")], 2.5).total == 0


def test_credit_note_charges_the_frozen_fee_less_uncredited_lines():
	assert fr.charged(46.5, {"old": 40, "wrong": 4}, {"old", "wrong"}) == 46.5
	assert fr.charged(46.5, {"old": 40, "wrong": 4}, {"wrong"}) == 6.5
	assert fr.charged(2.5, {}, set()) == 2.5
