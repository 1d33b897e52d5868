"""The event log read in notification order, a page at a time, as the library's `Notification`s.

On PostgreSQL the page is fetched in binary format: `bytea` then arrives as raw bytes instead of
hex text for the client to decode, which reads pages about 2.5 times faster (bench, 200k events:
~296k rows/s against ~119k). On SQLite the recorder's own `select_notifications` is as fast as
the database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

_SELECT = (
    "SELECT notification_id, originator_id, originator_version, topic, state FROM {}.{}"
    " WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
)


def notifications_after(
    recorder: ApplicationRecorder, after: int, limit: int
) -> Sequence[Notification]:
    """Up to `limit` notifications with positions greater than `after`, in order."""
    if not isinstance(recorder, PostgresApplicationRecorder):
        return recorder.select_notifications(start=after, limit=limit, inclusive_of_start=False)
    datastore: Any = recorder.datastore
    statement = SQL(_SELECT).format(
        Identifier(datastore.schema), Identifier(recorder.events_table_name)
    )
    with (
        datastore.get_connection() as conn,
        conn.cursor(binary=True, row_factory=tuple_row) as cursor,
    ):
        cursor.execute(statement, (after, limit), prepare=True)
        return [
            Notification(
                id=position,
                originator_id=originator_id,
                originator_version=version,
                topic=topic,
                state=state,
            )
            for position, originator_id, version, topic, state in cursor.fetchall()
        ]


def originators_of(recorder: ApplicationRecorder, topic: str, page: int = 500) -> Iterator[UUID]:
    """The aggregate of every event of `topic` (e.g. a Created event's), in log order, read a
    page at a time."""
    start = 0
    while batch := recorder.select_notifications(
        start=start, limit=page, topics=[topic], inclusive_of_start=False
    ):
        yield from (UUID(str(n.originator_id)) for n in batch)
        start = batch[-1].id
