"""SQL for the read views on the ledger's own database, SQLite or PostgreSQL.

Views write through the recorder's datastore, so rows and the tracking position commit in one
transaction. SQL is written once with `?` placeholders, `{rm_name}` for a table and
`{!rm_name}` for an index; the store adapts both, and can put a view's tables under another
prefix (a rebuild beside the live views). `?[]` is a list parameter (PostgreSQL only), sent in
binary: psycopg writes a list of 20,000 texts in ~12 ms of CPU so, ~65 ms as an array literal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder

Row = Any  # sqlite3.Row or a psycopg dict row: both index by column name
# PostgreSQL compresses a row's long values (pglz) once the row passes ~2 kB, which most claim
# bodies do (1-4 kB): a view row is rewritten at every event of its claim and read whole, so
# the compression cost more of PostgreSQL's CPU than it saved (claims view alone, 100k events:
# 35-44 -> 28-35 us per event). Rows up to a page are stored as they are.
TABLE_OPTIONS = " WITH (toast_tuple_target = 8160)"
# Rows of a COPY below which each text value is searched for a NUL before it is sent (above,
# a savepoint: one per large COPY keeps a batch's subtransactions few).
SEARCHED_FIRST = 1000


class Cursor:
    """A cursor that speaks one SQL dialect for both databases."""

    def __init__(self, store: ViewStore, raw: Any) -> None:
        # eventsourcing wraps sqlite3 cursors; use the real one (it has rowcount).
        self.store, self.raw = store, getattr(raw, "sqlite_cursor", raw)
        self.pending: dict[str, tuple[Any, Callable[[Cursor, Any], None]]] = {}

    @property
    def rowcount(self) -> int:
        return int(self.raw.rowcount)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Cursor:
        self.raw.execute(self.store.sql(statement), self.store.params(params))
        return self

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.raw.executemany(self.store.sql(statement), [self.store.params(r) for r in rows])

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        """Plain inserts of many rows into `{table}`: one COPY on PostgreSQL (several times
        cheaper per row than an INSERT), executemany on SQLite."""
        if not rows:
            return
        names = ", ".join(columns)
        if self.store.postgres:
            self._copy(self.store.sql(f"COPY {{{table}}} ({names}) FROM STDIN"), rows)
        else:
            marks = ", ".join("?" * len(columns))
            self.executemany(f"INSERT INTO {{{table}}} ({names}) VALUES ({marks})", rows)  # noqa: S608

    def _copy(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        """COPY `rows`, a text with a NUL written with U+FFFD (as by params()). Few rows are
        searched for a NUL first. Many are sent as they are, in a savepoint: psycopg refuses a
        NUL in text (DataError), and they are sent again replaced. (Searching every text value
        first cost ~3% of the claims group's CPU; two statements per COPY are far cheaper.)"""
        if len(rows) < SEARCHED_FIRST:
            clean = _no_nul(rows)
            self._write(statement, rows if clean else [self.store.params(r) for r in rows])
            return
        self.raw.execute("SAVEPOINT claimtrail_copy")
        try:
            self._write(statement, rows)
        except psycopg.DataError:  # a NUL, or a value the second try refuses as well
            self.raw.execute("ROLLBACK TO SAVEPOINT claimtrail_copy")
            self._write(statement, [self.store.params(r) for r in rows])
        self.raw.execute("RELEASE SAVEPOINT claimtrail_copy")

    def _write(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.raw.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def select_in(self, statement: str, values: Sequence[Any]) -> list[Row]:
        """Rows of `statement`, in which `IN (?...)` stands for the list `values`: one array
        parameter on PostgreSQL (`= ANY(?[])`), chunks of placeholders on SQLite (at most 999
        parameters per statement)."""
        if self.store.postgres:
            return self.execute(
                statement.replace("IN (?...)", "= ANY(?[])"), (list(values),)
            ).fetchall()
        rows: list[Row] = []
        for i in range(0, len(values), 500):
            chunk = values[i : i + 500]
            marks = f"IN ({', '.join('?' * len(chunk))})"
            rows += self.execute(statement.replace("IN (?...)", marks), chunk).fetchall()
        return rows

    def fetchall(self) -> list[Row]:
        return list(self.raw.fetchall())

    def fetchone(self) -> Row | None:
        return self.raw.fetchone()

    def scalar(self, statement: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(statement, params).raw.fetchone()
        if row is None:
            return None
        return next(iter(row.values())) if isinstance(row, dict) else row[0]

    def deferred(
        self, key: str, new: Callable[[], Any], flush: Callable[[Cursor, Any], None]
    ) -> Any:
        """State a view gathers during this transaction (`new()` the first time), written by
        `flush(cursor, state)` just before the commit: a batch of events becomes a few
        multi-row statements instead of several round trips per event. A transaction that
        fails is rolled back with its cursor, so nothing gathered outlives it."""
        if key not in self.pending:
            self.pending[key] = (new(), flush)
        return self.pending[key][0]

    def flush(self) -> None:
        """Write what views deferred, in the order they first deferred."""
        while self.pending:
            state, flush = self.pending.pop(next(iter(self.pending)))
            flush(self, state)


class ViewStore:
    """Tables of the read views, in the ledger's database (a schema of it on PostgreSQL)."""

    def __init__(self, recorder: ApplicationRecorder, prefix: str = "rm_") -> None:
        self.datastore: Any = recorder.datastore  # type: ignore[attr-defined]
        self.postgres = isinstance(recorder, PostgresApplicationRecorder)
        self.schema = self.datastore.schema if self.postgres else None
        self.prefix = prefix
        # The ledger's own events table and its position column (the audit view reads it).
        events: str = recorder.events_table_name  # type: ignore[attr-defined]
        self.events_table = f'"{self.schema}"."{events}"' if self.postgres else f'"{events}"'
        self.events_position = "notification_id" if self.postgres else "rowid"
        self.adapted: dict[str, str] = {}  # statement -> the SQL sent (tables named, placeholders)

    def name(self, name: str) -> str:
        """A view's object name under this store's prefix: 'rm_claims' -> 'rb_claims'."""
        return self.prefix + name.removeprefix("rm_")

    def table(self, name: str) -> str:
        if name.startswith("!"):
            return f'"{self.name(name[1:])}"'
        real = self.name(name)
        return f'"{self.schema}"."{real}"' if self.postgres else f'"{real}"'

    def sql(self, statement: str) -> str:
        adapted = self.adapted.get(statement)
        if adapted is None:
            adapted = statement
            if "{" in adapted:
                adapted = _format_tables(adapted, self.table)
            if self.postgres:
                adapted = adapted.replace("?[]", "%b").replace("?", "%s")
            if len(self.adapted) < 1000:
                self.adapted[statement] = adapted
        return adapted

    def params(self, values: Sequence[Any]) -> tuple[Any, ...]:
        """PostgreSQL text cannot hold NUL: a view shows U+FFFD rather than stall on one."""
        if not self.postgres:
            return tuple(values)
        return tuple([v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in values])

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=commit) as raw:
            cursor = Cursor(self, raw)
            yield cursor
            cursor.flush()

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        """A transaction that only reads. On PostgreSQL it ends with COMMIT, not ROLLBACK
        (the same for a transaction that wrote nothing): on seeing a ROLLBACK, psycopg forgets
        every prepared statement of the connection and sends DEALLOCATE ALL, so a pooled
        connection that served a rolled-back read re-planned the writer's INSERT and every
        repeated read. (On SQLite a committing transaction takes the pool's one writer
        connection: a read there still rolls back.)"""
        with self.transaction(commit=self.postgres) as cursor:
            yield cursor

    @contextmanager
    def statements(self) -> Iterator[Cursor]:
        """Reads outside a transaction: on PostgreSQL (whose connections are in autocommit)
        each statement is its own transaction, which saves the BEGIN and COMMIT round trips of
        `read()` and sees what a READ COMMITTED transaction would (a fresh snapshot per
        statement). On SQLite, `read()`."""
        if not self.postgres:
            with self.read() as cursor:
                yield cursor
            return
        with self.datastore.get_connection() as conn:
            cursor = Cursor(self, conn.cursor())
            yield cursor
            cursor.flush()

    def create(self, statements: Sequence[str]) -> None:
        with self.transaction(commit=True) as cursor:
            if self.postgres:
                # Two processes starting together (uvicorn --workers 2 on a fresh schema) would
                # race in CREATE ... IF NOT EXISTS and one fails on pg_type's unique index.
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(?))",
                    (f"claimtrail views {self.schema}",),
                )
            for statement in statements:
                if self.postgres:
                    statement = statement.replace("INTEGER PRIMARY KEY", "BIGINT PRIMARY KEY")
                    if statement.startswith("CREATE TABLE"):
                        statement += TABLE_OPTIONS
                cursor.execute(statement)


def _no_nul(rows: Sequence[Sequence[Any]]) -> bool:
    """Whether no text value of `rows` holds a NUL (params() replaces NUL in text only): one
    search per text value. Joining the batch's text values first and searching once copied
    every value (the claims view's bodies: ~70 MB per 40k rows) and took 2-3 times as long."""
    for row in rows:
        for value in row:
            if isinstance(value, str) and "\x00" in value:
                return False
    return True


def _format_tables(statement: str, table: Any) -> str:
    out, rest = [], statement
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        out += [before, table(name)]
    return "".join([*out, rest])
