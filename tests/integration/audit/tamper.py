"""Raw SQL on the events table, as someone with database access would do it (not the ledger).

On PostgreSQL the session sets `session_replication_role = replica`, which (as a superuser)
silences the triggers that otherwise refuse UPDATE and DELETE.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from infra.ledger.application import Ledger
from infra.store.database import environment, is_postgres, libpq_url

SHIFT = 1_000_000


class Tamper:
    def __init__(self, ledger: Ledger, url: str) -> None:
        recorder: Any = ledger.recorder
        self.url, self.postgres = url, is_postgres(url)
        if self.postgres:
            self.table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
            self.id = "notification_id"
        else:
            self.table, self.id = recorder.events_table_name, "rowid"

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        if self.postgres:
            with psycopg.connect(libpq_url(self.url)) as conn, conn.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
                yield _Dialect(cursor, "%s")
        else:
            conn = sqlite3.connect(environment(self.url)["SQLITE_DBNAME"])
            with conn:
                yield _Dialect(conn.cursor(), "?")
            conn.close()

    def state(self, position: int) -> dict[str, Any]:
        with self._cursor() as c:
            row = c.one(f"SELECT state FROM {self.table} WHERE {self.id} = ?", position)
        return dict(json.loads(bytes(row[0])))

    def edit(self, position: int, change: Callable[[dict[str, Any]], None]) -> None:
        state = self.state(position)
        change(state)
        with self._cursor() as c:
            c.run(
                f"UPDATE {self.table} SET state = ? WHERE {self.id} = ?",
                json.dumps(state).encode(),
                position,
            )

    def delete(self, position: int) -> None:
        with self._cursor() as c:
            c.run(f"DELETE FROM {self.table} WHERE {self.id} = ?", position)

    def swap(self, first: int, second: int) -> None:
        with self._cursor() as c:
            a = c.one(f"SELECT state FROM {self.table} WHERE {self.id} = ?", first)[0]
            b = c.one(f"SELECT state FROM {self.table} WHERE {self.id} = ?", second)[0]
            c.run(f"UPDATE {self.table} SET state = ? WHERE {self.id} = ?", b, first)
            c.run(f"UPDATE {self.table} SET state = ? WHERE {self.id} = ?", a, second)

    def insert(self, at: int, like: int) -> None:
        """A plausible event at position `at` (later events move up one): the next version of
        the aggregate of the event at `like`, with that event's topic and state."""
        with self._cursor() as c:
            origin, topic, state = c.one(
                f"SELECT originator_id, topic, state FROM {self.table} WHERE {self.id} = ?", like
            )
            version = (
                c.one(
                    f"SELECT MAX(originator_version) FROM {self.table} WHERE originator_id = ?",
                    origin,
                )[0]
                + 1
            )
            c.run(
                f"UPDATE {self.table} SET {self.id} = {self.id} + {SHIFT} WHERE {self.id} >= ?", at
            )
            c.run(
                f"UPDATE {self.table} SET {self.id} = {self.id} - {SHIFT - 1} WHERE {self.id} >= ?",
                SHIFT + at,
            )
            c.run(
                f"INSERT INTO {self.table} ({self.id}, originator_id, originator_version, topic,"
                " state) VALUES (?, ?, ?, ?, ?)",
                at,
                origin,
                version,
                topic,
                state,
            )

    def append(
        self,
        like: int,
        *,
        version_shift: int | None = None,
        topic: str | None = None,
        change: Callable[[dict[str, Any]], None] | None = None,
    ) -> int:
        """An event appended after the last one, as a plain INSERT (positions from the database,
        as the application's own would get them): the aggregate, topic and state of the event at
        `like`, with its version raised by `version_shift` (default: the aggregate's next), the
        topic replaced and the state changed if asked. Its position."""
        with self._cursor() as c:
            origin, version, stored_topic, state = c.one(
                f"SELECT originator_id, originator_version, topic, state FROM {self.table}"
                f" WHERE {self.id} = ?",
                like,
            )
            if version_shift is None:
                version = (
                    c.one(
                        f"SELECT MAX(originator_version) FROM {self.table} WHERE originator_id = ?",
                        origin,
                    )[0]
                    + 1
                )
            else:
                version += version_shift
            if change is not None:
                data = json.loads(bytes(state))
                change(data)
                state = json.dumps(data).encode()
            c.run(
                f"INSERT INTO {self.table} (originator_id, originator_version, topic, state)"
                " VALUES (?, ?, ?, ?)",
                origin,
                version,
                topic or stored_topic,
                state,
            )
            return int(c.one(f"SELECT MAX({self.id}) FROM {self.table}")[0])


class _Dialect:
    def __init__(self, cursor: Any, mark: str) -> None:
        self.cursor, self.mark = cursor, mark

    def run(self, statement: str, *params: Any) -> None:
        self.cursor.execute(statement.replace("?", self.mark), params)

    def one(self, statement: str, *params: Any) -> Any:
        self.run(statement, *params)
        return self.cursor.fetchone()
