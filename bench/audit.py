"""Audit costs at scale, printed beside baselines from the same run (no assertions).

    python -m bench.audit [URL]

URL: a PostgreSQL ledger (`...?schema=...`, as `make bench` passes the log of its history runs);
without it a fresh schema gets BENCH_EVENTS (1,000,000) generated events, dropped at the end.
Either way the audit view is first brought up to the log's head (timed). Figures:

- `verify` (every leaf recomputed, compared, the tree rebuilt, every checkpoint checked) against
  a raw binary SELECT of the same rows with SHA-256 of each state, on one connection;
- inclusion and consistency proofs over HTTP (one keep-alive connection, sequential, random
  leaves, each proof checked against the signed checkpoint) against GET /healthz.

Writes bench/results-audit.md.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import psycopg
from psycopg import sql

from bench.common import console, drop_schema, new_schema, percentile
from bench.generate import generate
from bench.http_load import Http
from bench.raw import scan
from bench.server import api
from bench.tables import Results, ms, rate, ratio
from infra.integrity import merkle
from infra.integrity.keys import load_signer
from infra.integrity.merkle import verify_consistency, verify_inclusion
from infra.integrity.verify import verify_ledger
from infra.ledger.application import open_ledger
from infra.projections.audit_view import AuditView, StoredTree
from infra.projections.projector import Projector
from infra.projections.store import ViewStore
from infra.store.database import libpq_url

REQUESTS, WARMUP = 500, 50


def project_audit(url: str) -> tuple[int, float]:
    ledger = open_ledger(url)
    projector = Projector(ledger, [AuditView()], batch_size=1000)
    projector.setup()
    began = time.perf_counter()
    count = projector.catch_up()
    seconds = time.perf_counter() - began
    ledger.close()
    return count, seconds


def raw_hash(url: str, table: str) -> tuple[int, float]:
    """Baseline: every event read in binary (one connection, keyset pages) and its state hashed."""
    return scan(url, table, lambda state: hashlib.sha256(state).digest(), binary=True, batch=10_000)


def verify(url: str) -> tuple[int, float, bool]:
    ledger = open_ledger(url)
    key = load_signer(create=False).public_key
    began = time.perf_counter()
    report = verify_ledger(ledger, key)
    seconds = time.perf_counter() - began
    ledger.close()
    return report.events, seconds, report.ok


def proofs(url: str) -> dict[str, Any]:
    with api(url) as server:
        client = Http(server.port)
        status, body = client.get("/audit/checkpoint")
        assert status == 200, body
        checkpoint = orjson.loads(body)
        size, root = checkpoint["tree_size"], bytes.fromhex(checkpoint["root_hash"])
        rng = random.Random(9)
        with psycopg.connect(libpq_url(url)) as conn:
            schema = url.rsplit("schema=", 1)[-1]
            positions = [
                r[0]
                for r in conn.execute(
                    sql.SQL("SELECT position FROM {} WHERE leaf_index < %s").format(
                        sql.Identifier(schema, "rm_audit_leaves")
                    ),
                    (size,),
                ).fetchall()
            ]
        sample = rng.sample(positions, REQUESTS + WARMUP)
        paths = {
            "healthz": ["/healthz"] * len(sample),
            "inclusion": [f"/audit/proofs/inclusion?position={p}&tree_size={size}" for p in sample],
            "consistency": [
                f"/audit/proofs/consistency?first={rng.randrange(1, size)}&second={size}"
                for _ in sample
            ],
            "checkpoint": ["/audit/checkpoint"] * len(sample),
        }
        figures: dict[str, Any] = {"tree_size": size}
        for name, requests in paths.items():
            for path in requests[:WARMUP]:
                client.get(path)
            times = []
            for path in requests[WARMUP:]:
                elapsed, status = client.timed_get(path)
                assert status == 200, (path, status)
                times.append(elapsed * 1000)
            figures[name] = (percentile(times, 50), percentile(times, 99))
        figures["checked"] = _check(url, client, paths, size, root)
        client.close()
    return figures


def _check(url: str, client: Http, paths: dict[str, list[str]], size: int, root: bytes) -> int:
    """Every sampled proof (outside the timing) checked against the signed root; consistency
    proofs against the root of their first tree, computed from the stored subtrees."""
    ledger = open_ledger(url)
    store = ViewStore(ledger.recorder)
    checked = 0
    for path in paths["inclusion"][:200]:
        proof = orjson.loads(client.get(path)[1])
        hashes = [bytes.fromhex(h) for h in proof["path"]]
        leaf = bytes.fromhex(proof["leaf_hash"])
        assert verify_inclusion(leaf, proof["leaf_index"], size, hashes, root), path
        checked += 1
    for path in paths["consistency"][:200]:
        proof = orjson.loads(client.get(path)[1])
        with store.transaction(commit=False) as cursor:
            first_root = merkle.root(StoredTree(cursor), proof["first"])
        hashes = [bytes.fromhex(h) for h in proof["path"]]
        assert verify_consistency(proof["first"], size, first_root, root, hashes), path
        checked += 1
    ledger.close()
    return checked


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else None
    events = int(os.environ.get("BENCH_EVENTS", "1000000"))
    began = time.perf_counter()
    made = None
    results = Results()
    try:
        if url is None:
            made, url = new_schema("audit")
            console.print(f"generating {events:,} events into {made}")
            generate(url, events, quiet=True)
        count, seconds = project_audit(url)  # from wherever the audit view is
        console.print(f"audit view: {count:,} events in {seconds:.1f} s")
        projected = (count, seconds) if count else None
        table = open_ledger(url).recorder.events_table_name  # type: ignore[attr-defined]
        raw_events, raw_seconds = raw_hash(url, table)
        verified, verify_seconds, ok = verify(url)
        console.print(f"verify: {verified:,} events in {verify_seconds:.1f} s, ok={ok}")
        figures = proofs(url)
    finally:
        if made is not None:
            drop_schema(made)
    verify_rate, raw_rate = verified / verify_seconds, raw_events / raw_seconds
    rows = [
        [
            "`verify`: recompute every leaf, compare, rebuild the tree, check every checkpoint",
            f"{verified:,}",
            rate(verify_rate),
            f"raw binary SELECT + SHA-256 of each state: {rate(raw_rate)}",
            ratio(verify_rate, raw_rate),
            ">= 100,000/s: " + ("met" if verify_rate >= 100_000 else "**missed**"),
        ],
    ]
    if projected:
        rows.append(
            [
                "audit view catch-up (leaves, nodes, a signed checkpoint per batch of 1,000)",
                f"{projected[0]:,}",
                rate(projected[0] / projected[1]),
                f"raw binary SELECT + SHA-256: {rate(raw_rate)}",
                ratio(projected[0] / projected[1], raw_rate),
                "-",
            ]
        )
    results.table(
        f"Audit at {verified:,} events (PostgreSQL)",
        ["figure", "events", "value", "baseline (same run)", "ratio", "target"],
        rows,
        (ok and "every leaf, subtree hash and checkpoint checked out") or "VERIFY FOUND PROBLEMS",
    )
    base = figures["healthz"][1]
    results.table(
        f"Proofs over HTTP at a tree of {figures['tree_size']:,} leaves ({REQUESTS} sequential"
        f" requests after {WARMUP} of warm-up, random leaves, one keep-alive connection)",
        ["request", "p50", "p99", "p99/healthz", "target"],
        [
            [label, ms(figures[name][0]), ms(figures[name][1]), ratio(figures[name][1], base), goal]
            for name, label, goal in (
                ("healthz", "GET /healthz (baseline)", "-"),
                (
                    "inclusion",
                    "GET /audit/proofs/inclusion",
                    "p99 <= 10 ms: " + ("met" if figures["inclusion"][1] <= 10 else "**missed**"),
                ),
                ("consistency", "GET /audit/proofs/consistency (random first)", "-"),
                ("checkpoint", "GET /audit/checkpoint", "-"),
            )
        ],
        f"{figures['checked']} of the proofs fetched again and checked against the signed root.",
    )
    minutes = (time.perf_counter() - began) / 60
    header = (
        f"# claimtrail audit bench\n\n`python -m bench.audit` run of"
        f" {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs, {minutes:.1f} min.\n\n"
    )
    text = header + results.markdown()
    (Path(__file__).parent / "results-audit.md").write_text(text)
    console.print(text)


if __name__ == "__main__":
    main()
