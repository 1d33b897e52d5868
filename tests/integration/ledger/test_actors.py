"""Actors: unique slugs and names, aliases, and resolving what a claim calls an actor."""

from __future__ import annotations

import pytest

from domain.errors import DuplicateError, UnknownActorError
from domain.values import ActorKind, ActorRef
from infra.ledger.application import Ledger
from tests.factories import actor, context, unique
from tests.integration.support import head


def test_an_actor_comes_back_from_storage_with_aliases_ids_and_affiliations(
    ledger: Ledger, stored: Ledger
) -> None:
    party = actor(ledger, kind=ActorKind.ORGANIZATION)
    outcome = ledger.actors.register(
        context(),
        slug=unique("putin"),
        name="Vladimir Putin",
        kind=ActorKind.PERSON,
        aliases=["Putin", "Владимир Путин"],
        external_ids={"wikidata": "Q7747"},
        affiliations=[party.slug],
    )

    loaded = stored.actors.get(outcome.aggregate.slug)
    assert outcome.created
    assert loaded == outcome.aggregate
    assert isinstance(loaded.kind, ActorKind)
    assert loaded.aliases == ["Putin", "Владимир Путин"]
    assert loaded.external_ids == {"wikidata": "Q7747"}
    assert loaded.affiliations == [party.slug]


def test_an_added_alias_is_stored_and_resolves_to_its_actor(ledger: Ledger, stored: Ledger) -> None:
    china = actor(ledger, name="China")
    alias = unique("Middle Kingdom")

    outcome = ledger.actors.add_alias(context(), china.slug, alias)

    assert outcome.aggregate.version == 2
    assert stored.actors.get(china.slug) == outcome.aggregate
    assert stored.actors.resolve(alias.upper()) == ActorRef(china.slug, "China")


def test_registering_a_taken_slug_is_a_duplicate_and_writes_nothing(ledger: Ledger) -> None:
    taken = actor(ledger)
    before = head(ledger)

    with pytest.raises(DuplicateError):
        actor(ledger, slug=taken.slug, name=unique("Another Name"))

    assert head(ledger) == before


def test_registering_an_alias_that_names_another_actor_is_a_duplicate(ledger: Ledger) -> None:
    china = actor(ledger, name=unique("China"), aliases=["Beijing"])
    before = head(ledger)

    with pytest.raises(DuplicateError) as refused:
        actor(ledger, aliases=["BEIJING"])

    assert refused.value.extra["existing_id"] == china.slug
    assert head(ledger) == before


def test_adding_an_alias_that_names_another_actor_is_a_duplicate(ledger: Ledger) -> None:
    actor(ledger, name=unique("China"), aliases=["Beijing"])
    russia = actor(ledger)
    before = head(ledger)

    with pytest.raises(DuplicateError):
        ledger.actors.add_alias(context(), russia.slug, "beijing")

    assert head(ledger) == before
    assert ledger.actors.get(russia.slug).version == 1


def test_an_actor_resolves_by_slug_by_name_and_by_alias_ignoring_case_and_accents(
    ledger: Ledger,
) -> None:
    china = actor(ledger, name="People's Republic of China", aliases=["Bejing", "Pékin"])
    expected = ActorRef(china.slug, "People's Republic of China")

    assert ledger.actors.resolve(china.slug) == expected
    assert ledger.actors.resolve("people's republic of china") == expected
    assert ledger.actors.resolve("bejing") == expected
    assert ledger.actors.resolve("PEKIN") == expected


def test_an_unknown_actor_name_is_refused_with_close_candidates(ledger: Ledger) -> None:
    china = actor(ledger, slug=unique("china"), name="China", aliases=["Beijing"])
    actor(ledger, name="Zimbabwe")

    with pytest.raises(UnknownActorError) as refused:
        ledger.actors.resolve("Beijng")

    assert refused.value.extra["candidates"] == [china.slug]
    assert refused.value.extra["name"] == "Beijng"
