"""Read latency over HTTP: p50/p99 of sequential requests, GET /healthz as the baseline."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql

from bench.common import percentile
from bench.http_load import Http
from bench.server import Server
from infra.store.database import libpq_url

REQUESTS = 2000  # a p99 of 500 was its 5th slowest request: a few slow ones moved it
WARMUP = 50


@dataclass(frozen=True)
class Latency:
    p50: float  # ms
    p99: float
    status: int
    bytes: int


def measure(server: Server, paths: list[str], requests: int = REQUESTS) -> Latency:
    """`requests` sequential GETs over one keep-alive connection, after `WARMUP` of them."""
    client = Http(server.port)
    try:
        for i in range(WARMUP):
            client.get(paths[i % len(paths)])
        times, statuses, size = [], set(), 0
        for i in range(requests):
            elapsed, status = client.timed_get(paths[i % len(paths)])
            times.append(elapsed * 1000)
            statuses.add(status)
        size = len(client.get(paths[0])[1])
    finally:
        client.close()
    return Latency(percentile(times, 50), percentile(times, 99), max(statuses), size)


def targets(url: str, busiest: str, second: str, as_of: datetime) -> dict[str, Any]:
    """The paths to request: a busy actor's pages, two pairs, claims sampled at random."""
    schema = url.rsplit("schema=", 1)[-1]
    with psycopg.connect(libpq_url(url)) as conn:
        ids = [
            r[0]
            for r in conn.execute(
                sql.SQL("SELECT id FROM {} TABLESAMPLE SYSTEM (5) LIMIT 2000").format(
                    sql.Identifier(schema, "rm_claims")
                )
            ).fetchall()
        ]
        # A typical pair: the pair (either direction) whose current edge count is nearest 10.
        pairs = conn.execute(
            sql.SQL(
                "SELECT LEAST(source, target) AS a, GREATEST(source, target) AS b, count(*) AS n"
                " FROM {} WHERE valid_to IS NULL GROUP BY 1, 2"
                " ORDER BY abs(count(*) - 10), 1, 2 LIMIT 1"
            ).format(sql.Identifier(schema, "rm_edges"))
        ).fetchone()
        busy = conn.execute(
            sql.SQL(
                "SELECT count(*) FROM {} WHERE valid_to IS NULL AND ((source = %s AND target = %s)"
                " OR (source = %s AND target = %s))"
            ).format(sql.Identifier(schema, "rm_edges")),
            (busiest, second, second, busiest),
        ).fetchone()
    random.Random(5).shuffle(ids)
    moment = quote(as_of.isoformat())
    if pairs is None or busy is None:
        raise RuntimeError(
            f"no current relationship edge in {schema}.rm_edges: were the views projected?"
        )
    return {
        "healthz": ["/healthz"],
        "claim": [f"/claims/{i}" for i in ids[:REQUESTS]],
        "claims_by_actor": [f"/claims?actor={busiest}&limit=50"],
        "timeline_by_actor": [f"/timeline?actor={busiest}&limit=50"],
        "pair_typical": [f"/relationships/{pairs[0]}/{pairs[1]}"],
        "pair_typical_as_of": [f"/relationships/{pairs[0]}/{pairs[1]}?as_of={moment}"],
        "pair_busiest": [f"/relationships/{busiest}/{second}"],
        "pair_busiest_as_of": [f"/relationships/{busiest}/{second}?as_of={moment}"],
        "_pair_sizes": {"typical": int(pairs[2]), "busiest": int(busy[0])},
    }


LABELS = {
    "healthz": "GET /healthz (baseline)",
    "claim": "GET /claims/{id} (random claims)",
    "claims_by_actor": "GET /claims?actor=X&limit=50",
    "timeline_by_actor": "GET /timeline?actor=X&limit=50",
    "pair_typical": "GET /relationships/a/b (typical pair)",
    "pair_typical_as_of": "  same, ?as_of=mid-history",
    "pair_busiest": "GET /relationships/a/b (busiest pair)",
    "pair_busiest_as_of": "  same, ?as_of=mid-history",
}


def latencies(server: Server, paths: dict[str, Any]) -> dict[str, Latency]:
    return {name: measure(server, paths[name]) for name in LABELS}
