"""Audit verification costs, printed (no assertions): leaf recomputation against plain SHA-256 of
the same bytes, and an in-memory RFC 9162 tree of a million leaves (build, root, proofs).

    .venv/bin/python -m bench.verify_bench [--events 200000] [--leaves 1000000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable
from typing import Any, NamedTuple

from infra.integrity.leaves import record_leaf
from infra.integrity.merkle import (
    MerkleTree,
    leaf_hash,
    verify_consistency,
    verify_inclusion,
)


class Record(NamedTuple):
    """The fields of an eventsourcing notification that a leaf covers."""

    id: int
    originator_id: uuid.UUID
    originator_version: int
    topic: str
    state: bytes


def synthetic(n: int) -> list[Record]:
    """Records shaped like stored `Claim.Recorded` states (~900 bytes of compact JSON)."""
    rng = random.Random(7)
    records = []
    for i in range(1, n + 1):
        state = {
            "timestamp": {"_type_": "datetime_iso", "_data_": "2026-11-28T10:00:00.123456+00:00"},
            "originator_topic": "domain.claims:Claim",
            "meta": {
                "_type_": "meta",
                "_data_": {
                    "principal_id": {"_type_": "uuid_hex", "_data_": uuid.UUID(int=i).hex},
                    "request_id": f"req-{i:010d}",
                    "idempotency_key": None,
                    "request_hash": None,
                },
            },
            "statement": f"China supports Russia ({i}) \u2013 Beijing (\u5317\u4eac)",
            "kind": {"_type_": "claim_kind", "_data_": "quote"},
            "subject": {"_type_": "actor_ref", "_data_": {"id": "china", "name": "China"}},
            "relation": {"_type_": "relation", "_data_": "supports"},
            "object": {"_type_": "actor_ref", "_data_": {"id": "russia", "name": "Russia"}},
            "about": [],
            "claimant": None,
            "occurred_on": "2022-02-04",
            "quantities": [{"amount": str(rng.randint(1, 10**12)), "unit": "USD"}],
            "tags": [],
            "appearance": {
                "source_id": uuid.UUID(int=i * 7).hex,
                "exact": "Beijing supports Russia's demands",
                "start": rng.randint(0, 5000),
                "end": 6000,
                "text_sha256": hashlib.sha256(str(i).encode()).hexdigest(),
            },
            "negated": False,
        }
        encoded = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode()
        records.append(Record(i, uuid.UUID(int=i * 13), 1, "domain.claims:Claim.Recorded", encoded))
    return records


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def per_call(work: Callable[[int], Any], count: int) -> float:
    """Mean microseconds per call over `count` calls."""
    began = time.perf_counter()
    for i in range(count):
        work(i)
    return (time.perf_counter() - began) / count * 1e6


def bench_recompute(n: int) -> None:
    records = synthetic(n)
    size = sum(len(r.state) for r in records) / n
    plain, _ = timed(lambda: [hashlib.sha256(r.state).digest() for r in records])
    leaves_only, leaves = timed(lambda: [record_leaf(r) for r in records])
    stored = [leaf.hex() for leaf in leaves]

    def verify() -> MerkleTree:
        tree = MerkleTree()
        for record, expected in zip(records, stored, strict=True):
            leaf = record_leaf(record)
            if leaf.hex() != expected:
                raise AssertionError(record.id)
            tree.append(leaf)
        return tree

    full, _ = timed(verify)
    print(f"recompute, {n:,} synthetic events (state ~{size:.0f} B):")
    print(f"  baseline sha256(state bytes)       {n / plain:>12,.0f} events/s")
    print(
        f"  leaf: parse + canonical JSON + H   {n / leaves_only:>12,.0f} events/s"
        f"  ({leaves_only / plain:.1f}x the baseline)"
    )
    print(
        f"  verify: leaf + compare + tree      {n / full:>12,.0f} events/s"
        f"  ({full / plain:.1f}x the baseline)"
    )


def bench_tree(n: int) -> None:
    leaves = [leaf_hash(i.to_bytes(8, "big")) for i in range(n)]
    build, tree = timed(lambda: MerkleTree(leaves))
    root_time, root = timed(tree.root)
    rng = random.Random(11)
    indices = [rng.randrange(n) for _ in range(2000)]
    proofs = [tree.inclusion_proof(i) for i in indices]
    inclusion = per_call(lambda k: tree.inclusion_proof(indices[k]), len(indices))
    check = per_call(
        lambda k: verify_inclusion(leaves[indices[k]], indices[k], n, proofs[k], root), len(indices)
    )
    firsts = [rng.randrange(1, n) for _ in range(500)]
    consistency = per_call(lambda k: tree.consistency_proof(firsts[k]), len(firsts))
    first = n * 3 // 5
    proof = tree.consistency_proof(first)
    check_consistency = per_call(
        lambda k: verify_consistency(first, n, tree.root(first), root, proof), 200
    )
    print(f"in-memory tree, {n:,} leaves:")
    print(f"  build (append every leaf)          {build:>12.2f} s ({n / build:,.0f} leaves/s)")
    print(f"  root                               {root_time * 1e6:>12.1f} us")
    print(
        f"  inclusion proof                    {inclusion:>12.1f} us"
        f"  ({len(proofs[0])} hashes, {32 * len(proofs[0])} B)"
    )
    print(f"  inclusion verify                   {check:>12.1f} us")
    print(
        f"  consistency proof                  {consistency:>12.1f} us"
        f"  ({len(proof)} hashes from {first:,})"
    )
    print(f"  consistency verify (+ root(first)) {check_consistency:>12.1f} us")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    args = parser.parse_args()
    bench_recompute(args.events)
    bench_tree(args.leaves)


if __name__ == "__main__":
    main()
