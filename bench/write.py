"""The write path: POST /claims over HTTP with 1-64 concurrent clients, against raw psycopg
one-row-per-commit inserts with as many threads, and library commands against one connection."""

from __future__ import annotations

import json
import random
import time
from typing import Any
from uuid import UUID, uuid4

from bench import raw
from bench.bulk_writer import BulkWriter
from bench.common import schema
from bench.generate import Generator
from bench.http_load import load, post
from bench.server import api
from bench.tables import Results, ms, rate, ratio
from domain.values import ClaimKind, PartialDate, Role
from infra.ledger.application import Ledger, open_ledger
from infra.ledger.claim_inputs import Quote
from infra.ledger.context import Context

LEVELS = (1, 8, 32, 64)


def seeded(url: str) -> tuple[Generator, Ledger]:
    """A ledger with the generator's actors and first sources (a few thousand events)."""
    ledger = open_ledger(url)
    writer = BulkWriter(ledger, url)
    generator = Generator(ledger, writer)
    generator.run(1)
    writer.close()
    return generator, ledger


def claim_bodies(generator: Generator, count: int) -> list[dict[str, Any]]:
    """Request bodies quoting one sentence of a seeded source, with that sentence's actors."""
    rng = random.Random(11)
    bodies = []
    for i in range(count):
        source = rng.choice(generator.sources)
        sentence = rng.choice(source.sentences)
        exact = source.text[sentence.start : sentence.end]
        body: dict[str, Any] = {
            "statement": exact,
            "kind": "fact",
            "subject": generator.refs[sentence.subject].id,
            "relation": sentence.relation,
            "occurred_on": f"20{10 + i % 14}-0{1 + i % 9}",
            "appearance": {"source_id": str(source.id), "exact": exact},
            "tags": ["bench"],
        }
        if sentence.object is not None:
            body["object"] = generator.refs[sentence.object].id
        bodies.append(body)
    return bodies


def http_writes(results: Results, seconds: float = 8.0, workers: int = 2) -> dict[int | str, Any]:
    figures: dict[int | str, Any] = {}  # per client count, and "raw_single"
    with schema("w") as (name, url):
        generator, ledger = seeded(url)
        token = ledger.principals.bootstrap_admin()
        assert token is not None
        ledger.close()
        requests = [
            post("/claims", json.dumps(b).encode(), token) for b in claim_bodies(generator, 4000)
        ]
        rows = []
        with api(url, workers=workers) as server:
            loads = {clients: load(server.port, clients, seconds, requests) for clients in LEVELS}
        # The baselines run once the API is gone (its pools would hold connections).
        for clients, measured in loads.items():
            baseline = raw.insert_rate(name, clients, 3.0)
            errors = sum(n for s, n in measured.statuses.items() if not 200 <= s < 300)
            figures[clients] = {
                "rate": measured.rate,
                "p50": measured.p(50),
                "p99": measured.p(99),
                "raw": baseline,
                "errors": errors,
            }
            rows.append(
                [
                    str(clients),
                    rate(measured.rate),
                    ms(measured.p(50)),
                    ms(measured.p(99)),
                    rate(baseline),
                    ratio(measured.rate, baseline),
                    f"{measured.client_cpu / measured.seconds:.0%}",
                    str(errors),
                ]
            )
        single = raw.insert_rate(name, 1, 3.0)
    third = LEVELS[min(2, len(LEVELS) - 1)]  # 32 clients: the level the target names
    results.table(
        f"Write path: POST /claims over HTTP (uvicorn, {workers} workers, group commit) vs raw "
        "psycopg INSERT+COMMIT of a ~300-byte row, one row per commit",
        [
            "clients",
            "HTTP req/s",
            "p50",
            "p99",
            "raw rows/s (same threads)",
            "ratio",
            "load-gen CPU",
            "non-2xx",
        ],
        rows,
        f"raw single connection: {rate(single)}; ratio at {third} clients vs single-connection "
        f"raw: {ratio(figures[third]['rate'], single)}. Each level runs {seconds:.0f} s after 1 s"
        " of warm-up; the raw baseline runs 3 s with as many threads (one connection each). Every "
        "request quotes a sentence of a generated source (~1-2 kB of text, anchored by the "
        "server). Projections off in the API (a separate worker in production).",
    )
    figures["raw_single"] = single
    return figures


def record_for(url: str, seconds: float) -> tuple[int, float]:
    """(commands, seconds): `ledger.claims.record` called from one thread for `seconds` on a
    seeded ledger, each call one command in one transaction."""
    generator, ledger = seeded(url)
    bodies = claim_bodies(generator, 2000)
    ctx = Context(uuid4(), Role.CONTRIBUTOR, "bench")
    done, began = 0, time.perf_counter()
    try:
        while time.perf_counter() - began < seconds:
            b = bodies[done % len(bodies)]
            ledger.claims.record(ctx, **record_fields(b))
            done += 1
        return done, time.perf_counter() - began
    finally:
        ledger.close()


def library_commands(results: Results, seconds: float = 4.0) -> dict[str, Any]:
    """`ledger.claims.record` per call (one command, one transaction) vs raw one row/commit."""
    with schema("l") as (name, url):
        done, elapsed = record_for(url, seconds)
        baseline = raw.insert_rate(name, 1, 3.0)
    figure = done / elapsed
    results.table(
        "Library: ledger.claims.record per call (resolve actors, anchor the quote, one "
        "transaction) vs raw psycopg one row per commit",
        ["figure", "value", "baseline (raw rows/s)", "ratio"],
        [["record_claim commands/s", rate(figure), rate(baseline), ratio(figure, baseline)]],
        f"{done:,} commands in {elapsed:.1f} s from one thread.",
    )
    return {"rate": figure, "raw": baseline}


def record_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `ledger.claims.record` for a generated POST /claims body."""
    return {
        "statement": body["statement"],
        "kind": ClaimKind.FACT,
        "subject": body["subject"],
        "relation": body["relation"],
        "object": body.get("object"),
        "occurred_on": PartialDate.parse(body["occurred_on"]),
        "tags": body["tags"],
        "appearance": Quote(UUID(body["appearance"]["source_id"]), body["appearance"]["exact"]),
    }
