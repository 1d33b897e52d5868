"""The similar view learns names: an alias added after claims that mention it were indexed
re-indexes them (in the projection, so a rebuild in one batch gives the same rows)."""

from __future__ import annotations

from typing import Any

from domain.similarity import ClaimShape
from infra.ledger.application import Ledger
from infra.projections import similar_index
from infra.projections.read_model import ReadModel
from infra.projections.rebuild import digest, rebuild
from infra.projections.similar_view import SimilarView
from infra.projections.store import Cursor
from tests import factories


def _features(read_model: ReadModel, claim_id: Any) -> set[str]:
    with read_model.store.transaction(commit=False) as cursor:
        found = cursor.scalar(
            "SELECT features FROM {rm_similar_claims} WHERE id = ?", (str(claim_id),)
        )
    return set(found.split())


def test_an_alias_added_later_counts_in_the_claims_indexed_before_it(
    ledger: Ledger, read_model: ReadModel
) -> None:
    ctx = factories.context()
    veloria = factories.actor(ledger, ctx, slug="veloria", name="Veloria")
    kastan = factories.actor(ledger, ctx, slug="kastan", name="Kastan")
    before = factories.claim(
        ledger, ctx, statement="Veloria backs Borvik", subject="veloria", object="kastan"
    )
    read_model.projector.catch_up()  # indexed while "Borvik" names nobody
    assert "w:borvik" in _features(read_model, before.id)

    # In one batch: a claim, then the alias it and the first claim use.
    same_batch = factories.claim(
        ledger, ctx, statement="Veloria stands by Borvik", subject="veloria", object=None
    )
    ledger.actors.add_alias(ctx, kastan.slug, "Borvik")
    read_model.projector.catch_up()

    assert "a:kastan" in _features(read_model, before.id)
    assert "w:borvik" not in _features(read_model, before.id)
    assert "a:kastan" in _features(read_model, same_batch.id)
    found = read_model.similar(
        ClaimShape("Veloria supports Kastan", veloria.slug, "supports", kastan.slug),
        exclude=None,
        threshold=0.7,
        limit=10,
    )
    assert [(s.id, s.score) for s in found] == [(str(before.id), 1.0)]

    # A correction keeps its new shape (and the alias): then all of it equals a rebuild.
    ledger.claims.correct(ctx, before.id, reason="typo", statement="Veloria backs the Borvik")
    read_model.projector.catch_up()
    assert "a:kastan" in _features(read_model, before.id)
    rebuilt = rebuild(ledger, [SimilarView()])
    assert digest(rebuilt, SimilarView()) == digest(read_model.store, SimilarView())


def test_names_learnt_before_any_claim_look_up_nothing_to_index_again(
    ledger: Ledger, read_model: ReadModel, monkeypatch: Any
) -> None:
    """A log that registers its actors first: their names are learnt with no claim indexed,
    so no re-index lookup is made for them (one lookup per name cost a round trip each);
    once a claim is indexed, a new alias looks it up."""
    lookups: list[str] = []
    select_in = Cursor.select_in

    def counted(self: Cursor, statement: str, values: Any) -> Any:
        if "rm_similar_shapes" in statement:
            lookups.append(statement)
        return select_in(self, statement, values)

    monkeypatch.setattr(Cursor, "select_in", counted)
    ctx = factories.context()
    for slug in ("veloria", "kastan", "ostmark"):
        factories.actor(ledger, ctx, slug=slug, name=slug.title())
    read_model.projector.catch_up()
    assert lookups == []

    claim = factories.claim(
        ledger, ctx, statement="Veloria backs Borvik", subject="veloria", object="kastan"
    )
    read_model.projector.catch_up()
    ledger.actors.add_alias(ctx, "kastan", "Borvik")
    read_model.projector.catch_up()
    assert len(lookups) == 1
    assert "a:kastan" in _features(read_model, claim.id)


def test_a_name_without_word_features_reindexes_the_claims_with_its_text(
    ledger: Ledger, read_model: ReadModel, monkeypatch: Any
) -> None:
    """ "US" (a stop word) and "The Who" (two) leave no word feature in a statement: the claims
    that may mention them are found by their text, and only those are computed again."""
    computed: list[str] = []
    compute = similar_index.features

    def counted(claim: ClaimShape, matcher: Any) -> frozenset[str]:
        computed.append(claim.statement)
        return compute(claim, matcher)

    monkeypatch.setattr(similar_index, "features", counted)
    ctx = factories.context()
    factories.actor(ledger, ctx, slug="veloria", name="Veloria")
    states = factories.actor(ledger, ctx, slug="united-states", name="United States")
    band = factories.actor(ledger, ctx, slug="band", name="Band")
    texts = ["The US backs Veloria", "Let us praise Veloria", "The Who back Veloria"]
    claims = [factories.claim(ledger, ctx, statement=t, subject="veloria") for t in texts]
    read_model.projector.catch_up()
    # In one batch: a claim that says "US", then the aliases.
    fresh = factories.claim(ledger, ctx, statement="Veloria backs the US", subject="veloria")
    ledger.actors.add_alias(ctx, states.slug, "US")
    ledger.actors.add_alias(ctx, band.slug, "The Who")
    read_model.projector.catch_up()

    assert "a:united-states" in _features(read_model, claims[0].id)
    assert "a:united-states" not in _features(read_model, claims[1].id)
    assert "a:band" in _features(read_model, claims[2].id)
    assert "a:united-states" in _features(read_model, fresh.id)
    # "US": the claims with that text (its stored shape and the batch's own); "The Who", a
    # longer name, checked by its folded words ("Let us praise" has neither).
    assert sorted(computed) == sorted([texts[0], "Veloria backs the US", texts[2]])
    rebuilt = rebuild(ledger, [SimilarView()])
    assert digest(rebuilt, SimilarView()) == digest(read_model.store, SimilarView())
