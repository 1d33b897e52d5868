"""Where each stored event stands in the global log (its notification id = its `position`).

The library returns positions when it writes, but not when it reads an aggregate's events back;
these two small queries read them from the recorder's own table.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg import sql


def event_positions(recorder: ApplicationRecorder, aggregate_id: UUID) -> dict[int, int]:
    """{version: position} for every stored event of one aggregate."""
    if isinstance(recorder, PostgresApplicationRecorder):
        statement = sql.SQL(
            "SELECT originator_version, notification_id FROM {}.{} WHERE originator_id = %s"
        ).format(
            sql.Identifier(recorder.datastore.schema), sql.Identifier(recorder.events_table_name)
        )
        # commit=True: a read, and a ROLLBACK would make psycopg drop the connection's
        # prepared statements (see ViewStore.read).
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute(statement, (aggregate_id,))
            return {row["originator_version"]: row["notification_id"] for row in cursor.fetchall()}
    if isinstance(recorder, SQLiteApplicationRecorder):
        with recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT originator_version, rowid FROM {recorder.events_table_name} "  # noqa: S608 - fixed table name
                "WHERE originator_id = ?",
                (aggregate_id.hex,),
            )
            return {row[0]: row[1] for row in cursor.fetchall()}
    raise TypeError(f"positions are not available for {type(recorder).__name__}")
