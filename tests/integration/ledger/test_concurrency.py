"""Optimistic concurrency: If-Match, and many writers racing for one aggregate."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest

from domain.errors import DuplicateError
from domain.values import ActorKind, ClaimKind, Stance
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput, Quote
from infra.ledger.errors import PreconditionFailedError
from tests.factories import QUOTE, actor, claim, context, source, unique
from tests.integration.support import head, log_and_version

THREADS = 12
T = TypeVar("T")


def race(work: Callable[[int], T], threads: int = THREADS) -> list[T | Exception]:
    """Run `work(i)` in `threads` threads released together; results or raised errors, in order."""
    start = threading.Barrier(threads)

    def run(i: int) -> T | Exception:
        start.wait()
        try:
            return work(i)
        except Exception as exc:  # collected so the test can say which errors it expects
            return exc

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(threads)))


def test_a_command_matching_the_current_version_succeeds(ledger: Ledger) -> None:
    recorded = claim(ledger)

    outcome = ledger.claims.add_evidence(
        context(if_match=1), recorded.id, EvidenceInput(Stance.SUPPORTS, "matches")
    )

    assert outcome.aggregate.version == 2


def test_a_command_naming_a_stale_version_fails_its_precondition_and_writes_nothing(
    ledger: Ledger,
) -> None:
    recorded = claim(ledger)
    ledger.claims.add_evidence(context(), recorded.id, EvidenceInput(Stance.SUPPORTS, "first"))
    before = log_and_version(ledger, recorded.id)

    with pytest.raises(PreconditionFailedError) as failed:
        ledger.claims.dispute(context(if_match=1), recorded.id, reason="stale")

    assert failed.value.extra["current_version"] == 2
    assert log_and_version(ledger, recorded.id) == before


def test_concurrent_evidence_is_all_kept_at_contiguous_versions(ledger: Ledger) -> None:
    recorded = claim(ledger)

    outcomes = race(
        lambda i: ledger.claims.add_evidence(
            context(), recorded.id, EvidenceInput(Stance.CONTEXT, f"note {i}")
        )
    )

    assert not [o for o in outcomes if isinstance(o, Exception)]
    final = ledger.claims.get(recorded.id)
    assert final.version == THREADS + 1
    assert sorted(o.aggregate.version for o in outcomes) == list(range(2, THREADS + 2))
    assert sorted(e.note for e in final.evidence) == sorted(f"note {i}" for i in range(THREADS))
    assert sorted(e.evidence_id for e in final.evidence) == sorted(
        o.event.evidence_id for o in outcomes
    )
    assert [e.originator_version for _, e in ledger.claims.history(recorded.id)] == list(
        range(1, THREADS + 2)
    )


def test_concurrent_retries_of_one_keyed_claim_write_it_once(ledger: Ledger) -> None:
    subject, text = actor(ledger).slug, source(ledger).id
    ctx = context(idempotency_key=unique("key"), request_hash="hash-1")
    before = head(ledger)

    outcomes = race(
        lambda _: ledger.claims.record(
            ctx,
            statement="China supports Russia",
            kind=ClaimKind.QUOTE,
            subject=subject,
            relation="supports",
            appearance=Quote(text, QUOTE),
        )
    )

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert len({o.aggregate.id for o in outcomes}) == 1
    assert len({o.position for o in outcomes}) == 1
    assert [o.replayed for o in outcomes].count(False) == 1
    assert head(ledger) == (before or 0) + 1


def test_concurrent_registrations_of_one_slug_register_it_once(ledger: Ledger) -> None:
    slug = unique("china")

    outcomes = race(
        lambda i: ledger.actors.register(
            context(),
            slug=slug,
            name=f"{slug} {i}",
            kind=ActorKind.STATE,
            aliases=[],
            external_ids={},
            affiliations=[],
        )
    )

    assert sum(not isinstance(o, Exception) for o in outcomes) == 1
    assert all(isinstance(o, DuplicateError) for o in outcomes if isinstance(o, Exception))
    assert ledger.actors.get(slug).version == 1
