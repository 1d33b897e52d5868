"""Authentication from kept principals (a server's): no store read per request, and a
revocation written by another ledger (another process) is seen within one poll."""

from __future__ import annotations

import time
from unittest.mock import patch

import pytest

from domain.values import Role
from infra.ledger.application import Ledger
from infra.ledger.errors import AuthenticationError
from tests.factories import context

POLL = 0.3


def _issued(ledger: Ledger) -> tuple[str, str]:
    admin = context(Role.ADMIN)
    issued = ledger.principals.create(admin, name="Ana", role=Role.CONTRIBUTOR)
    assert issued.token is not None
    return issued.token, str(issued.outcome.aggregate.id)


def test_a_kept_principal_authenticates_without_reading_the_store(
    ledger: Ledger, stored: Ledger
) -> None:
    token, principal_id = _issued(ledger)
    stored.principals.keep_principals(60.0)
    assert str(stored.principals.authenticate(token).id) == principal_id

    with patch.object(stored, "load", side_effect=AssertionError("read the store")):
        for _ in range(3):
            assert str(stored.principals.authenticate(token).id) == principal_id


def test_a_key_revoked_elsewhere_is_refused_within_one_poll(ledger: Ledger, stored: Ledger) -> None:
    admin = context(Role.ADMIN)
    issued = ledger.principals.create(admin, name="Ana", role=Role.CONTRIBUTOR)
    principal_id = issued.outcome.aggregate.id
    spare = ledger.principals.issue_key(admin, principal_id)
    assert issued.token is not None and spare.token is not None
    stored.principals.keep_principals(POLL)
    stored.principals.authenticate(issued.token)  # kept

    ledger.principals.revoke_key(admin, principal_id, issued.key_id)
    revoked = time.monotonic()

    while time.monotonic() - revoked < POLL + 2.0:  # one poll, and a margin for a busy machine
        try:
            stored.principals.authenticate(issued.token)
        except AuthenticationError:
            break
        time.sleep(0.02)
    with pytest.raises(AuthenticationError):
        stored.principals.authenticate(issued.token)
    assert stored.principals.authenticate(spare.token).id == principal_id
    stored.principals.forget_principals()


def test_the_revoking_ledger_refuses_at_once(ledger: Ledger) -> None:
    token, _ = _issued(ledger)
    ledger.principals.keep_principals(60.0)
    principal = ledger.principals.authenticate(token)

    ledger.principals.revoke_key(context(Role.ADMIN), principal.id, principal.keys[0].key_id)

    with pytest.raises(AuthenticationError):
        ledger.principals.authenticate(token)


def test_a_key_issued_elsewhere_after_keeping_is_accepted(ledger: Ledger, stored: Ledger) -> None:
    token, _ = _issued(ledger)
    stored.principals.keep_principals(60.0)
    principal = stored.principals.authenticate(token)

    later = ledger.principals.issue_key(context(Role.ADMIN), principal.id)

    assert later.token is not None
    assert stored.principals.authenticate(later.token).id == principal.id


def test_a_read_begun_before_a_revocation_was_seen_is_not_kept(
    ledger: Ledger, stored: Ledger
) -> None:
    token, _ = _issued(ledger)
    stored.principals.keep_principals(60.0)
    cache = stored.principals.cache
    assert cache is not None
    principal = ledger.principals.get(stored.principals.authenticate(token).id)
    cache.forget(principal.id)

    def stale_read() -> object:
        cache.forget(principal.id)  # a revocation seen while this read was under way
        return principal

    cache.get(principal.id, stale_read)  # type: ignore[arg-type]
    assert principal.id not in cache.kept


def test_closing_the_ledger_stops_following_the_log(ledger: Ledger) -> None:
    """A closed ledger leaves no thread polling its store (nor retrying against it)."""
    ledger.principals.keep_principals(60.0)
    cache = ledger.principals.cache
    assert cache is not None and cache.thread.is_alive()

    ledger.close()

    assert not cache.thread.is_alive()
    assert ledger.principals.cache is None
