from uuid import uuid4

import pytest

from domain.errors import ConflictError, DuplicateError, NotPermittedError
from domain.organizations import (
    MemberNotFoundError,
    Organization,
    OrganizationChoiceError,
    choose_organization,
)
from domain.principals import Principal
from domain.values import Role
from tests.unit.helpers import meta, record_claim, replay, review


def organization() -> Organization:
    return Organization.create(uuid4(), name="Newsroom A", meta=meta())


def test_an_organization_is_created_with_a_name_and_no_members():
    desk = organization()
    assert (desk.name, desk.members) == ("Newsroom A", {})


def test_a_member_is_added_with_its_role_there_and_who_added_it():
    desk, ana, admin = organization(), uuid4(), uuid4()
    desk.add_member(ana, Role.REVIEWER, meta=meta(admin))
    member = desk.member(ana)
    assert (member.principal_id, member.role, member.added_by) == (ana, Role.REVIEWER, admin)


def test_a_current_member_cannot_be_added_again():
    desk, ana = organization(), uuid4()
    desk.add_member(ana, Role.REVIEWER, meta=meta())
    with pytest.raises(DuplicateError):
        desk.add_member(ana, Role.ADMIN, meta=meta())


def test_a_members_role_changes_but_not_to_the_same_role():
    desk, ana = organization(), uuid4()
    desk.add_member(ana, Role.CONTRIBUTOR, meta=meta())
    desk.change_role(ana, Role.REVIEWER, meta=meta())
    assert desk.member(ana).role is Role.REVIEWER
    with pytest.raises(ConflictError):
        desk.change_role(ana, Role.REVIEWER, meta=meta())


def test_only_members_have_their_role_changed_or_are_removed():
    desk = organization()
    with pytest.raises(MemberNotFoundError):
        desk.change_role(uuid4(), Role.ADMIN, meta=meta())
    with pytest.raises(MemberNotFoundError):
        desk.remove_member(uuid4(), meta=meta())


def test_a_removed_member_is_gone_from_the_state_but_not_from_the_events():
    desk, ana = organization(), uuid4()
    desk.add_member(ana, Role.REVIEWER, meta=meta())
    desk.remove_member(ana, meta=meta())
    assert desk.members == {}
    names = [type(e).__name__ for e in desk.collect_events()]
    assert names == ["Created", "MemberAdded", "MemberRemoved"]


def test_replaying_the_events_rebuilds_the_members():
    desk, ana, bo = organization(), uuid4(), uuid4()
    desk.add_member(ana, Role.REVIEWER, meta=meta())
    desk.add_member(bo, Role.CONTRIBUTOR, meta=meta())
    desk.change_role(bo, Role.ADMIN, meta=meta())
    desk.remove_member(ana, meta=meta())
    rebuilt = replay(desk)
    assert {p: m.role for p, m in rebuilt.members.items()} == {bo: Role.ADMIN}


def test_a_member_acts_for_the_organization_only_with_a_role_there_that_includes_it():
    desk, ana = organization(), uuid4()
    desk.add_member(ana, Role.CONTRIBUTOR, meta=meta())
    desk.check_may_act_as(ana, Role.CONTRIBUTOR)
    with pytest.raises(NotPermittedError):
        desk.check_may_act_as(ana, Role.REVIEWER)
    with pytest.raises(NotPermittedError):
        desk.check_may_act_as(uuid4(), Role.READER)


def test_members_are_managed_by_the_ledgers_admins_or_the_organizations_own():
    desk, chief, ana = organization(), uuid4(), uuid4()
    desk.add_member(chief, Role.ADMIN, meta=meta())
    desk.add_member(ana, Role.REVIEWER, meta=meta())
    desk.check_may_manage(uuid4(), Role.ADMIN)
    desk.check_may_manage(chief, Role.READER)
    with pytest.raises(NotPermittedError):
        desk.check_may_manage(ana, Role.REVIEWER)


def test_a_principal_acts_for_the_organization_it_names_else_its_only_one_else_none():
    first, second = uuid4(), uuid4()
    assert choose_organization((), None) is None
    assert choose_organization((first,), None) == first
    assert choose_organization((first, second), second) == second
    with pytest.raises(OrganizationChoiceError):
        choose_organization((first, second), None)


def test_a_principal_keeps_the_organizations_it_joined_in_order():
    ada = Principal.register(uuid4(), name="ada", role=Role.READER, meta=meta())
    first, second = uuid4(), uuid4()
    ada.join_organization(first, meta=meta())
    ada.join_organization(second, meta=meta())
    ada.leave_organization(first, meta=meta())
    assert replay(ada).organizations == [second]
    with pytest.raises(ConflictError):
        ada.leave_organization(first, meta=meta())


def test_a_review_remembers_the_organization_it_was_made_for():
    claim, desk = record_claim(), uuid4()
    review(claim, organization_id=desk)
    review(claim)
    assert [r.organization_id for r in claim.reviews] == [desk, None]
