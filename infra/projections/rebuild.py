"""Rebuilding views from the log into fresh tables, and comparing views by row digests."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from infra.ledger import Ledger
from infra.projections.projector import Projector, View
from infra.projections.store import ViewStore

BATCH = 10_000  # events per transaction: a claim changed several times in one is written once
_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS \{(rm_\w+)\}")


def table_names(view: View) -> list[str]:
    return [m[1] for statement in view.tables if (m := _TABLE.search(statement))]


def digest(store: ViewStore, view: View) -> str:
    """SHA-256 over every row of the view's tables, independent of row order."""
    total = hashlib.sha256()
    with store.transaction(commit=False) as cursor:
        for table in table_names(view):
            rows = cursor.execute(f"SELECT * FROM {{{table}}}").fetchall()  # noqa: S608
            lines = sorted("\x1f".join(_text(v) for v in _values(row)) for row in rows)
            total.update(f"{table}:{len(lines)}\n".encode())
            for line in lines:
                total.update(line.encode() + b"\n")
    return total.hexdigest()


def drop(store: ViewStore, views: list[View]) -> None:
    with store.transaction(commit=True) as cursor:
        for view in views:
            for table in table_names(view):
                cursor.execute(f"DROP TABLE IF EXISTS {{{table}}}")
        cursor.execute("DROP TABLE IF EXISTS {rm_tracking}")


def rebuild(
    ledger: Ledger,
    views: list[View],
    prefix: str = "rb_",
    until: datetime | None = None,
    progress: Callable[[int, int], Any] = lambda done, head: None,
) -> ViewStore:
    """Views built from position 0 into tables under `prefix` (dropped first)."""
    store = ViewStore(ledger.recorder, prefix)
    drop(store, views)
    projector = Projector(ledger, views, store, batch_size=BATCH, until=until)
    projector.setup()
    head = ledger.recorder.max_notification_id() or 0
    done = 0
    while count := projector.run_once():
        done += count
        progress(done, head)
    return store


def _values(row: Any) -> list[Any]:
    return list(row.values()) if isinstance(row, dict) else list(row)


def _text(value: Any) -> str:
    return "\x00" if value is None else str(value)


def swap(live: ViewStore, rebuilt: ViewStore, views: list[View]) -> None:
    """Put rebuilt views in place of the live ones in one transaction (readers wait, briefly).

    Index names follow their prefix, so the rebuilt tables' indexes are re-created under the
    live names.
    """
    names = [t for view in views for t in table_names(view)] + ["rm_tracking"]
    indexes = [s for view in views for s in view.tables if s.startswith("CREATE INDEX")]
    with live.transaction(commit=True) as cursor:
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {{{name}}}")
            cursor.execute(f'ALTER TABLE {rebuilt.table(name)} RENAME TO "{live.name(name)}"')
        for statement in indexes:
            index = _INDEX.search(statement)
            assert index is not None
            cursor.execute(f"DROP INDEX IF EXISTS {_qualified(live, rebuilt.name(index[1]))}")
            cursor.execute(statement)


_INDEX = re.compile(r"\{!(rm_\w+)\}")


def _qualified(store: ViewStore, name: str) -> str:
    return f'"{store.schema}"."{name}"' if store.postgres else f'"{name}"'
