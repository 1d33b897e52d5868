"""Similar claims at scale: GET /claims/{id}/similar p50/p99 and what `similar` adds to a write,
beside GET /healthz and POST /claims of the same run.

    python -m bench.similar   # BENCH_SIMILAR_EVENTS (100,000), BENCH_SIMILAR_CLAIMS (1,000,000)

1. The generator writes a realistic history (BENCH_SIMILAR_EVENTS events); the similar view
   and, as its baseline, the claims view are each caught up alone from position 0.
2. Measured over HTTP (projections off): /similar of claims sampled from the history,
   /healthz, and sequential POST /claims, whose answers carry `similar`; and in process, the
   similar lookup a write adds (ReadModel.similar), for the same kind of claims.
3. The index is grown to BENCH_SIMILAR_CLAIMS claims directly: statements written as the
   generator writes them, their features computed by the domain's own `features()` (two
   processes), rows and postings written with COPY, then VACUUM ANALYZE (as autovacuum would).
   Those claims exist only in the index (no events), so the claims queried are the history's;
   step 2 is measured again.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from bench.bulk_writer import BulkWriter
from bench.common import console, percentile, run_json, schema
from bench.generate import Generator
from bench.read import measure
from bench.server import Server, api
from bench.tables import Results, ms, ratio
from bench.vocabulary import TOPICS
from bench.write import claim_bodies
from domain.similarity import ClaimShape, NameMatcher, features
from domain.similarity.scoring import THRESHOLD, indexed
from infra.ledger.application import open_ledger
from infra.projections.read_model import ReadModel
from infra.store.database import libpq_url

REQUESTS, WRITES, LOOKUPS = 500, 300, 300
SYNTHETIC_SEQ = 10**9  # seqs of the claims added directly, above every log position


def _similar_paths(url: str) -> list[str]:
    schema_name = url.rsplit("schema=", 1)[-1]
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            sql.SQL("SELECT id FROM {} WHERE seq < %s ORDER BY seq").format(
                sql.Identifier(schema_name, "rm_similar_claims")
            ),
            (SYNTHETIC_SEQ,),
        ).fetchall()
    ids = [r[0] for r in rows]
    random.Random(3).shuffle(ids)
    return [f"/claims/{i}/similar" for i in ids[:REQUESTS]]


def _writes(server: Server, token: str, bodies: list[dict[str, Any]]) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    times = []
    try:
        for body in bodies:
            began = time.perf_counter()
            conn.request("POST", "/claims", json.dumps(body), headers)
            response = conn.getresponse()
            answer = json.loads(response.read())
            times.append((time.perf_counter() - began) * 1000)
            assert response.status == 201 and answer["similar"] is not None, answer
    finally:
        conn.close()
    return times


def _lookups(url: str, bodies: list[dict[str, Any]]) -> list[float]:
    """What `similar` adds to a write: ReadModel.similar of the claim being written."""
    ledger = open_ledger(url)
    try:
        views, times = ReadModel(ledger), []
        for body in bodies:
            shape = ClaimShape(
                body["statement"], body["subject"], body["relation"], body.get("object")
            )
            began = time.perf_counter()
            views.similar(shape, None, THRESHOLD, 10)
            times.append((time.perf_counter() - began) * 1000)
        return times
    finally:
        ledger.close()


def measure_all(url: str, token: str, generator: Generator, round_: int) -> dict[str, Any]:
    bodies = claim_bodies(generator, WRITES + LOOKUPS + round_ * 7)[round_ * 7 :]
    with api(url) as server:
        similar = measure(server, _similar_paths(url), REQUESTS)
        healthz = measure(server, ["/healthz"], REQUESTS)
        writes = _writes(server, token, bodies[:WRITES])
    lookups = _lookups(url, bodies[WRITES:])
    return {"similar": similar, "healthz": healthz, "writes": writes, "lookups": lookups}


def _statement(rng: random.Random, generator: Generator, number: int) -> ClaimShape:
    subject = generator.world.pick_actor()
    obj = generator.world.pick_actor()
    relation = rng.choice(generator.world.slugs)
    text = (
        f"{generator.refs[subject].name} {relation.replace('_', ' ')} "
        f"{generator.refs[obj].name} over {rng.choice(TOPICS)}, item {number}.{rng.randrange(20)}."
    )
    return ClaimShape(text, generator.refs[subject].id, relation, generator.refs[obj].id)


def _features(names: list[tuple[str, str]], shapes: list[ClaimShape]) -> list[str]:
    matcher = NameMatcher(names)
    return [" ".join(sorted(features(shape, matcher))) for shape in shapes]


def grow(url: str, generator: Generator, claims: int) -> tuple[int, float]:
    """Add claims to the index until it holds `claims`: (claims added, seconds)."""
    schema_name = url.rsplit("schema=", 1)[-1]
    table = sql.Identifier(schema_name, "rm_similar_claims")
    postings = sql.Identifier(schema_name, "rm_similar_postings")
    names = [(r.name, r.id) for r in generator.refs]
    began = time.perf_counter()
    with psycopg.connect(libpq_url(url)) as conn:
        have = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(table)).fetchone()
        missing = claims - (have[0] if have else 0)
        rng, added, chunk = random.Random(13), 0, 50_000
        with ProcessPoolExecutor(2) as pool:
            while added < missing:
                count = min(chunk, missing - added)
                shapes = [_statement(rng, generator, (added + i) // 20) for i in range(count)]
                halves = [shapes[: count // 2], shapes[count // 2 :]]
                found = [f for part in pool.map(_features, [names] * 2, halves) for f in part]
                with conn.transaction(), conn.cursor() as cursor:
                    seqs = range(SYNTHETIC_SEQ + added, SYNTHETIC_SEQ + added + count)
                    with cursor.copy(
                        sql.SQL("COPY {} (seq, id, features) FROM STDIN").format(table)
                    ) as copy:
                        for seq, feats in zip(seqs, found, strict=True):
                            copy.write_row((seq, str(UUID(int=seq)), feats))
                    with cursor.copy(
                        sql.SQL("COPY {} (feature, seq) FROM STDIN").format(postings)
                    ) as copy:
                        for seq, feats in zip(seqs, found, strict=True):
                            for feature in indexed(feats.split()):
                                copy.write_row((feature, seq))
                added += count
                console.print(f"[dim]index: {added:,} of {missing:,} claims added[/dim]")
    vacuum(url)
    return missing, time.perf_counter() - began


def vacuum(url: str) -> None:
    """What autovacuum does to a live table: rows written by COPY have no visibility map yet,
    so index-only scans would visit the heap for each of them."""
    schema_name = url.rsplit("schema=", 1)[-1]
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        for table in ("rm_similar_claims", "rm_similar_postings", "rm_similar_names"):
            conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(schema_name, table)))


def main() -> None:
    # The library closes a connection idle in a transaction for 5 s; on a machine shared at a
    # load of 15 on 2 cores, decoding one batch took longer than that.
    os.environ.setdefault("POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT", "120")
    events = int(os.environ.get("BENCH_SIMILAR_EVENTS", "100000"))
    claims = int(os.environ.get("BENCH_SIMILAR_CLAIMS", "1000000"))
    results = Results()
    with schema("sim") as (_, url):
        ledger = open_ledger(url)
        writer = BulkWriter(ledger, url)
        generator = Generator(ledger, writer)
        generated = generator.run(events)
        writer.close()
        token = ledger.principals.bootstrap_admin()
        ledger.close()
        assert token is not None
        console.print(f"generated {generated.events:,} events ({generated.claims:,} claims)")
        # Batches of 200: on a loaded machine a batch of 1,000 can outlast the server's
        # idle-in-transaction timeout.
        similar_view = run_json(
            ["-m", "bench.project", url, "--views", "actors,similar", "--batch", "200"]
        )
        claims_view = run_json(
            ["-m", "bench.project", url, "--views", "claims", "--prefix", "cv_", "--batch", "200"]
        )
        vacuum(url)
        small = measure_all(url, token, generator, 0)
        added, seconds = grow(url, generator, claims)
        big = measure_all(url, token, generator, 1)
    report(results, events, claims, similar_view, claims_view, small, big, added, seconds)


def report(
    results: Results,
    events: int,
    claims: int,
    similar_view: dict[str, Any],
    claims_view: dict[str, Any],
    small: dict[str, Any],
    big: dict[str, Any],
    added: int,
    seconds: float,
) -> None:
    rows = []
    for label, at in (
        (f"history of {events:,} events", small),
        (f"index of {claims:,} claims", big),
    ):
        writes, lookups = at["writes"], at["lookups"]
        rows += [
            [f"GET /claims/{{id}}/similar ({label})", ms(at["similar"].p50), ms(at["similar"].p99),
             f"/healthz p99 {ms(at['healthz'].p99)}", ratio(at["similar"].p99, at["healthz"].p99)],
            [f"POST /claims, 1 client, answer with `similar` ({label})", ms(percentile(writes, 50)),
             ms(percentile(writes, 99)), "", ""],
            [f"similar lookup a write adds, in process ({label})", ms(percentile(lookups, 50)),
             ms(percentile(lookups, 99)), f"POST /claims p50 {ms(percentile(writes, 50))}",
             ratio(percentile(lookups, 50), percentile(writes, 50))],
        ]  # fmt: skip
    results.table(
        "Similar claims: reads and the cost added to writes",
        ["figure", "p50", "p99", "baseline (same run)", "ratio"],
        rows,
        f"{added:,} claims added to the index directly in {seconds:.0f} s (features by the "
        "domain code, COPY). Catch-up from position 0, one process: the similar view (with the "
        f"actors view) {similar_view['rate']:,.0f} events/s, the claims view alone "
        f"{claims_view['rate']:,.0f} events/s.",
    )
    path = os.path.join(os.path.dirname(__file__), "results-similar.md")
    with open(path, "w", encoding="utf-8") as out:
        out.write("# Similar claims bench\n\n" + results.markdown())


if __name__ == "__main__":
    main()
