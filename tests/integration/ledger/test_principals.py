"""Principals and API keys (stored as hashes), the first admin, and the system principal."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import ConflictError
from domain.principals import ApiKey, hash_token
from domain.values import Role
from infra.ledger.application import Ledger
from infra.ledger.errors import (
    AggregateMissingError,
    AuthenticationError,
    PreconditionFailedError,
)
from infra.ledger.principals import BOOTSTRAP_ADMIN, SYSTEM
from tests.factories import claim, context


def test_a_created_principal_is_stored_with_the_hash_of_its_first_key(
    ledger: Ledger, stored: Ledger
) -> None:
    issued = ledger.principals.create(context(Role.ADMIN), name="Ana", role=Role.REVIEWER)

    loaded = stored.principals.get(issued.outcome.aggregate.id)
    assert issued.token is not None
    assert loaded == issued.outcome.aggregate
    assert isinstance(loaded.role, Role) and loaded.role is Role.REVIEWER
    [key] = loaded.keys
    assert isinstance(key, ApiKey)
    assert key.key_id == issued.key_id
    assert key.key_hash == hash_token(issued.token) != issued.token


def test_a_principal_authenticates_with_its_token_on_another_ledger(
    ledger: Ledger, stored: Ledger
) -> None:
    issued = ledger.principals.create(context(Role.ADMIN), name="Ana", role=Role.CONTRIBUTOR)
    assert issued.token is not None

    assert stored.principals.authenticate(issued.token) == issued.outcome.aggregate


def test_an_issued_key_is_stored_and_authenticates(ledger: Ledger, stored: Ledger) -> None:
    admin = context(Role.ADMIN)
    first = ledger.principals.create(admin, name="Ana", role=Role.CONTRIBUTOR)

    second = ledger.principals.issue_key(admin, first.outcome.aggregate.id)

    assert second.token is not None and second.key_id != first.key_id
    assert stored.principals.get(first.outcome.aggregate.id) == second.outcome.aggregate
    assert stored.principals.authenticate(second.token).id == first.outcome.aggregate.id


def test_a_revoked_key_is_stored_and_no_longer_authenticates(
    ledger: Ledger, stored: Ledger
) -> None:
    admin = context(Role.ADMIN)
    issued = ledger.principals.create(admin, name="Ana", role=Role.CONTRIBUTOR)
    spare = ledger.principals.issue_key(admin, issued.outcome.aggregate.id)
    assert issued.token is not None and spare.token is not None

    outcome = ledger.principals.revoke_key(admin, issued.outcome.aggregate.id, issued.key_id)

    loaded = stored.principals.get(issued.outcome.aggregate.id)
    assert loaded == outcome.aggregate
    assert loaded.find_key(issued.key_id).revoked_at is not None
    with pytest.raises(AuthenticationError):
        stored.principals.authenticate(issued.token)
    assert stored.principals.authenticate(spare.token).id == loaded.id


def test_revoking_a_key_twice_is_a_conflict(ledger: Ledger) -> None:
    admin = context(Role.ADMIN)
    issued = ledger.principals.create(admin, name="Ana", role=Role.CONTRIBUTOR)
    ledger.principals.revoke_key(admin, issued.outcome.aggregate.id, issued.key_id)

    with pytest.raises(ConflictError):
        ledger.principals.revoke_key(admin, issued.outcome.aggregate.id, issued.key_id)


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        f"ct_{BOOTSTRAP_ADMIN.hex}_{'0' * 32}_{'A' * 43}",
    ],
)
def test_a_malformed_or_unknown_token_does_not_authenticate(ledger: Ledger, token: str) -> None:
    with pytest.raises(AuthenticationError):
        ledger.principals.authenticate(token)


def test_a_tampered_token_does_not_authenticate(ledger: Ledger) -> None:
    issued = ledger.principals.create(context(Role.ADMIN), name="Ana", role=Role.CONTRIBUTOR)
    assert issued.token is not None
    tampered = issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B")

    with pytest.raises(AuthenticationError):
        ledger.principals.authenticate(tampered)


def test_the_first_admin_token_is_given_exactly_once_and_authenticates_as_admin(
    ledger: Ledger, stored: Ledger
) -> None:
    token = ledger.principals.bootstrap_admin()

    assert token is not None
    assert ledger.principals.bootstrap_admin() is None
    assert stored.principals.bootstrap_admin() is None
    admin = stored.principals.authenticate(token)
    assert admin.id == BOOTSTRAP_ADMIN and admin.role is Role.ADMIN


def test_the_system_context_acts_as_a_stored_admin_principal_without_keys(
    ledger: Ledger, stored: Ledger
) -> None:
    system = ledger.principals.system_context("seed")

    assert system.principal_id == SYSTEM and system.role is Role.ADMIN
    principal = stored.principals.get(SYSTEM)
    assert principal.role is Role.ADMIN and principal.keys == []
    assert stored.principals.system_context().principal_id == SYSTEM
    assert stored.principals.get(SYSTEM).version == 1
    recorded = claim(ledger, system)
    assert stored.claims.get(recorded.id).recorded_by == SYSTEM


def test_a_display_name_given_at_creation_and_changed_later_is_stored(
    ledger: Ledger, stored: Ledger
) -> None:
    admin = context(Role.ADMIN)
    issued = ledger.principals.create(
        admin, name="ana", role=Role.REVIEWER, display_name="Ана Петрова"
    )
    principal_id = issued.outcome.aggregate.id
    assert stored.principals.get(principal_id).display_name == "Ана Петрова"

    outcome = ledger.principals.set_display_name(admin, principal_id, "安娜")

    assert outcome.aggregate.display_name == "安娜"
    assert stored.principals.get(principal_id).display_name == "安娜"
    assert stored.principals.display_names({principal_id, uuid4()}) == {principal_id: "安娜"}


def test_setting_the_same_display_name_again_is_a_conflict_and_writes_nothing(
    ledger: Ledger, stored: Ledger
) -> None:
    admin = context(Role.ADMIN)
    issued = ledger.principals.create(admin, name="ana", role=Role.REVIEWER)
    principal_id = issued.outcome.aggregate.id

    with pytest.raises(ConflictError):
        ledger.principals.set_display_name(admin, principal_id, "ana")

    assert stored.principals.get(principal_id).version == issued.outcome.aggregate.version


def test_a_stale_if_match_on_a_display_name_is_refused(ledger: Ledger) -> None:
    admin = context(Role.ADMIN)
    issued = ledger.principals.create(admin, name="ana", role=Role.REVIEWER)
    principal_id = issued.outcome.aggregate.id
    ledger.principals.set_display_name(admin, principal_id, "Ana P.")

    with pytest.raises(PreconditionFailedError):
        ledger.principals.set_display_name(
            context(Role.ADMIN, if_match=issued.outcome.aggregate.version), principal_id, "Ana"
        )


def test_the_display_name_of_an_unknown_principal_is_not_found(ledger: Ledger) -> None:
    with pytest.raises(AggregateMissingError):
        ledger.principals.set_display_name(context(Role.ADMIN), uuid4(), "Nobody")
