"""Rebuilding views from the log into fresh tables, and comparing views by row digests."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, wait
from datetime import datetime
from multiprocessing import forkserver, get_context
from typing import Any

from infra.ledger.application import Ledger, open_ledger
from infra.projections.projector import Projector, View, query_only
from infra.projections.read_model import all_views
from infra.projections.store import Cursor, ViewStore

# Events per transaction. A claim changed in several batches is written again in each (its row
# deleted and copied, its keys read and compared): on a generated 100k-event log, batches of
# 10,000 wrote 73,340 claim rows for 34,404 claims, batches of 50,000 wrote 39,600. Each group
# process then peaks at ~420 MB instead of ~245 MB (the batch's notifications and events). On
# SQLite a batch's transaction holds the database's one write lock, which the API's commands
# wait for: there batches stay at 10,000.
BATCH_POSTGRES = 50_000
BATCH_SQLITE = 10_000
_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS \{(rm_\w+)\}")


def table_names(view: View) -> list[str]:
    return [m[1] for statement in view.tables if (m := _TABLE.search(statement))]


def digest(store: ViewStore, view: View) -> str:
    """SHA-256 over every row of the view's tables, whatever order the rows are stored in: each
    table is read sorted by all its columns, streamed (a server-side cursor on PostgreSQL), so
    memory stays flat however large the views."""
    total = hashlib.sha256()
    with store.transaction(commit=False) as cursor:
        for table in table_names(view):
            count, lines = 0, hashlib.sha256()
            for row in _sorted_rows(cursor, table):
                lines.update(("\x1f".join(_text(v) for v in _values(row)) + "\n").encode())
                count += 1
            total.update(f"{table}:{count}\n".encode() + lines.digest())
    return total.hexdigest()


def _sorted_rows(cursor: Cursor, table: str) -> Iterator[Any]:
    width = len(cursor.execute(f"SELECT * FROM {{{table}}} LIMIT 0").raw.description)  # noqa: S608
    order = ", ".join(str(i) for i in range(1, width + 1))  # every column, by position
    query = cursor.store.sql(f"SELECT * FROM {{{table}}} ORDER BY {order}")  # noqa: S608
    if not cursor.store.postgres:
        yield from cursor.raw.execute(query)
        return
    with cursor.raw.connection.cursor(name="claimtrail_digest") as rows:
        rows.itersize = 2000
        rows.execute(query)
        yield from rows


def drop(store: ViewStore, views: list[View]) -> None:
    with store.transaction(commit=True) as cursor:
        for view in views:
            for table in table_names(view):
                cursor.execute(f"DROP TABLE IF EXISTS {{{table}}}")
        cursor.execute("DROP TABLE IF EXISTS {rm_tracking}")
        cursor.execute("DROP TABLE IF EXISTS {rm_view_stops}")


def rebuild(
    ledger: Ledger,
    views: list[View],
    prefix: str = "rb_",
    until: datetime | None = None,
    progress: Callable[[int, int], Any] = lambda done, head: None,
    database_url: str | None = None,
) -> ViewStore:
    """Views built from position 0 into tables under `prefix` (dropped first).

    With `database_url` on PostgreSQL and a multi-core machine, the views are split into groups
    of about equal cost, each rebuilt by its own process reading the log (one core each),
    while this one reports progress from the tracking table."""
    store = ViewStore(ledger.recorder, prefix)
    groups = split_views(views, os.cpu_count() or 1)
    in_processes = bool(database_url) and store.postgres and len(groups) > 1
    if in_processes:
        start_forkserver()  # it imports the views while this process drops the tables
    drop(store, views)
    head = ledger.recorder.max_notification_id() or 0
    if in_processes:
        Projector(ledger, views, store).setup(query_indexes=False)
        _rebuild_in_processes(store, str(database_url), groups, prefix, until, progress, head)
    else:
        batch = BATCH_POSTGRES if store.postgres else BATCH_SQLITE
        projector = Projector(ledger, views, store, batch_size=batch, until=until)
        projector.setup(query_indexes=False)
        done = 0
        while count := projector.run_once():
            done += count
            progress(done, head)
        _index(store, views)
    return store


def _index(store: ViewStore, views: list[View]) -> None:
    """The views' query indexes, built once over the filled tables: cheaper than kept up to
    date row by row."""
    store.create([s for view in views for s in query_only(view)])


def start_forkserver() -> None:
    """Start the forkserver (if it is not running yet) with the views (and this process's
    main module) imported in it once: each process forked from it then starts without
    importing them again (~0.3-0.5 s of CPU each), and still starts clean (no threads,
    connections or locks of this one)."""
    get_context("forkserver").set_forkserver_preload(["__main__", __name__])
    forkserver.ensure_running()


# Relative cost of a view per event, measured by rebuilding each view alone from a generated
# 50k-100k-event log on PostgreSQL (CPU per event on top of the reading and decoding that every
# process pays): claims ~40 us, timeline ~15, relationships ~15, similar ~20 (its features, once
# per claim recorded), audit ~15 (its hashes; it reuses the events its group decodes, and
# decodes the rest for its structure check), actors and people ~1. Used to balance processes.
COST = {"claims": 3, "timeline": 2, "relationships": 2, "similar": 2, "audit": 1}


def split_views(views: list[View], cores: int) -> list[list[str]]:
    """View names in at most `cores` groups of about equal cost (largest first, each to the
    lightest group). Every process reads and decodes the log once for its views, so fewer
    processes than views: the audit view, which hashes the stored records, joins a group and
    takes that group's decoded events for its structure check instead of decoding them again."""
    if cores <= 1:
        return [[view.name for view in views]]
    groups: list[list[str]] = [[] for _ in range(max(1, min(cores, len(views))))]
    for view in sorted(views, key=lambda v: -COST.get(v.name, 0)):
        lightest = min(groups, key=lambda g: sum(COST.get(n, 0) for n in g))
        lightest.append(view.name)
    return [g for g in groups if g]


def _rebuild_in_processes(
    store: ViewStore,
    database_url: str,
    groups: list[list[str]],
    prefix: str,
    until: datetime | None,
    progress: Callable[[int, int], Any],
    head: int,
) -> None:
    # forkserver: each process starts clean and opens its own ledger.
    with ProcessPoolExecutor(len(groups), mp_context=get_context("forkserver")) as pool:
        running = [pool.submit(rebuild_group, database_url, g, prefix, until) for g in groups]
        while wait(running, timeout=0.5).not_done:
            progress(_slowest(store), head)
        for future in running:
            future.result()  # a failed group raises here
    progress(_slowest(store), head)


def _slowest(store: ViewStore) -> int:
    with store.transaction(commit=False) as cursor:
        return int(cursor.scalar("SELECT MIN(position) FROM {rm_tracking}") or 0)


def rebuild_group(database_url: str, names: list[str], prefix: str, until: datetime | None) -> int:
    """In a worker process: rebuild the named views (their tables exist) from the log, then
    build their query indexes (while the other groups may still be working)."""
    ledger = open_ledger(database_url)
    try:
        views = [view for view in all_views() if view.name in names]
        store = ViewStore(ledger.recorder, prefix)
        projector = Projector(ledger, views, store, batch_size=BATCH_POSTGRES, until=until)
        done = projector.catch_up()
        _index(store, views)
        return done
    finally:
        ledger.close()


def _values(row: Any) -> list[Any]:
    return list(row.values()) if isinstance(row, dict) else list(row)


def _text(value: Any) -> str:
    return "\x00" if value is None else str(value)


def swap(live: ViewStore, rebuilt: ViewStore, views: list[View]) -> None:
    """Put rebuilt views in place of the live ones in one transaction (readers wait, briefly).

    Index names follow their prefix, so the rebuilt tables' indexes are re-created under the
    live names.
    """
    names = [t for view in views for t in table_names(view)] + ["rm_tracking", "rm_view_stops"]
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
