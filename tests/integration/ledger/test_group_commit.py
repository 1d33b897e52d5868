"""Group commit: attempts run in the callers' threads (or on an event loop), only the saves are
coalesced by the writer thread; conflicts are re-run from a fresh load, nothing is lost."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from domain.values import ClaimKind, Stance
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput, Quote
from infra.ledger.group_commit import GroupCommitter
from tests.factories import QUOTE, actor, claim, context, source
from tests.integration.ledger.test_concurrency import THREADS, race


@pytest.fixture
def grouped(ledger: Ledger) -> Iterator[GroupCommitter]:
    committer = ledger.group_commits()
    yield committer
    ledger.stop_group_commits()


@pytest.fixture
def gate(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Closed: the writer's first save waits until it opens (so the others queue up)."""
    opened = threading.Event()
    save = ledger.save_pending

    def gated(pendings: list[Any]) -> Any:
        opened.wait(timeout=10)
        return save(pendings)

    monkeypatch.setattr(ledger, "save_pending", gated)
    return opened


def open_when_queued(grouped: GroupCommitter, gate: threading.Event, count: int) -> None:
    """Open the gate once `count` jobs wait in the writer's queue (the writer holds one or two
    more: those queued before it woke)."""

    def watch() -> None:
        deadline = time.monotonic() + 10
        while grouped.queue.qsize() < count and time.monotonic() < deadline:
            time.sleep(0.005)
        gate.set()

    threading.Thread(target=watch, daemon=True).start()


def test_concurrent_evidence_on_one_claim_is_all_saved_once_at_contiguous_versions(
    ledger: Ledger, grouped: GroupCommitter, gate: threading.Event
) -> None:
    gate.set()
    recorded = claim(ledger)
    gate.clear()  # from here the attempts load version 1 and their pendings queue up
    open_when_queued(grouped, gate, THREADS - 2)

    outcomes = race(
        lambda i: ledger.claims.add_evidence(
            context(), recorded.id, EvidenceInput(Stance.CONTEXT, f"note {i}")
        )
    )

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.aggregate.version for o in outcomes) == list(range(2, THREADS + 2))
    final = ledger.claims.get(recorded.id)
    assert sorted(e.note for e in final.evidence) == sorted(f"note {i}" for i in range(THREADS))
    positions = ledger.claims.positions(recorded.id)
    assert sorted(o.position for o in outcomes) == [positions[v] for v in range(2, THREADS + 2)]
    # The queued pendings were made from version 1: all but the first saved were stale and
    # ran again on the writer, from a fresh load.
    assert grouped.rerun >= THREADS - 3


def test_concurrent_new_claims_share_transactions(
    ledger: Ledger, grouped: GroupCommitter, gate: threading.Event
) -> None:
    gate.set()
    subject, text = actor(ledger).slug, source(ledger).id
    gate.clear()
    before = grouped.batches
    open_when_queued(grouped, gate, THREADS - 2)

    async def record_all() -> list[object]:
        plans = [
            ledger.claim_plans.record(
                context(),
                statement=f"claim {i}",
                kind=ClaimKind.FACT,
                subject=subject,
                relation="supports",
                appearance=Quote(text, QUOTE),
            )
            for i in range(THREADS)
        ]
        return list(await asyncio.gather(*(ledger.run_async(p) for p in plans)))

    outcomes = asyncio.run(record_all())

    assert len({o.aggregate.id for o in outcomes}) == THREADS  # type: ignore[attr-defined]
    positions = sorted(o.position for o in outcomes)  # type: ignore[attr-defined]
    assert len(set(positions)) == THREADS
    for outcome in outcomes:
        stored = ledger.claims.get(outcome.aggregate.id)  # type: ignore[attr-defined]
        assert stored.statement == outcome.aggregate.statement  # type: ignore[attr-defined]
    assert grouped.batches - before <= 3  # the first one or two, then the rest together


def test_a_keyed_claim_sent_concurrently_through_the_event_loop_is_written_once(
    ledger: Ledger, grouped: GroupCommitter
) -> None:
    subject, text = actor(ledger).slug, source(ledger).id
    ctx = context(idempotency_key="same-key", request_hash="h")

    async def send_all() -> list[object]:
        plans = [
            ledger.claim_plans.record(
                ctx,
                statement="once",
                kind=ClaimKind.FACT,
                subject=subject,
                relation="supports",
                appearance=Quote(text, QUOTE),
            )
            for _ in range(THREADS)
        ]
        return list(await asyncio.gather(*(ledger.run_async(p) for p in plans)))

    outcomes = asyncio.run(send_all())

    assert len({o.aggregate.id for o in outcomes}) == 1  # type: ignore[attr-defined]
    assert len({o.position for o in outcomes}) == 1  # type: ignore[attr-defined]
    assert [o.replayed for o in outcomes].count(False) == 1  # type: ignore[attr-defined]
