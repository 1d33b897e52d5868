"""The writer's save, alone: batches of pending claims saved as the group committer saves them
(`ledger.save_pending`), with the library's PostgreSQL insert and with the ledger's one-round-trip
insert (infra/store/recorder.py), alternately in the same process and minutes.

Per batch: wall time of the save and of the insert, and this process's CPU (the server's CPU,
not PostgreSQL's). Round trips are not counted here; `strace -f -e trace=sendto,recvfrom` around
a run shows them (5 per batch for the library's insert, 1 for the ledger's).
`python -m bench.save_batches`.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder

from bench.common import schema
from bench.tables import Results, ms
from bench.write import claim_bodies, record_fields, seeded
from domain.values import Role
from infra.ledger.application import Ledger
from infra.ledger.context import Context, Pending

BATCH = 10
ROUNDS = 4  # library, ledger, library, ledger ...
BATCHES = 40  # per round


def _pendings(ledger: Ledger, bodies: Sequence[dict[str, Any]]) -> list[Pending[Any]]:
    ctx = Context(uuid4(), Role.CONTRIBUTOR, "bench")
    pendings = []
    for b in bodies:
        result = ledger.claim_plans.record(ctx, **record_fields(b)).attempt()
        assert isinstance(result, Pending)
        result.collect()
        pendings.append(result)
    return pendings


def _round(
    ledger: Ledger, insert: Callable[..., Any], batches: list[list[Pending[Any]]]
) -> dict[str, float]:
    recorder: Any = ledger.recorder
    inserting: list[float] = []

    def timed(events: Sequence[StoredEvent], **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return insert(events, **kwargs)
        finally:
            inserting.append(time.perf_counter() - began)

    recorder.insert_events = timed
    saving: list[float] = []
    cpu = time.process_time()
    for batch in batches:
        began = time.perf_counter()
        ledger.save_pending(batch)
        saving.append(time.perf_counter() - began)
    cpu = time.process_time() - cpu
    del recorder.insert_events
    return {
        "save": statistics.median(saving) * 1e3,
        "insert": statistics.median(inserting) * 1e3,
        "cpu": cpu / len(batches) * 1e3,
    }


def main(results: Results | None = None) -> dict[str, Any]:
    results = results or Results()
    figures: dict[str, list[dict[str, float]]] = {"library": [], "ledger": []}
    with schema("sb") as (_, url):
        generator, ledger = seeded(url)
        try:
            recorder = ledger.recorder
            library = PostgresApplicationRecorder.insert_events.__get__(recorder)
            ours = recorder.insert_events
            bodies = claim_bodies(generator, BATCH * BATCHES * ROUNDS + BATCH)
            ledger.save_pending(_pendings(ledger, bodies[:BATCH]))  # warm the memos
            for r in range(ROUNDS):
                start = BATCH + r * BATCH * BATCHES
                batches = [
                    _pendings(ledger, bodies[start + i * BATCH : start + (i + 1) * BATCH])
                    for i in range(BATCHES)
                ]
                name = "library" if r % 2 == 0 else "ledger"
                insert = library if name == "library" else ours
                figures[name].append(_round(ledger, insert, batches))
        finally:
            ledger.close()
    rows = []
    labels = {"library": "library's insert (5 round trips)", "ledger": "one-round-trip insert"}
    for name, label in labels.items():
        rounds = figures[name]
        rows.append(
            [
                label,
                " / ".join(ms(r["save"]) for r in rounds),
                " / ".join(ms(r["insert"]) for r in rounds),
                " / ".join(ms(r["cpu"]) for r in rounds),
            ]
        )
    results.table(
        f"The writer's save: batches of {BATCH} new claims (`save_pending`), the two inserts "
        "alternating in one process",
        ["insert", "save p50", "insert p50", "process CPU per batch"],
        rows,
        f"{BATCHES} batches per round, rounds alternating library / ledger. The CPU is this "
        "process's (encode, psycopg), not PostgreSQL's.",
    )
    return figures


if __name__ == "__main__":
    print(json.dumps(main()))
