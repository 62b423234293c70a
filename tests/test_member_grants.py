"""Who may give which rights (domain/members.grant_refusal) and what the audit trail of a member records
(domain/members.audit_changes)."""

from rma_portal.domain.members import (
	ADMIN_RECORD,
	NOT_HELD,
	OWN_RIGHTS,
	SCOPE_NOT_HELD,
	US_ADMIN_ONLY,
	audit_changes,
	grant_refusal,
)

ALL = ("BR", "US", "OR", "RM", "FI", "AD", "PRO")


def refusal(actor=("US",), admin=False, actor_all=False, is_self=False, target_admin=False, **change):
	return grant_refusal(
		actor,
		admin,
		actor_all,
		is_self,
		target_admin,
		change.get("before", ()),
		change.get("after", ()),
		change.get("before_all", False),
		change.get("after_all", False),
	)


def test_a_user_manager_cannot_give_themselves_anything():
	assert refusal(is_self=True, before=("US",), after=ALL, after_all=True) == (
		OWN_RIGHTS,
		("BR", "OR", "RM", "FI", "AD", "PRO"),
	)
	assert refusal(actor=ALL, is_self=True, before=("US",), after=("US", "FI"))[0] == OWN_RIGHTS
	assert refusal(is_self=True, before=("US",), after=("US",), after_all=True) == (OWN_RIGHTS, ())


def test_a_user_manager_may_take_their_own_other_rights_away():
	assert refusal(actor=("US", "FI"), is_self=True, before=("US", "FI"), after=("US",)) is None


def test_only_rights_the_user_manager_holds():
	assert refusal(actor=("US", "RM"), before=(), after=("RM",)) is None
	assert refusal(actor=("US", "RM"), before=(), after=("RM", "FI", "OR")) == (NOT_HELD, ("OR", "FI"))
	# a right the member had already is no grant
	assert refusal(actor=("US",), before=("FI",), after=("FI",)) is None
	assert refusal(actor=("US",), before=("FI", "RM"), after=("RM",)) is None


def test_only_the_administrator_gives_or_takes_us():
	assert refusal(actor=ALL, before=(), after=("US",)) == (US_ADMIN_ONLY, ("US",))
	assert refusal(actor=ALL, before=("US", "RM"), after=("RM",)) == (US_ADMIN_ONLY, ("US",))
	assert refusal(actor=(), admin=True, before=(), after=ALL, after_all=True) is None


def test_the_administrators_record_is_not_a_user_managers():
	assert refusal(actor=ALL, target_admin=True, before=ALL, after=()) == (ADMIN_RECORD, ())


def test_the_document_scope_only_from_who_sees_it_all():
	assert refusal(before=(), after=(), after_all=True) == (SCOPE_NOT_HELD, ())
	assert refusal(actor_all=True, before=(), after=(), after_all=True) is None
	assert refusal(before=(), after=(), before_all=True, after_all=False) is None


def member(**values):
	record = {"is_admin": 0, "enabled": 1, "all_documents": 0, "supervisor": None}
	record.update(values)
	return record


def test_audit_of_a_change():
	before = member(flag_rm=1)
	after = member(flag_rm=1, flag_fi=1, enabled=0, supervisor="M-2")
	assert audit_changes(before, after) == [
		("enabled", "1", "0"),
		("rights", "RM", "RM, FI"),
		("supervisor", "", "M-2"),
	]
	assert audit_changes(after, after) == []


def test_audit_of_the_administrator_and_a_new_member():
	assert audit_changes(member(), member(is_admin=1)) == [("administrator", "0", "1")]
	assert audit_changes(None, member(flag_rm=1)) == [("rights", "", "RM")]
	assert audit_changes(None, member(is_admin=1, all_documents=1, flag_us=1)) == [
		("administrator", "", "1"),
		("rights", "", "US"),
		("all_documents", "", "1"),
	]
