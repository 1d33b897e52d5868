"""Every leaf of the log recomputed from the stored events, a range of positions at a time.

On a log of more than a few pages, worker processes (one per core, up to four) each read a range
with their own connection and hash its leaves, while this process builds the tree and compares
the ranges in order; a few ranges are in flight at a time, so memory stays flat however long
the log. A smaller log is read and hashed here, the next range read on a thread meanwhile. On
PostgreSQL rows are read in binary format (bytea as raw bytes, not hex text to decode).
"""

from __future__ import annotations

import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from infra.integrity.leaves import state_leaf_data
from infra.integrity.merkle import leaf_hash

PAGE = 10_000  # positions per range
POOLED_FROM = 3 * PAGE  # a smaller log is recomputed in this process (no start-up cost)
IN_FLIGHT = 4  # ranges submitted ahead of the one being compared

T = TypeVar("T")
Row = tuple[int, Any, int, str, bytes]  # position, aggregate id, version, topic, state


@dataclass(frozen=True)
class Page:
    positions: list[int]
    leaves: bytes  # the leaf hashes, 32 bytes each, in order
    invalid: list[int]  # positions whose state is not JSON (hashed as raw bytes)
    logged_from: int | None = None  # the leaf index of the first, when the log's leaves all match


@dataclass(frozen=True)
class Source:
    """Where to read the log from another process: settings, not a connection."""

    postgres: bool
    connect: tuple[tuple[str, Any], ...]  # psycopg keyword arguments, or (("path", file),)
    schema: str
    table: str
    leaves: str  # the audit log's leaves table

    def select(self) -> Any:
        columns = "originator_id::text, originator_version, topic, state"
        if self.postgres:
            return SQL(
                f"SELECT notification_id, {columns} FROM {{}}.{{}}"  # noqa: S608
                " WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id"
            ).format(Identifier(self.schema), Identifier(self.table))
        return (
            "SELECT rowid, originator_id, originator_version, topic, state"  # noqa: S608
            f' FROM "{self.table}" WHERE rowid > ? AND rowid <= ? ORDER BY rowid'
        )

    def select_logged(self) -> Any:
        if self.postgres:
            return SQL(
                "SELECT position, leaf_index, leaf_hash FROM {}.{}"
                " WHERE position > %s AND position <= %s ORDER BY position"
            ).format(Identifier(self.schema), Identifier(self.leaves))
        return (
            f'SELECT position, leaf_index, leaf_hash FROM "{self.leaves}"'  # noqa: S608
            " WHERE position > ? AND position <= ? ORDER BY position"
        )


def source_of(recorder: ApplicationRecorder, leaves: str) -> Source:
    datastore: Any = recorder.datastore  # type: ignore[attr-defined]
    table: str = recorder.events_table_name  # type: ignore[attr-defined]
    if isinstance(recorder, PostgresApplicationRecorder):
        kwargs = {k: v for k, v in datastore.pool.kwargs.items() if k != "row_factory"}
        return Source(True, tuple(sorted(kwargs.items())), datastore.schema, table, leaves)
    return Source(False, (("path", datastore.pool.db_name),), "", table, leaves)


Logged = list[tuple[int, int, str]]  # the audit log's (position, leaf index, leaf hash)


def leaves_of(rows: Sequence[Row], logged: Sequence[tuple[int, int, str]] = ()) -> Page:
    """One range's leaves: a pure function of its rows, and of its leaves as logged.

    The logged leaves allow a shortcut: this application stores each state as its canonical
    encoding, so the leaf hashed over the stored bytes as they are is usually the leaf. Where
    it equals the logged leaf it is the leaf: equal SHA-256 hashes mean equal data, and the
    logged data was a canonical encoding. Anywhere else the payload is encoded the defining
    way, so the result is always the leaf `leaf_data` defines. When every logged leaf of the
    range matches (same positions, consecutive indexes, same hashes), `logged_from` says so.
    """
    hashes, invalid = [], []
    by_position = {position: leaf for position, _, leaf in logged}
    for position, aggregate_id, version, topic, state in rows:
        if position in by_position:
            data = state_leaf_data(position, aggregate_id, version, topic, state, as_stored=True)
            if (leaf := leaf_hash(data)).hex() == by_position[position]:
                hashes.append(leaf)
                continue
        try:
            hashes.append(leaf_hash(state_leaf_data(position, aggregate_id, version, topic, state)))
        except ValueError:
            invalid.append(position)
            hashes.append(leaf_hash(bytes(state)))
    positions, leaves = [row[0] for row in rows], b"".join(hashes)
    page = Page(positions, leaves, invalid)
    if not logged or len(logged) != len(rows):
        return page
    first = logged[0][1]
    if (
        [position for position, _, _ in logged] == positions
        and [index for _, index, _ in logged] == list(range(first, first + len(logged)))
        and "".join([leaf for _, _, leaf in logged]) == leaves.hex()
    ):
        return Page(positions, leaves, invalid, first)
    return page


_connections: dict[Source, Any] = {}  # a worker process's own connection, kept between ranges


def read_leaves(source: Source, after: int, upto: int) -> Page:
    """In a worker process: the leaves of positions after `after`, up to `upto`."""
    conn = _connections.get(source)
    if conn is None:
        settings = dict(source.connect)
        if source.postgres:
            conn = psycopg.connect(**settings, autocommit=True)
        else:
            conn = sqlite3.connect(Path(settings["path"]).resolve().as_uri() + "?mode=ro", uri=True)
        _connections[source] = conn
    return leaves_of(*_read(conn, source, after, upto))


def read_here(
    recorder: ApplicationRecorder, source: Source, after: int, upto: int
) -> tuple[list[Row], Logged]:
    """In this process, through the recorder's own connections."""
    datastore: Any = recorder.datastore  # type: ignore[attr-defined]
    if source.postgres:
        with datastore.get_connection() as conn:
            return _read(conn, source, after, upto)
    with datastore.transaction(commit=False) as cursor:
        return _read(cursor, source, after, upto)


def _read(conn: Any, source: Source, after: int, upto: int) -> tuple[list[Row], Logged]:
    """The range's stored events, and its leaves as logged."""
    rows = _fetch(conn, source.select(), (after, upto))
    return rows, _fetch(conn, source.select_logged(), (after, upto))


def _fetch(conn: Any, statement: Any, params: tuple[Any, ...]) -> list[Any]:
    if isinstance(conn, psycopg.Connection):
        with conn.cursor(binary=True, row_factory=tuple_row) as cursor:
            cursor.execute(statement, params, prepare=True)
            return list(cursor.fetchall())
    cursor = conn.execute(statement, params)  # sqlite3's cursor, or None (the library's)
    return [tuple(row) for row in (cursor or conn).fetchall()]


def recomputed(recorder: ApplicationRecorder, head: int, leaves: str) -> Iterator[Page]:
    """Each range's leaves, in log order, up to position `head`; `leaves` names the audit log's
    leaves table (for the shortcut of `leaves_of`)."""
    source = source_of(recorder, leaves)
    workers = min(os.cpu_count() or 1, 4)
    if head < POOLED_FROM or workers < 2:
        with ThreadPoolExecutor(1, thread_name_prefix="verify-read") as reader:
            pages = _in_order(lambda a, b: reader.submit(read_here, recorder, source, a, b), head)
            yield from (leaves_of(rows, logged) for rows, logged in pages)
        return
    # forkserver: workers start clean, without this process's threads and connections.
    with ProcessPoolExecutor(workers, mp_context=get_context("forkserver")) as pool:
        yield from _in_order(lambda a, b: pool.submit(read_leaves, source, a, b), head)


def _in_order(submit: Callable[[int, int], Future[T]], head: int) -> Iterator[T]:
    """Results of `submit(after, upto)` over consecutive ranges to `head`, in order, with up to
    IN_FLIGHT ranges started ahead of the one yielded."""
    flight: deque[Future[T]] = deque()
    for after in range(0, head, PAGE):
        flight.append(submit(after, min(after + PAGE, head)))
        if len(flight) > IN_FLIGHT:
            yield flight.popleft().result()
    while flight:
        yield flight.popleft().result()
