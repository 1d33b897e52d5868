"""The views' batch paths (rows gathered per batch, written once at its end) give the same views
as one event per transaction, also when a batch holds several events of one claim or actor and
a poison event in their middle: the view stops at that exact event either way."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from domain.values import Role, Stance
from domain.vocabulary import Verdict
from infra.ledger.application import Ledger
from infra.ledger.claim_inputs import EvidenceInput
from infra.projections.projector import Projector
from infra.projections.read_model import all_views
from infra.projections.rebuild import digest, drop
from infra.projections.store import ViewStore
from tests import factories
from tests.integration.read.history import write_every_kind_of_command
from tests.integration.read.poison import nested, plant_alias, plant_review


def _project(ledger: Ledger, batch: int, prefix: str) -> tuple[dict[str, str], dict[str, int]]:
    """Every view from position 0 into tables under `prefix`, `batch` events per transaction:
    (digests, stop positions)."""
    views = all_views()
    store = ViewStore(ledger.recorder, prefix)
    drop(store, views)
    projector = Projector(ledger, views, store, batch_size=batch)
    projector.setup()
    projector.catch_up()
    found = {view.name: digest(store, view) for view in views}
    stops = {name: stop.position for name, stop in projector.stuck().items()}
    drop(store, views)
    return found, stops


def _busy_claim(ledger: Ledger) -> UUID:
    """A claim with several events, and an actor with several aliases, back to back."""
    author, reviewer = factories.context(), factories.context(Role.REVIEWER)
    actor = factories.actor(ledger, author)
    for n in range(3):
        ledger.actors.add_alias(author, actor.slug, factories.unique(f"alias {n}"))
    claim_id: UUID = factories.claim(ledger, author, subject=actor.slug).id
    for n in range(3):
        ledger.claims.add_evidence(author, claim_id, EvidenceInput(Stance.SUPPORTS, f"note {n}"))
    ledger.claims.dispute(author, claim_id, reason="the numbers")
    ledger.claims.review(reviewer, claim_id, verdict=Verdict.MIXED, label=None, explanation="x")
    return claim_id


def test_several_events_of_one_claim_and_one_actor_in_a_batch_equal_one_per_batch(
    ledger: Ledger,
) -> None:
    write_every_kind_of_command(ledger)
    _busy_claim(ledger)
    _busy_claim(ledger)

    one, no_stops = _project(ledger, 1, "b1_")
    assert _project(ledger, 4, "b4_") == (one, no_stops)
    assert _project(ledger, 1000, "bk_") == (one, no_stops)
    assert no_stops == {}


def test_a_poison_event_in_the_middle_of_a_batch_stops_the_view_where_one_per_batch_does(
    ledger: Ledger,
) -> None:
    author = factories.context()
    claim_id = _busy_claim(ledger)
    actor = factories.actor(ledger, author, aliases=[factories.unique("before")])
    bad_review = plant_review(ledger, claim_id, {"extra": nested(300)})
    bad_alias = plant_alias(ledger, actor.id)
    # More events of the same claim and actor after the poison, in the same batch.
    ledger.claims.add_evidence(author, claim_id, EvidenceInput(Stance.REFUTES, "after"))
    ledger.actors.add_alias(author, actor.slug, factories.unique("after"))
    _busy_claim(ledger)

    one = _project(ledger, 1, "b1_")
    assert one[1]["claims"] == bad_review
    assert one[1]["actors"] == bad_alias
    assert _project(ledger, 1000, "bk_") == one


def test_a_stopped_view_is_found_by_halving_the_batch(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    author = factories.context()
    claim_id = _busy_claim(ledger)
    for n in range(20):
        ledger.claims.add_evidence(author, claim_id, EvidenceInput(Stance.SUPPORTS, f"a{n}"))
    bad_review = plant_review(ledger, claim_id, {"extra": nested(300)})
    for n in range(40):
        ledger.claims.add_evidence(author, claim_id, EvidenceInput(Stance.SUPPORTS, f"b{n}"))
    attempts: list[int] = []
    original = Projector._project

    def counted(self: Projector, views: list[Any], *args: Any, **kwargs: Any) -> None:
        if [v.name for v in views] == ["claims"]:
            attempts.append(1)
        original(self, views, *args, **kwargs)

    monkeypatch.setattr(Projector, "_project", counted)
    _, stops = _project(ledger, 1000, "bh_")
    assert stops["claims"] == bad_review
    assert len(attempts) <= 16  # about 2 log2(n); one per event would be ~70
