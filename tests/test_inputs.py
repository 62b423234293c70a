"""Arguments from the browser (domain.inputs) and the generic entry points refused to portal users
(domain.request_rules): plain rules, no site."""

import pytest

from rma_portal.domain import inputs, request_rules
from rma_portal.domain.quantities import QTY_NOT_POSITIVE, QTY_NOT_WHOLE, round_qty, validate_requested_qty


@pytest.mark.parametrize("value", ["{bad", "x", "[1,", '"text"', "1"])
def test_json_that_is_not_the_expected_kind_names_the_field(value):
	with pytest.raises(inputs.BadArgument) as error:
		inputs.json_value(value, list, "lines")
	assert error.value.field == "lines" and error.value.expected == "list"


def test_json_value_accepts_text_parsed_values_and_empty():
	assert inputs.json_value('[{"a": 1}]', list, "lines") == [{"a": 1}]
	assert inputs.json_value({"a": 1}, dict, "header") == {"a": 1}
	assert inputs.json_value("", dict, "header") == {} and inputs.json_value(None, list, "x") == []


@pytest.mark.parametrize("value", [{"a": 1}, [1], ({"x"})])
def test_objects_and_lists_are_not_text(value):
	with pytest.raises(inputs.BadArgument):
		inputs.scalar(value, "return_reason")


def test_scalar_dict_names_the_key_of_the_bad_value():
	with pytest.raises(inputs.BadArgument) as error:
		inputs.scalar_dict({"remarks": "ok", "rma_type": {"name": ["like", "%"]}}, "header")
	assert error.value.field == "header.rma_type"
	assert inputs.scalar_dict({"qty": 2, "note": None, "ok": True}, "h")


@pytest.mark.parametrize(
	"value", ["999999999999999999999", "0", "-3", "abc", "1.5", str(inputs.MAX_PAGE + 1)]
)
def test_page_numbers_out_of_range_or_not_numbers_are_refused(value):
	with pytest.raises(inputs.BadArgument):
		inputs.page_number(value)


def test_page_numbers_in_range():
	assert inputs.page_number("") == 1 and inputs.page_number(" 7 ") == 7 and inputs.page_number(3) == 3


@pytest.mark.parametrize("text", ["nan", "1e999", "-inf", "abc", ""])
def test_no_finite_number(text):
	assert inputs.finite_number(text) is None


def test_finite_number_with_decimal_comma():
	assert inputs.finite_number("2,5") == 2.5


@pytest.mark.parametrize(
	"typed, stored",
	[
		('Look <img src="https://evil.example/p.gif"> here', "Look  here"),
		("<a href='x'>click</a> me", "click me"),
		("<<b>img src=x>", ""),
		("<!-- hidden -->visible", "visible"),
		("bolt < 5 mm and a<b", "bolt < 5 mm and a<b"),
		("tab\tand\nnewline\x00\x07", "tab\tand\nnewline"),
	],
)
def test_plain_text(typed, stored):
	assert inputs.plain_text(typed) == stored


def test_quantities_are_rounded_and_whole_units_enforced():
	assert round_qty("2.0000004", 3) == 2.0
	assert validate_requested_qty(round_qty(6e-7, 3), 2) == QTY_NOT_POSITIVE
	assert validate_requested_qty(0.5, 2, whole_number=True) == QTY_NOT_WHOLE
	assert validate_requested_qty(0.5, 2, whole_number=False) is None
	assert validate_requested_qty(2, 2, whole_number=True) is None


@pytest.mark.parametrize(
	"path, cmd, method",
	[
		("/api/method/frappe.client.get_count", None, "frappe.client.get_count"),
		("/api/v2/method/frappe.desk.reportview.get_count", None, "frappe.desk.reportview.get_count"),
		("/api/v1/method/frappe.desk.search.search_link/", None, "frappe.desk.search.search_link"),
		("/", "frappe.client.get_count", "frappe.client.get_count"),
		("/api/resource/RMA", None, None),
		("/rma", None, None),
	],
)
def test_method_of_request(path, cmd, method):
	assert request_rules.method_of(path, cmd) == method


def test_generic_reads_are_refused_and_the_apps_own_methods_are_not():
	for method in ("frappe.client.get_count", "frappe.client.get_value", "frappe.desk.reportview.get"):
		assert request_rules.refused_to_portal_users(method)
	for method in (
		"rma_portal.api.returns.get_candidates",
		"logout",
		None,
		"frappe.www.login.login_via_token",
	):
		assert not request_rules.refused_to_portal_users(method)


def test_document_print_routes_of_app_doctypes():
	doctypes = {"rma", "customer warranty claim"}
	pages = {"rma", "rma/new", "rma/view", "warranty/view"}
	assert request_rules.document_route("/rma/anything", doctypes, pages)
	assert request_rules.document_route("/RMA/RMA%2F00001", doctypes, pages)
	assert request_rules.document_route("/Customer Warranty Claim/CWC-0001", doctypes, pages)
	assert not request_rules.document_route("/rma/new", doctypes, pages)
	assert not request_rules.document_route("/rma/view", doctypes, pages)
	assert not request_rules.document_route("/rma", doctypes, pages)
	assert not request_rules.document_route("/Sales Invoice/SINV-0001", doctypes, pages)
