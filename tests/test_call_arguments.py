"""The arguments of a call against the method's signature (domain.inputs.call_problem) and the
method a request path names (domain.request_rules.method_of): plain rules, no site."""

import pytest

from rma_portal.domain import inputs, request_rules

SIGNATURE = {"name": True, "reason": True, "note": False}


@pytest.mark.parametrize(
	"given, problem",
	[
		((), ("missing", "name")),
		(("name",), ("missing", "reason")),
		(("reason", "note"), ("missing", "name")),
		(("name", "reason", "amount"), ("unknown", "amount")),
		(("name", "reason", "zeta", "alpha"), ("unknown", "alpha")),
		(("name", "reason"), None),
		(("name", "reason", "note"), None),
		# what Frappe itself adds is no argument of the method
		(("name", "reason", "cmd", "_", "_lang", "csrf_token"), None),
	],
)
def test_call_problem_names_the_first_missing_then_the_first_unknown_field(given, problem):
	assert inputs.call_problem(SIGNATURE, given) == problem


def test_a_method_taking_any_argument_only_needs_its_required_ones():
	assert inputs.call_problem(SIGNATURE, ("name", "reason", "extra"), open_ended=True) is None
	assert inputs.call_problem(SIGNATURE, ("extra",), open_ended=True) == ("missing", "name")
	assert inputs.call_problem({}, ()) is None


@pytest.mark.parametrize(
	"path, method",
	[
		# Frappe's v1 route calls the method before the first "/" and drops the rest
		("/api/method/frappe.client.get_count/anything", "frappe.client.get_count"),
		(
			"/api/method/rma_portal.api.quotations.accept_quotation/x/y",
			"rma_portal.api.quotations.accept_quotation",
		),
		("/api/method/", None),
	],
)
def test_method_of_a_path_with_more_after_the_method(path, method):
	assert request_rules.method_of(path) == method


@pytest.mark.parametrize(
	"typed, name",
	[
		('ACME "><script>alert(1)</script>', 'ACME "alert(1)'),
		("<b>Garage</b> Nord", "Garage Nord"),
		("Müller & Söhne <GmbH>", "Müller & Söhne"),
		("Size < 5 mm", "Size 5 mm"),
		("  Two\n lines\tand\x00 tabs  ", "Two lines and tabs"),
		('O\'Brien "Best" Ltd.', 'O\'Brien "Best" Ltd.'),
		("<<>>", ""),
		(None, ""),
	],
)
def test_a_typed_name_is_cleaned_to_what_the_desk_accepts(typed, name):
	cleaned = inputs.document_name(typed)
	assert cleaned == name
	assert "<" not in cleaned and ">" not in cleaned and "\n" not in cleaned


def test_a_name_longer_than_the_desk_takes_with_its_suffixes_is_too_long():
	assert not inputs.name_too_long("x" * inputs.NAME_MAX_LENGTH)
	assert inputs.name_too_long("x" * (inputs.NAME_MAX_LENGTH + 1))
	assert not inputs.name_too_long(None)
	# room for what ERPNext appends to an Address name ("-Shipping-12") in a 140-character column
	assert inputs.NAME_MAX_LENGTH + len("-Shipping-12") <= 140
