from rma_portal.domain import registration as reg

VALID = {
	"client_type": reg.PARTNER,
	"first_name": "Petra",
	"last_name": "Janssen",
	"company_name": "Autoservice Janssen",
	"email": "petra@autoservice.example",
	"phone": "+31 30 123 4567",
	"password": "Gearbox-Harbour-41",
	"accept_terms": "1",
}


def test_a_complete_partner_registration_has_no_problem():
	assert reg.problems(VALID) == []


def test_every_problem_at_once_in_form_order():
	assert reg.problems({"client_type": reg.PARTNER}) == [
		("first_name", reg.REQUIRED),
		("last_name", reg.REQUIRED),
		("company_name", reg.REQUIRED),
		("email", reg.REQUIRED),
		("phone", reg.REQUIRED),
		("password", reg.REQUIRED),
		("accept_terms", reg.NOT_ACCEPTED),
	]


def test_a_private_person_needs_no_company():
	assert reg.problems({**VALID, "client_type": reg.PRIVATE, "company_name": ""}) == []


def test_client_type_must_be_one_of_the_two():
	assert reg.problems({**VALID, "client_type": "Reseller"}) == [("client_type", reg.INVALID)]
	assert reg.problems({**VALID, "client_type": ""})[0] == ("client_type", reg.REQUIRED)


def test_email_phone_and_lengths():
	assert reg.problems({**VALID, "email": "petra@"}) == [("email", reg.INVALID)]
	assert reg.problems({**VALID, "email": " Petra@Autoservice.Example "}) == []
	assert reg.problems({**VALID, "phone": "call me"}) == [("phone", reg.INVALID)]
	assert reg.problems({**VALID, "phone": "12345"}) == [("phone", reg.INVALID)]
	assert reg.problems({**VALID, "first_name": "x" * 81}) == [("first_name", reg.TOO_LONG)]
	assert reg.problems({**VALID, "password": "x" * 129}) == [("password", reg.TOO_LONG)]


def test_terms_accepted_as_a_form_sends_a_ticked_box():
	for ticked in ("1", "on", "true", True, 1):
		assert reg.accepted(ticked)
	for unticked in ("0", "", None, "false", 0):
		assert not reg.accepted(unticked)


def test_email_normalised():
	assert reg.normalise_email("  Petra@Example.COM ") == "petra@example.com"
	assert reg.normalise_email(None) == ""
