"""The one-round-trip insert of the ledger's PostgreSQL recorder keeps the library's guarantees:
notification ids in the order of the events, nothing kept of a conflicting batch, and commit
order equal to id order, so a follower tailing the log from two writing processes never passes
a gap that fills later."""

from __future__ import annotations

import multiprocessing
import threading
import time
from uuid import uuid4

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from infra.ledger.application import open_ledger
from infra.projections.store import ViewStore
from infra.store.positions import event_positions
from infra.store.recorder import OneTripRecorder, function_name

pytestmark = pytest.mark.postgres

TOPIC = "tests.recorder:Event"


def _events(count: int, originator: object | None = None, first: int = 1) -> list[StoredEvent]:
    owner = originator or uuid4()
    return [
        StoredEvent(owner, first + i, TOPIC, f'{{"n":{i}}}'.encode())  # type: ignore[arg-type]
        for i in range(count)
    ]


def test_the_ledger_on_postgres_records_with_the_one_trip_recorder(postgres_url: str) -> None:
    ledger = open_ledger(postgres_url)
    try:
        assert isinstance(ledger.recorder, OneTripRecorder)
    finally:
        ledger.close()


def test_a_batch_gets_increasing_ids_in_the_order_of_its_events(postgres_url: str) -> None:
    ledger = open_ledger(postgres_url)
    try:
        recorder = ledger.recorder
        first = _events(3)
        mixed = [*_events(2), *_events(1), *_events(4)]  # several originators in one batch
        ids = [*recorder.insert_events(first), *recorder.insert_events(mixed)]  # type: ignore[misc]
        assert ids == sorted(ids) and len(set(ids)) == len(ids) == 10
        stored = recorder.select_notifications(start=ids[0], limit=100)
        assert [n.id for n in stored] == ids
        assert [(n.originator_id, n.originator_version, n.state) for n in stored] == [
            (e.originator_id, e.originator_version, e.state) for e in [*first, *mixed]
        ]
    finally:
        ledger.close()


def test_an_insert_is_committed_and_notified_when_it_returns(postgres_url: str) -> None:
    """One statement, its own transaction: what it returns is already visible to another
    connection (committed), and a listener on the log's channel has been told."""
    ledger = open_ledger(postgres_url)
    try:
        recorder = ledger.recorder
        assert isinstance(recorder, OneTripRecorder)
        table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
        with psycopg.connect(postgres_url.split("?")[0], autocommit=True) as other:
            other.execute(f'LISTEN "{recorder.channel_name}"')
            ids = recorder.insert_events(_events(3))
            seen = other.execute(
                f"SELECT notification_id FROM {table} WHERE notification_id = ANY(%s)",
                (ids,),
            ).fetchall()
            assert sorted(r[0] for r in seen) == ids
            assert [n.channel for n in other.notifies(timeout=5, stop_after=1)] == [
                recorder.channel_name
            ]
            statuses = {
                r[0]
                for r in other.execute(
                    "SELECT state FROM pg_stat_activity WHERE datname = current_database()"
                    " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                    " AND query LIKE %s",
                    (f"%{function_name(recorder.events_table_name)}%",),
                )
            }
            assert "idle in transaction" not in statuses  # no transaction left open
    finally:
        ledger.close()


def test_the_insert_functions_name_fits_postgresql_identifiers() -> None:
    assert function_name("stored_events") == "ct_insert_stored_events"
    long = function_name("e" * 63)
    assert len(long) <= 63 and long.startswith("ct_insert_") and long != function_name("f" * 63)


def test_a_conflicting_batch_keeps_nothing_and_the_next_one_is_saved(postgres_url: str) -> None:
    ledger = open_ledger(postgres_url)
    try:
        recorder = ledger.recorder
        owner = uuid4()
        recorder.insert_events(_events(1, owner))
        before = recorder.max_notification_id()
        with pytest.raises(IntegrityError):
            recorder.insert_events([*_events(2), *_events(1, owner)])  # version 1 again
        assert recorder.max_notification_id() == before
        for version in range(2, 8):  # more than the pool's connections: none left in a transaction
            [saved] = recorder.insert_events(_events(1, owner, version))  # type: ignore[misc]
            assert saved > (before or 0)
    finally:
        ledger.close()


def test_a_save_waits_for_another_writer_holding_the_lock(postgres_url: str) -> None:
    ledger = open_ledger(postgres_url)
    try:
        recorder = ledger.recorder
        assert isinstance(recorder, OneTripRecorder)
        recorder.insert_events(_events(1))  # the table and its statements exist
        table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
        url = postgres_url.split("?")[0]
        with psycopg.connect(url) as other:
            other.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
            began = time.monotonic()
            result: list[object] = []
            saver = threading.Thread(
                target=lambda: result.extend(recorder.insert_events(_events(2)) or [])
            )
            saver.start()
            time.sleep(0.5)
            assert not result  # held back by the other transaction's lock
            other.commit()
            saver.join(timeout=10)
        assert len(result) == 2 and time.monotonic() - began >= 0.5
    finally:
        ledger.close()


def _write(url: str, batches: int, size: int) -> None:
    ledger = open_ledger(url)
    try:
        for _ in range(batches):
            ledger.recorder.insert_events(_events(size))
    finally:
        ledger.close()


def test_a_follower_of_two_writing_processes_never_skips_an_event(postgres_url: str) -> None:
    ledger = open_ledger(postgres_url)  # creates the tables before the writers start
    try:
        recorder = ledger.recorder
        context = multiprocessing.get_context("spawn")
        writers = [context.Process(target=_write, args=(postgres_url, 150, 3)) for _ in range(2)]
        for writer in writers:
            writer.start()
        followed: list[int] = []
        last = 0
        while any(w.is_alive() for w in writers) or last < (recorder.max_notification_id() or 0):
            page = recorder.select_notifications(start=last, limit=50, inclusive_of_start=False)
            followed.extend(n.id for n in page)
            last = page[-1].id if page else last
        for writer in writers:
            writer.join()
            assert writer.exitcode == 0
        everything = [n.id for n in recorder.select_notifications(start=1, limit=10_000)]
        assert len(everything) == 2 * 150 * 3
        assert followed == everything  # tailing saw every event, in order, none passed over
    finally:
        ledger.close()


def test_reads_keep_the_connections_prepared_statements(postgres_url: str) -> None:
    """A read ends with COMMIT: psycopg forgets a connection's prepared statements (the
    writer's INSERT among them) and sends DEALLOCATE ALL whenever it sees a ROLLBACK."""
    ledger = open_ledger(f"{postgres_url}&pool_size=1&max_overflow=0")
    try:
        store = ViewStore(ledger.recorder)
        [position] = ledger.recorder.insert_events(_events(1))  # type: ignore[misc]
        for _ in range(6):  # psycopg prepares a statement on its 5th run
            with store.read() as cursor:
                cursor.execute("SELECT CAST(? AS integer) + 1", (1,))
        with store.read() as cursor:
            prepared = cursor.scalar("SELECT count(*) FROM pg_prepared_statements")
        assert prepared >= 2  # the writer's statements and the repeated read
        assert event_positions(ledger.recorder, _events(1)[0].originator_id) == {}
        with store.read() as cursor:
            assert cursor.scalar("SELECT count(*) FROM pg_prepared_statements") == prepared
        assert position > 0
    finally:
        ledger.close()
