from rma_portal.domain import account_requests as ar


def test_create_needs_account_name_user_and_last_name():
	assert ar.missing_fields(ar.CREATE, {}, has_account=False) == [
		"new_account_name",
		"user_email",
		"last_name",
	]
	values = {"new_account_name": "Garage Nord", "user_email": "a@b.example", "last_name": "Nord"}
	assert ar.missing_fields(ar.CREATE, values, has_account=False) == []


def test_partial_address_names_what_is_missing():
	values = {
		"new_account_name": "G",
		"user_email": "a@b.example",
		"last_name": "N",
		"address_line1": "Main 1",
	}
	assert ar.missing_fields(ar.CREATE, values, has_account=False) == ["city", "country"]


def test_existing_account_types_need_an_account_unless_known():
	assert ar.missing_fields(ar.REMOVE, {"user_email": "x@y.example"}, has_account=False) == ["account_name"]
	assert ar.missing_fields(ar.REMOVE, {"user_email": "x@y.example"}, has_account=True) == []
	assert ar.missing_fields(ar.ADD_USER, {"account_name": "Demo"}, has_account=False) == [
		"user_email",
		"last_name",
	]


def test_edit_must_change_something():
	assert ar.changes_nothing(ar.EDIT, {"account_name": "Demo", "notes": "hello"})
	assert not ar.changes_nothing(ar.EDIT, {"time_zone": "Europe/Warsaw"})
	assert not ar.changes_nothing(ar.CREATE, {})


def test_unused_fields_are_those_the_type_does_not_show():
	values = {"user_email": "x@y.example", "tax_id": "123", "new_account_name": "N", "notes": "n"}
	assert ar.unused_fields(ar.REMOVE, values) == ["new_account_name", "tax_id"]
	assert ar.unused_fields(ar.CREATE, values) == []
	assert set(ar.shown_fields(ar.REMOVE)) == {"account_name", "user_email", "notes"}


def test_job_roles_one_a_line():
	assert ar.job_roles(" Workshop manager\n\nPurchaser\nPurchaser\n Accountant ") == [
		"Workshop manager",
		"Purchaser",
		"Accountant",
	]
	assert ar.job_roles(None) == []


def test_a_country_alone_starts_no_address():
	"""Frappe fills an empty Country link with the site's default country: that asks for no address."""
	values = {
		"new_account_name": "G",
		"user_email": "a@b.example",
		"last_name": "N",
		"country": "Netherlands",
	}
	assert ar.missing_fields(ar.CREATE, values, has_account=False) == []
	assert ar.missing_fields(ar.CREATE, {**values, "city": "Utrecht"}, has_account=False) == ["address_line1"]


def test_adding_removing_or_changing_others_manages_users():
	me = "me@garage.example"
	assert ar.manages_users(ar.ADD_USER, {"user_email": me}, me)
	assert ar.manages_users(ar.REMOVE, {"user_email": "other@garage.example"}, me)
	assert ar.manages_users(ar.EDIT, {"user_email": "other@garage.example", "last_name": "X"}, me)
	assert ar.manages_users(ar.EDIT, {"user_email": me, "new_account_name": "Garage Zuid"}, me)
	assert not ar.manages_users(ar.EDIT, {"user_email": "Me@Garage.example", "time_zone": "Europe/Paris"}, me)
	assert not ar.manages_users(ar.EDIT, {"user_email": me, "account_name": "Garage", "first_name": "Jo"}, me)
	assert not ar.manages_users(ar.CREATE, {"user_email": "other@garage.example"}, me)


def test_only_the_accounts_managers_ask_about_its_users():
	me = "me@example.com"
	for kind, values in (
		(ar.ADD_USER, {"user_email": "new@example.com"}),
		(ar.REMOVE, {"user_email": "other@example.com"}),
		(ar.EDIT, {"new_account_name": "Renamed"}),
		(ar.EDIT, {"user_email": "other@example.com", "first_name": "X"}),
	):
		for relation in (ar.ADMINISTRATOR, ar.USER_MANAGER, ar.STAFF):
			assert ar.requester_may(kind, values, me, relation), (kind, relation)
		for relation in (ar.MEMBER, ar.NO_RELATION):
			assert not ar.requester_may(kind, values, me, relation), (kind, relation)


def test_a_user_changes_their_own_details_and_anyone_asks_for_a_new_account():
	own = {"user_email": "me@example.com", "first_name": "New"}
	assert ar.requester_may(ar.EDIT, own, "me@example.com", ar.MEMBER)
	assert not ar.requester_may(ar.EDIT, own, "me@example.com", ar.NO_RELATION)
	assert ar.requester_may(ar.CREATE, {"new_account_name": "Mine"}, "me@example.com", ar.NO_RELATION)
