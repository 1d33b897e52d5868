"""The read model: read-your-writes waits, and relationships as of any time equal a rebuild."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest

from domain.values import Role
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger
from infra.projections.claims_view import ClaimFilter
from infra.projections.projector import Projector
from infra.projections.read_model import PositionBeyondHeadError, ReadModel, ViewsBehindError
from infra.projections.rebuild import rebuild
from infra.projections.relationships_view import RelationshipsView, edge_rows
from infra.projections.timeline_view import TimelineView
from tests import factories


def test_wait_returns_once_the_views_have_processed_the_position(
    ledger: Ledger, read_model: ReadModel
) -> None:
    claim = factories.claim(ledger)
    head = read_model.head()
    read_model.projector.catch_up()

    read_model.wait(head, timeout=0.05)

    items, next_key = read_model.claims(ClaimFilter({}), 0, 10)
    assert ([c["id"] for c in items], next_key) == ([str(claim.id)], None)


def test_wait_gives_up_with_views_behind_after_the_timeout(
    ledger: Ledger, read_model: ReadModel
) -> None:
    factories.claim(ledger)
    head = read_model.head()

    with pytest.raises(ViewsBehindError) as behind:
        read_model.wait(head, timeout=0.05)

    assert (behind.value.position, behind.value.reached) == (head, 0)


def test_wait_without_a_position_returns_at_once(ledger: Ledger, read_model: ReadModel) -> None:
    factories.claim(ledger)

    read_model.wait(None, timeout=0)

    assert read_model.position() == 0 < read_model.head()


def test_a_wait_for_some_views_returns_once_they_have_the_position_while_others_lag(
    ledger: Ledger, read_model: ReadModel
) -> None:
    factories.claim(ledger)
    head = read_model.head()
    Projector(ledger, [TimelineView()], read_model.store).catch_up()  # the others stay at 0

    read_model.wait(head, timeout=0.05, views=["timeline"])

    with pytest.raises(ViewsBehindError) as behind:
        read_model.wait(head, timeout=0.05, views=["timeline", "claims", "people"])
    assert (behind.value.position, behind.value.reached) == (head, 0)
    assert (behind.value.behind, behind.value.stopped) == (["claims", "people"], [])
    assert str(behind.value) == f"views are not yet at {head}: claims at 0, people at 0"
    assert read_model.position(["timeline"]) == head > read_model.position() == 0


def test_a_wait_for_some_views_refuses_a_position_beyond_the_head_at_once(
    ledger: Ledger, read_model: ReadModel
) -> None:
    factories.claim(ledger)
    head = read_model.head()

    with pytest.raises(PositionBeyondHeadError) as beyond:
        read_model.wait(head + 1, timeout=60, views=["timeline"])

    assert (beyond.value.position, beyond.value.head) == (head + 1, head)


def test_a_wait_for_a_view_the_read_model_does_not_have_is_refused(
    read_model: ReadModel,
) -> None:
    with pytest.raises(ValueError, match="no such views"):
        read_model.wait(1, timeout=0, views=["timeline", "nope"])  # type: ignore[list-item]


def _rows(rows: list[Any]) -> list[dict[str, Any]]:
    """Edge rows without `valid_to`: a rebuild up to a time never knows what came after it."""
    plain = [{k: v for k, v in dict(row).items() if k != "valid_to"} for row in rows]
    return sorted(plain, key=lambda r: (r["claim_id"], r["valid_from_pos"]))


def test_edges_as_of_every_moment_of_a_claims_life_equal_a_rebuild_until_then(
    ledger: Ledger, read_model: ReadModel
) -> None:
    author, reviewer = factories.context(), factories.context(Role.REVIEWER)
    subject, target = factories.actor(ledger, author).slug, factories.actor(ledger, author).slug
    claim_id: UUID = factories.claim(ledger, author, subject=subject, object=target).id
    other = factories.actor(ledger, author).slug
    steps = [
        lambda: ledger.claims.dispute(author, claim_id, reason="unclear"),
        lambda: ledger.claims.review(
            reviewer, claim_id, verdict=Verdict.MISLEADING, label=None, explanation="partly"
        ),
        lambda: ledger.claims.correct(author, claim_id, reason="wrong party", object=other),
        lambda: ledger.claims.retract(author, claim_id, reason="withdrawn"),
    ]
    moments = [datetime.now(UTC)]
    for step in steps:
        step()
        moments.append(datetime.now(UTC))
    read_model.projector.catch_up()

    seen = []
    for moment in moments:
        with read_model.store.transaction(commit=False) as cursor:
            live = _rows(edge_rows(cursor, subject, None, moment))
        rebuilt = rebuild(ledger, [RelationshipsView()], until=moment)
        with rebuilt.transaction(commit=False) as cursor:
            assert live == _rows(edge_rows(cursor, subject, None, None)), moment
        seen.append(live)

    assert len({repr(rows) for rows in seen}) == len(moments)  # each step shows
    assert [r["target"] for r in seen[-1]] == [other]
    assert [(r["verdict"], r["active"]) for r in seen[-1]] == [("misleading", 0)]
