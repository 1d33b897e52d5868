"""Baselines measured with raw psycopg in the same run: one-row-per-commit inserts, and reading
the event table back with SELECT + json.loads."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import sql

from bench.common import SERVER
from infra.store.database import libpq_url

# A ~300-byte stored event: about what a small claim event weighs without its quote.
ROW_STATE = json.dumps(
    {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-11-28T17:35:42.013832+00:00"},
        "originator_topic": "domain.claims:Claim",
        "meta": {
            "_type_": "meta",
            "_data_": {"principal_id": uuid.uuid4().hex, "request_id": "r" * 32},
        },
        "statement": "China supports Russia's demands on security guarantees",
        "kind": {"_type_": "claim_kind", "_data_": "fact"},
    },
    separators=(",", ":"),
).encode()


def insert_rate(schema: str, threads: int, seconds: float) -> float:
    """Rows/s of INSERT + COMMIT, one row per transaction, one connection per thread."""
    table = sql.Identifier(schema, f"raw_{threads}_{uuid.uuid4().hex[:6]}")
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "CREATE TABLE {} (originator_id uuid NOT NULL, originator_version"
                " bigint NOT NULL, topic text, state bytea, notification_id"
                " bigserial UNIQUE, PRIMARY KEY (originator_id, originator_version))"
            ).format(table)
        )
    insert = sql.SQL(
        "INSERT INTO {} (originator_id, originator_version, topic, state)"
        " VALUES (%s, 1, 'domain.claims:Claim.Recorded', %s)"
        " RETURNING notification_id"
    ).format(table)
    connections = _connections(threads)
    counts = [0] * len(connections)
    go = threading.Event()
    deadline: list[float] = []

    def worker(index: int, conn: psycopg.Connection[Any]) -> None:
        go.wait()
        while time.perf_counter() < deadline[0]:
            with conn.cursor() as cursor:
                cursor.execute(insert, (uuid.uuid4(), ROW_STATE), prepare=True)
                cursor.fetchone()
            conn.commit()
            counts[index] += 1

    workers = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(connections)]
    for w in workers:
        w.start()
    began = time.perf_counter()
    deadline.append(began + seconds)
    go.set()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - began
    for conn in connections:
        conn.close()
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP TABLE {}").format(table))
    return sum(counts) / elapsed


def _connections(count: int, patience: float = 20.0) -> list[psycopg.Connection[Any]]:
    """`count` connections, waiting a little when the server is full (a shared machine)."""
    connections: list[psycopg.Connection[Any]] = []
    give_up = time.monotonic() + patience
    while len(connections) < count:
        try:
            connections.append(psycopg.connect(SERVER))
        except psycopg.OperationalError:
            if time.monotonic() > give_up:
                if not connections:
                    raise
                print(f"raw baseline: only {len(connections)} of {count} connections available")
                break
            time.sleep(0.5)
    return connections


def select_decode(
    database_url: str, table: str, limit: int | None = None, batch: int = 1000
) -> tuple[int, float]:
    """(events, seconds) to read the event table in notification order and json-decode each
    state: the floor under any replay or catch-up."""
    return scan(database_url, table, json.loads, limit=limit, batch=batch)


def scan(
    database_url: str,
    table: str,
    work: Callable[[bytes], object],
    *,
    binary: bool = False,
    limit: int | None = None,
    batch: int = 1000,
) -> tuple[int, float]:
    """(events, seconds) to read the event table in notification order on one connection
    (keyset pages; bytea as raw bytes when `binary`) and run `work` on each state."""
    schema = database_url.rsplit("schema=", 1)[-1]
    statement = sql.SQL(
        "SELECT notification_id, originator_id, originator_version, topic, state"
        " FROM {} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
    ).format(sql.Identifier(schema, table))
    count, last = 0, 0
    began = time.perf_counter()
    with psycopg.connect(libpq_url(database_url)) as conn:
        while limit is None or count < limit:
            with conn.cursor(binary=binary) as cursor:
                rows: list[Any] = cursor.execute(statement, (last, batch), prepare=True).fetchall()
            if not rows:
                break
            for row in rows:
                work(row[4])
            count += len(rows)
            last = rows[-1][0]
    return count, time.perf_counter() - began
