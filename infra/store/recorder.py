"""The ledger's PostgreSQL application recorder: the library's, with an insert in one statement.

The library's insert (eventsourcing 9.5.x `PostgresApplicationRecorder.insert_events`) sends
BEGIN and waits, sends SET LOCAL lock_timeout, LOCK TABLE, NOTIFY and the INSERT and waits, syncs
again, sends COMMIT and waits, and syncs once more as its pipeline ends: five round trips, three of
them while it holds the table lock that serialises every writer of the log. Here one statement
calls a function (created with the tables) that sets the lock timeout, takes the lock, notifies
and inserts, in the statement's own transaction: one message out, one answer back, which arrives
after the COMMIT (so nothing is acknowledged before it is durable), and the lock is held only
while the server runs the function and commits, never while it waits for the client.

(The same statements sent in one psycopg pipeline were one round trip too, but psycopg writes a
pipeline's commands one at a time, each after a poll of the socket: 8 sends and ~15 polls per
batch, each poll giving up the GIL and taking it back from the event loop. README, Performance.)

Unchanged: the EXCLUSIVE table lock (commit order = notification id order, so a follower
never passes a gap that fills later), its lock timeout, NOTIFY, the one INSERT ... SELECT FROM
unnest(...) RETURNING notification_id in the order of the events given, a unique violation
raised as IntegrityError (nothing of the transaction is kept), and the library's retries on
OperationalError and InterfaceError. The call is a prepared statement. With
`POSTGRES_ENABLE_DB_FUNCTIONS` the library's own path runs (its function takes no lock).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

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
        schema, table = sql.Identifier(self.datastore.schema), sql.Identifier(events_table_name)
        function = sql.Identifier(function_name(events_table_name))
        id_type = sql.Identifier(self.datastore.originator_id_type)
        # Four arrays of plain types, sent in binary, instead of one array of a composite type
        # (which psycopg dumps as text, in Python, field by field: ~0.15 ms per event).
        self.sql_create_statements.append(
            sql.SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}(ids {id_type}[],"
                " versions bigint[], topics text[], states bytea[], lock_wait text)"
                " RETURNS SETOF bigint LANGUAGE plpgsql AS $body$"
                " BEGIN"
                "  PERFORM set_config('lock_timeout', lock_wait, true);"
                "  LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;"
                "  NOTIFY {channel};"
                "  RETURN QUERY INSERT INTO {schema}.{table}"
                "   (originator_id, originator_version, topic, state)"
                "   SELECT * FROM unnest(ids, versions, topics, states)"
                "   RETURNING notification_id;"
                " END; $body$"
            ).format(
                schema=schema,
                function=function,
                table=table,
                id_type=id_type,
                channel=sql.Identifier(self.channel_name),
            )
        )
        self.insert_call = sql.SQL(
            "SELECT * FROM {schema}.{function}(%b::{id_type}[], %b::bigint[], %b::text[],"
            " %b::bytea[], %s) AS t(notification_id)"
        ).format(schema=schema, function=function, id_type=id_type)
        self.lock_wait = f"{self.datastore.lock_timeout}s"
        self.rendered: bytes | None = None  # the call as bytes, once (psycopg would per call)

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
            self.lock_wait,
        )
        with self.datastore.get_connection() as conn:
            # Autocommit: the statement is its own transaction, so a failed one leaves none
            # open (nothing to roll back) and a conflict keeps nothing.
            assert conn.autocommit
            if self.rendered is None:
                self.rendered = self.insert_call.as_bytes(conn)
            with conn.cursor() as cursor:
                cursor.execute(self.rendered, columns, prepare=True)
                return [row["notification_id"] for row in cursor.fetchall()]


def function_name(events_table_name: str) -> str:
    """The insert function's name: `ct_insert_<table>`, or a digest of a name too long for
    PostgreSQL's 63-byte identifiers."""
    name = f"ct_insert_{events_table_name}"
    if len(name.encode()) <= 63:
        return name
    return "ct_insert_" + hashlib.sha256(events_table_name.encode()).hexdigest()[:32]


def _tracked(kwargs: dict[str, Any]) -> bool:
    """Whether the save carries a tracking record (a process application's): the library's
    insert writes it in the same transaction; the ledger's saves never do."""
    return any(value is not None for value in kwargs.values())
