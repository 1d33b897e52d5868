"""Organizations in the ledger, on SQLite and PostgreSQL: a membership is written on both sides in
one transaction, survives a round trip through storage, reaches kept principals, and decides
who may act for the organization (`check_may_act_as`)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from domain.errors import NotPermittedError
from domain.values import Role
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger
from infra.ledger.errors import ReferenceNotFoundError
from tests import factories
from tests.factories import context

POLL = 0.3


def _member(ledger: Ledger, role: Role = Role.REVIEWER) -> tuple[Any, Any]:
    admin = context(Role.ADMIN)
    desk = ledger.organizations.create(admin, name=factories.unique("Desk")).aggregate
    ana = ledger.principals.create(admin, name="ana", role=Role.READER)
    ledger.organizations.add_member(admin, desk.id, ana.outcome.aggregate.id, role)
    return desk, ana


def test_a_membership_is_stored_on_the_organization_and_the_principal(
    ledger: Ledger, stored: Ledger
) -> None:
    desk, ana = _member(ledger)
    principal_id = ana.outcome.aggregate.id

    organization = stored.organizations.get(desk.id)

    assert organization.member(principal_id).role is Role.REVIEWER
    assert stored.principals.get(principal_id).organizations == [organization.id]
    assert [o.id for o in stored.organizations.list()] == [organization.id]


def test_a_member_acts_for_its_organization_by_its_role_there(ledger: Ledger) -> None:
    desk, ana = _member(ledger, Role.CONTRIBUTOR)
    principal = ana.outcome.aggregate
    ctx = context(Role.ADMIN, principal.id, organizations=tuple(principal.organizations))

    ledger.organizations.check_may_act_as(ctx, desk.id, Role.CONTRIBUTOR)
    with pytest.raises(NotPermittedError):  # a global admin, a contributor there
        ledger.organizations.check_may_act_as(ctx, desk.id, Role.REVIEWER)
    with pytest.raises(ReferenceNotFoundError):
        ledger.organizations.check_may_act_as(ctx, uuid.uuid4(), Role.READER)


def test_without_an_organization_the_global_role_decides(ledger: Ledger) -> None:
    ledger.organizations.check_may_act_as(context(Role.REVIEWER), None, Role.REVIEWER)
    with pytest.raises(NotPermittedError):
        ledger.organizations.check_may_act_as(context(Role.CONTRIBUTOR), None, Role.REVIEWER)


def test_a_review_for_an_organization_survives_storage(ledger: Ledger, stored: Ledger) -> None:
    desk, ana = _member(ledger)
    principal = ana.outcome.aggregate
    ctx = context(Role.READER, principal.id, organizations=(desk.id,))
    claim = factories.claim(ledger)

    ledger.claims.review(ctx, claim.id, verdict=Verdict.TRUE, label=None, explanation="e")

    [review] = stored.claims.get(claim.id).reviews
    assert review.organization_id == desk.id


def test_a_membership_made_elsewhere_reaches_kept_principals_within_one_poll(
    ledger: Ledger, stored: Ledger
) -> None:
    admin = context(Role.ADMIN)
    issued = ledger.principals.create(admin, name="ana", role=Role.READER)
    assert issued.token is not None
    desk = ledger.organizations.create(admin, name=factories.unique("Desk")).aggregate
    stored.principals.keep_principals(POLL)
    assert stored.principals.authenticate(issued.token).organizations == []

    ledger.organizations.add_member(admin, desk.id, issued.outcome.aggregate.id, Role.REVIEWER)
    added = time.monotonic()

    while time.monotonic() - added < POLL + 2.0:
        if stored.principals.authenticate(issued.token).organizations:
            break
        time.sleep(0.02)
    assert stored.principals.authenticate(issued.token).organizations == [desk.id]
    stored.principals.forget_principals()
