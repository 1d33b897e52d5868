"""The ledger's PostgreSQL application recorder: the library's, with an insert in one round trip.

The library's insert (eventsourcing 9.5.x `PostgresApplicationRecorder.insert_events`) sends
BEGIN and waits, sends SET LOCAL lock_timeout, LOCK TABLE, NOTIFY and the INSERT and waits, syncs
again, sends COMMIT and waits, and syncs once more as its pipeline ends: five round trips, three of
them while it holds the table lock that serialises every writer of the log. Here the same
statements go in one pipeline with one Sync, so the lock is taken, the rows inserted and the
transaction committed without the server waiting on the client in between.

Unchanged: the EXCLUSIVE table lock (commit order = notification id order, so a follower
never passes a gap that fills later), its lock timeout, NOTIFY, the one INSERT ... SELECT FROM
unnest(...) RETURNING notification_id in the order of the events given, a unique violation
raised as IntegrityError (nothing of the transaction is kept), and the library's retries on
OperationalError and InterfaceError. The INSERT is a prepared statement (it was parsed on every
call). With `POSTGRES_ENABLE_DB_FUNCTIONS` the library's own path runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import sql


class OneTripRecorder(PostgresApplicationRecorder):
    """Inserts events (and takes the table lock, notifies and commits) in one round trip."""

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.notify_statement = sql.SQL("NOTIFY {0}").format(sql.Identifier(self.channel_name))
        # Four arrays of plain types, sent in binary, instead of one array of a composite type
        # (which psycopg dumps as text, in Python, field by field: ~0.15 ms per event).
        self.insert_columns_statement = sql.SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state)"
            " SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[])"
            " RETURNING notification_id"
        ).format(
            schema=sql.Identifier(self.datastore.schema),
            table=sql.Identifier(self.events_table_name),
            id_type=sql.Identifier(self.datastore.originator_id_type),
        )
        self.rendered: list[bytes] = []  # the statements as bytes, once (psycopg would per call)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if self.datastore.enable_db_functions or _tracked(kwargs) or not stored_events:
            return super().insert_events(stored_events, **kwargs)
        columns = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
        )
        with self.datastore.get_connection() as conn:
            assert conn.autocommit  # BEGIN and COMMIT are ours, not psycopg's
            *before, inserting = self.rendered or self._render(conn)
            statements, insert = conn.cursor(), conn.cursor()
            try:
                with conn.pipeline():
                    statements.execute(b"BEGIN")
                    for statement in before:  # lock_timeout, LOCK TABLE, NOTIFY
                        statements.execute(statement, prepare=True)
                    insert.execute(inserting, columns, prepare=True)
                    statements.execute(b"COMMIT")
                # Leaving the pipeline sent its one Sync and read every result.
                return [row["notification_id"] for row in insert.fetchall()]
            except BaseException:
                _roll_back(conn)
                raise
            finally:
                statements.close()
                insert.close()

    def _render(self, conn: psycopg.Connection[Any]) -> list[bytes]:
        statements = [*self.lock_table_statements, self.notify_statement]
        self.rendered = [_bytes(s, conn) for s in [*statements, self.insert_columns_statement]]
        return self.rendered


def _bytes(statement: Any, conn: psycopg.Connection[Any]) -> bytes:
    if isinstance(statement, sql.Composable):
        return statement.as_bytes(conn)
    return statement if isinstance(statement, bytes) else str(statement).encode()


def _tracked(kwargs: dict[str, Any]) -> bool:
    """Whether the save carries a tracking record (a process application's): the library's
    insert writes it in the same transaction; the ledger's saves never do."""
    return any(value is not None for value in kwargs.values())


def _roll_back(conn: psycopg.Connection[Any]) -> None:
    """End a transaction a failed statement left open (the COMMIT never ran). A broken
    connection has nothing to roll back: the pool replaces it."""
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        with contextlib.suppress(psycopg.Error):
            conn.rollback()
