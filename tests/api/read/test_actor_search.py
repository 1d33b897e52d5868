"""GET /actors?q=: ids, names and aliases, case- and accent-insensitive."""

from __future__ import annotations

import pytest

from tests.api.read.conftest import Seeded
from tests.api.read.support import every_item


def found(world: Seeded, q: str) -> list[str]:
    return [actor["id"] for actor in every_item(world.api, "/actors", q=q, limit=3)]


@pytest.mark.parametrize(
    "q",
    [
        "Bejing",
        "beijing",
        "Beijing",
        "BEIJING",
        "china",
        "China",
        "CHINA",
        "Chíná",
        "ÇHÏNÁ",
        "Bëijíng",
        "prc",
        "People's Republic",
    ],
)
def test_china_is_found_by_id_name_or_alias_whatever_the_case_and_accents(
    world: Seeded, q: str
) -> None:
    assert "china" in found(world, q)


def test_a_search_answers_the_whole_actor(world: Seeded) -> None:
    [china] = [a for a in every_item(world.api, "/actors", q="Bejing") if a["id"] == "china"]

    assert china["name"] == "China"
    assert {"Beijing", "Bejing"} <= set(china["aliases"])
    assert china["kind"] == "state"


def test_a_search_finds_every_actor_whose_names_contain_the_text(world: Seeded) -> None:
    assert set(found(world, "beijing")) == {"china", "beijing-2022-winter-olympics"}
    assert found(world, "russian federation") == ["russia"]
    assert found(world, "THE GAMES") == ["beijing-2022-winter-olympics"]


def test_a_search_matching_nothing_is_an_empty_page(world: Seeded) -> None:
    body = world.api.get("/actors", q="atlantis").json()

    assert body == {"items": [], "next_cursor": None}


def test_actors_page_through_without_skipping_or_repeating(world: Seeded) -> None:
    everyone = [a["id"] for a in world.api.get("/actors", limit=500).json()["items"]]

    assert found(world, "") == everyone
    assert len(everyone) == len(set(everyone)) >= 15


def test_an_alias_with_an_underscore_is_found_by_its_own_text(fresh: Seeded) -> None:
    created = fresh.api.post(
        "/actors",
        {
            "id": "kremlin-press",
            "name": "Kremlin press office",
            "kind": "organization",
            "aliases": ["@kremlin_ru"],
        },
    )
    assert created.status_code == 201, created.text
    at = created.json()["position"]

    for q in ["kremlin_ru", "@kremlin_ru", "KREMLIN_RU", "_ru"]:
        response = fresh.api.get("/actors", q=q, min_position=at)

        assert [a["id"] for a in response.json()["items"]] == ["kremlin-press"], q


def test_a_search_for_a_like_wildcard_matches_it_literally(fresh: Seeded) -> None:
    created = fresh.api.post("/actors", {"id": "snake-case", "name": "snake_case", "kind": "other"})
    assert created.status_code == 201, created.text

    response = fresh.api.get("/actors", q="e_c", min_position=created.json()["position"])

    assert [a["id"] for a in response.json()["items"]] == ["snake-case"]
