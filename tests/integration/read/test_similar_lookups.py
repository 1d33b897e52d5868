"""Similar-claims questions answered together (the lookups of the answers to writes) get the
answers each gets alone, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from domain.similarity import Similar
from infra.ledger.application import Ledger
from infra.projections import similar_query
from infra.projections.read_model import ReadModel
from infra.projections.similar_lookups import SimilarLookups
from infra.projections.similar_query import Ask
from infra.projections.similar_view import shape
from infra.seeding import load_seed

SEED = Path(__file__).parents[3] / "seeds" / "xi-putin-summit-2022.yaml"
# (threshold, limit): the seed's claims have neighbours at a low threshold, few at 0.7.
QUESTIONS = [(0.05, 50), (0.3, 3), (0.7, 10)]


def _asks(ledger: Ledger, read_model: ReadModel) -> list[Ask]:
    report = load_seed(ledger, SEED)
    read_model.projector.catch_up()
    claims = [ledger.claims.get(claim_id) for claim_id in report.claim_ids.values()]
    return [Ask(shape(c), str(c.id), t, n) for c in claims for t, n in QUESTIONS]


@pytest.mark.parametrize("cap", [3, similar_query.CAP])
def test_questions_read_together_get_the_answers_of_each_alone(
    ledger: Ledger, read_model: ReadModel, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    """With a cap of 3 postings per feature, the seed's actors and relations are common
    features (counted, read only in part or not at all): both ways through the query."""
    monkeypatch.setattr(similar_query, "CAP", cap)
    asks = _asks(ledger, read_model)
    alone = [read_model.similar(a.claim, a.exclude, a.threshold, a.limit) for a in asks]

    together = read_model.similar_many(asks)

    assert together == alone
    assert sum(len(found) for found in alone) > len(asks)  # not a comparison of empty lists


def test_the_lookups_thread_answers_queued_questions_in_one_batch(
    ledger: Ledger, read_model: ReadModel
) -> None:
    asks = _asks(ledger, read_model)
    alone = [read_model.similar(a.claim, a.exclude, a.threshold, a.limit) for a in asks]
    lookups = SimilarLookups(read_model)

    async def ask_all() -> list[list[Similar]]:
        tasks = [
            asyncio.ensure_future(lookups.find(a.claim, a.exclude, a.threshold, a.limit))
            for a in asks
        ]
        await asyncio.sleep(0)  # every question is queued before the thread starts
        lookups.start()
        return list(await asyncio.gather(*tasks))

    try:
        answers = asyncio.run(ask_all())
    finally:
        lookups.stop()

    assert answers == alone
    assert lookups.asked == len(asks)
    postgres = read_model.store.postgres
    assert lookups.batches == (-(-len(asks) // lookups.max_batch) if postgres else len(asks))


def test_a_failed_lookup_fails_every_question_of_its_batch(
    ledger: Ledger, read_model: ReadModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    asks = _asks(ledger, read_model)[:3]

    def broken(_: list[Ask]) -> list[list[Similar]]:
        raise RuntimeError("views unreadable")

    monkeypatch.setattr(read_model, "similar_many", broken)
    lookups = SimilarLookups(read_model).start()

    async def ask_all() -> list[BaseException | list[Similar]]:
        found = [lookups.find(a.claim, a.exclude, a.threshold, a.limit) for a in asks]
        return list(await asyncio.gather(*found, return_exceptions=True))

    try:
        answers = asyncio.run(ask_all())
    finally:
        lookups.stop()

    assert [str(a) for a in answers] == ["views unreadable"] * 3
    assert not lookups.thread.is_alive()


def test_a_question_asked_after_stop_is_answered_alone(
    ledger: Ledger, read_model: ReadModel
) -> None:
    """No request waits on a thread that is gone (the app shutting down while serving)."""
    asks = _asks(ledger, read_model)[:3]
    alone = [read_model.similar(a.claim, a.exclude, a.threshold, a.limit) for a in asks]
    lookups = SimilarLookups(read_model).start()
    lookups.stop()

    async def ask_all() -> list[list[Similar]]:
        found = [lookups.find(a.claim, a.exclude, a.threshold, a.limit) for a in asks]
        return list(await asyncio.wait_for(asyncio.gather(*found), 10))

    assert asyncio.run(ask_all()) == alone
    assert lookups.batches == 0
