"""On PostgreSQL the events table refuses UPDATE, DELETE and TRUNCATE, whoever asks."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from infra.ledger.application import Ledger, open_ledger
from infra.store.database import libpq_url
from tests.factories import actor

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_ledger(postgres_url: str) -> Iterator[Ledger]:
    ledger = open_ledger(postgres_url)
    actor(ledger)
    yield ledger
    ledger.close()


def _table(ledger: Ledger) -> str:
    recorder = ledger.recorder
    return f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {} SET topic = 'forged' WHERE originator_version = 1",
        "DELETE FROM {}",
        "TRUNCATE {}",
    ],
)
def test_the_events_table_refuses_rewrites(pg_ledger: Ledger, postgres_url: str, statement: str):
    with psycopg.connect(libpq_url(postgres_url)) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute(statement.format(_table(pg_ledger)))
        conn.rollback()
        count = conn.execute(f"SELECT COUNT(*) FROM {_table(pg_ledger)}").fetchone()
    assert count is not None and count[0] > 0


def test_opening_the_ledger_again_keeps_one_set_of_triggers(pg_ledger: Ledger, postgres_url: str):
    open_ledger(postgres_url).close()
    open_ledger(postgres_url).close()
    with psycopg.connect(libpq_url(postgres_url)) as conn:
        rows = conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass", (_table(pg_ledger),)
        ).fetchall()
    assert sorted(r[0] for r in rows) == [
        "claimtrail_no_truncate",
        "claimtrail_no_update_or_delete",
    ]


def test_the_ledger_still_appends(pg_ledger: Ledger):
    before = pg_ledger.recorder.max_notification_id()
    actor(pg_ledger)
    assert (pg_ledger.recorder.max_notification_id() or 0) > (before or 0)
