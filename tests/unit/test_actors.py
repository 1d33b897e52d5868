from typing import Any
from uuid import uuid4

import pytest

from domain.actors import Actor, check_slug, fold_name
from domain.errors import DuplicateError, InvalidValueError
from domain.values import ActorKind
from tests.unit.helpers import meta, replay


def register(
    slug: str = "china",
    name: str = "People's Republic of China",
    aliases: list[str] | None = None,
    **kwargs: Any,
) -> Actor:
    fields: dict[str, Any] = {
        "kind": ActorKind.STATE,
        "external_ids": {"wikidata": "Q148"},
        "affiliations": [],
        **kwargs,
    }
    return Actor.register(
        actor_id=uuid4(), slug=slug, name=name, aliases=aliases or [], meta=meta(), **fields
    )


@pytest.mark.parametrize(
    ("given", "folded"),
    [
        ("CHINA", "china"),
        ("Xi JinPing", "xi jinping"),
        ("\u00c9lys\u00e9e", "elysee"),
        ("E\u0301lyse\u0301e", "elysee"),
        ("Z\u00fcrich", "zurich"),
        ("Stra\u00dfe", "strasse"),
        ("Kim Jong-un", "kim jong un"),
        ("Xi Jinping.", "xi jinping"),
        ("U.S.A.", "u s a"),
        ("  Vladimir \n\t Putin  ", "vladimir putin"),
        ("Vladimir\u00a0Putin", "vladimir putin"),
    ],
)
def test_a_folded_name_ignores_case_accents_punctuation_and_spacing(given, folded):
    assert fold_name(given) == folded


def test_spellings_of_one_name_fold_alike():
    spellings = [
        "S\u00e3o Tom\u00e9 and Pr\u00edncipe",
        "SAO TOME AND PRINCIPE",
        "s\u00e3o-tom\u00e9 and pr\u00edncipe",
        "Sao  Tome, and Principe!",
    ]
    assert len({fold_name(s) for s in spellings}) == 1


def test_an_actor_is_registered_with_its_names():
    actor = register(aliases=["PRC", "China"], affiliations=["sco", "brics"])
    assert (actor.slug, actor.name, actor.kind) == (
        "china",
        "People's Republic of China",
        ActorKind.STATE,
    )
    assert actor.names == ["People's Republic of China", "PRC", "China"]
    assert actor.affiliations == ["sco", "brics"]
    assert actor.external_ids == {"wikidata": "Q148"}


def test_registering_drops_aliases_that_repeat_the_name_or_each_other():
    actor = register(
        aliases=[
            "PRC",
            "people\u2019s republic of china",
            "prc",
            "China",
            "CHINA",
            "Ch\u00edna",
            "Zhongguo",
        ]
    )
    assert actor.aliases == ["PRC", "China", "Zhongguo"]


def test_an_alias_is_added_once():
    actor = register(aliases=["PRC"])
    actor.add_alias("Zhongguo", meta=meta())
    assert actor.names[-1] == "Zhongguo"
    for taken in ["zhongguo", "Prc", "PEOPLE'S REPUBLIC OF CHINA", "Zh\u00f3ngguo"]:
        with pytest.raises(DuplicateError):
            actor.add_alias(taken, meta=meta())
    assert actor.aliases == ["PRC", "Zhongguo"]


@pytest.mark.parametrize("slug", ["china", "united-states", "g7", "0", "a" * 63])
def test_a_slug_is_lowercase_letters_digits_and_hyphens(slug):
    assert check_slug(slug) == slug


@pytest.mark.parametrize(
    "slug", ["China", "", "-china", "china_1", "china russia", "a" * 64, "chin\u00e4"]
)
def test_an_invalid_slug_is_rejected(slug):
    with pytest.raises(InvalidValueError):
        register(slug=slug)


def test_an_invalid_affiliation_slug_is_rejected():
    with pytest.raises(InvalidValueError):
        register(affiliations=["Shanghai Cooperation Organisation"])


def test_replaying_an_actors_events_rebuilds_it():
    actor = register(aliases=["PRC"])
    actor.add_alias("Zhongguo", meta=meta())
    rebuilt = replay(actor)
    assert vars(rebuilt) == vars(actor)
    assert rebuilt.names == ["People's Republic of China", "PRC", "Zhongguo"]
