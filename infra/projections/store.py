"""SQL for the read views on the ledger's own database, SQLite or PostgreSQL.

Views write through the recorder's datastore, so rows and the tracking position commit in one
transaction. SQL is written once with `?` placeholders, `{rm_name}` for a table and `{!rm_name}` for an index;
the store adapts both, and can put a view's tables under another prefix (a rebuild beside the live
views).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder

Row = Any  # sqlite3.Row or a psycopg dict row: both index by column name


class Cursor:
    """A cursor that speaks one SQL dialect for both databases."""

    def __init__(self, store: ViewStore, raw: Any) -> None:
        # eventsourcing wraps sqlite3 cursors; use the real one (it has rowcount).
        self.store, self.raw = store, getattr(raw, "sqlite_cursor", raw)

    @property
    def rowcount(self) -> int:
        return int(self.raw.rowcount)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Cursor:
        self.raw.execute(self.store.sql(statement), self.store.params(params))
        return self

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.raw.executemany(self.store.sql(statement), [self.store.params(r) for r in rows])

    def fetchall(self) -> list[Row]:
        return list(self.raw.fetchall())

    def fetchone(self) -> Row | None:
        return self.raw.fetchone()

    def scalar(self, statement: str, params: Sequence[Any] = ()) -> Any:
        row = self.execute(statement, params).raw.fetchone()
        if row is None:
            return None
        return next(iter(row.values())) if isinstance(row, dict) else row[0]


class ViewStore:
    """Tables of the read views, in the ledger's database (a schema of it on PostgreSQL)."""

    def __init__(self, recorder: ApplicationRecorder, prefix: str = "rm_") -> None:
        self.datastore: Any = recorder.datastore  # type: ignore[attr-defined]
        self.postgres = isinstance(recorder, PostgresApplicationRecorder)
        self.schema = self.datastore.schema if self.postgres else None
        self.prefix = prefix

    def name(self, name: str) -> str:
        """A view's object name under this store's prefix: 'rm_claims' -> 'rb_claims'."""
        return self.prefix + name.removeprefix("rm_")

    def table(self, name: str) -> str:
        if name.startswith("!"):
            return f'"{self.name(name[1:])}"'
        real = self.name(name)
        return f'"{self.schema}"."{real}"' if self.postgres else f'"{real}"'

    def sql(self, statement: str) -> str:
        if "{" in statement:
            statement = _format_tables(statement, self.table)
        return statement.replace("?", "%s") if self.postgres else statement

    def params(self, values: Sequence[Any]) -> tuple[Any, ...]:
        """PostgreSQL text cannot hold NUL: a view shows U+FFFD rather than stall on one."""
        if not self.postgres:
            return tuple(values)
        return tuple(v.replace("\x00", "\ufffd") if isinstance(v, str) else v for v in values)

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=commit) as raw:
            yield Cursor(self, raw)

    def create(self, statements: Sequence[str]) -> None:
        with self.transaction(commit=True) as cursor:
            for statement in statements:
                if self.postgres:
                    statement = statement.replace("INTEGER PRIMARY KEY", "BIGINT PRIMARY KEY")
                cursor.execute(statement)


def _format_tables(statement: str, table: Any) -> str:
    out, rest = [], statement
    while "{" in rest:
        before, _, after = rest.partition("{")
        name, _, rest = after.partition("}")
        out += [before, table(name)]
    return "".join([*out, rest])
