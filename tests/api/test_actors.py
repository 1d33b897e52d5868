"""Actors: slug ids, names and aliases unique across all actors (case- and accent-insensitive)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.helpers import assert_invalid, assert_problem

FIELDS = {
    "id",
    "name",
    "kind",
    "aliases",
    "external_ids",
    "affiliations",
    "recorded_at",
    "recorded_by",
    "version",
    "position",
}


def a_slug() -> str:
    return f"actor-{uuid.uuid4().hex[:8]}"


def register(api: Api, **fields: Any) -> Any:
    slug = fields.pop("id", a_slug())
    body = {"id": slug, "name": slug.title(), "kind": "state", **fields}
    response = api.post("/actors", body)
    assert response.status_code == 201, response.text
    return response.json()


def test_registering_an_actor_answers_201_with_every_field(api: Api) -> None:
    body = {
        "id": "china",
        "name": "China",
        "kind": "state",
        "aliases": ["Beijing", "Bejing", "People's Republic of China"],
        "external_ids": {"wikidata": "Q148", "cameo": "CHN"},
    }

    response = api.post("/actors", body)

    assert response.status_code == 201, response.text
    actor = response.json()
    assert set(actor) >= FIELDS
    assert (actor["id"], actor["name"], actor["kind"]) == ("china", "China", "state")
    assert actor["aliases"] == ["Beijing", "Bejing", "People's Republic of China"]
    assert actor["external_ids"] == {"wikidata": "Q148", "cameo": "CHN"}
    assert actor["affiliations"] == [] and actor["version"] == 1
    assert isinstance(actor["position"], int) and actor["position"] > 0
    assert response.headers["Location"] == "/actors/china"
    assert response.headers["ETag"] == '"1"'


def test_an_actor_may_be_affiliated_with_registered_actors(api: Api) -> None:
    party = register(api, kind="organization")

    member = register(api, kind="person", affiliations=[party["id"]])

    assert member["affiliations"] == [party["id"]]


def test_an_affiliation_with_an_unknown_actor_is_a_422_problem(api: Api) -> None:
    response = api.post(
        "/actors",
        {"id": a_slug(), "name": "Lone", "kind": "person", "affiliations": ["no-such-party"]},
    )

    assert assert_problem(response, 422, "unknown-reference")["affiliation"] == "no-such-party"


def test_reading_an_actor_gives_its_state_and_an_etag(api: Api) -> None:
    actor = register(api, aliases=["Elsewhere"])

    response = api.get(f"/actors/{actor['id']}")

    assert response.status_code == 200
    assert response.json()["aliases"] == ["Elsewhere"]
    assert response.json()["recorded_by"] == actor["recorded_by"]
    assert response.headers["ETag"] == '"1"'


def test_an_unknown_actor_is_a_404_problem(api: Api) -> None:
    assert_problem(api.get("/actors/no-such-actor"), 404)
    assert_problem(api.get("/actors/Not A Slug!"), 404)


def test_a_duplicate_actor_id_is_a_409_problem(api: Api) -> None:
    actor = register(api)

    response = api.post("/actors", {"id": actor["id"], "name": "Someone else", "kind": "person"})

    assert assert_problem(response, 409)["existing_id"] == actor["id"]


@pytest.mark.parametrize("spelling", ["Pekin {}", "PÉKIN {}", "pékin {}", "  Pékin   {} "])
def test_an_alias_that_already_names_another_actor_is_a_409_problem(
    api: Api, spelling: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    holder = register(api, aliases=[f"Pékin {tag}"])

    response = api.post(
        "/actors",
        {
            "id": a_slug(),
            "name": "Other",
            "kind": "state",
            "aliases": [spelling.format(tag.upper())],
        },
    )

    assert assert_problem(response, 409)["existing_id"] == holder["id"]


def test_a_name_that_is_already_another_actors_alias_is_a_409_problem(api: Api) -> None:
    register(api, aliases=["The Kremlin Test"])

    response = api.post("/actors", {"id": a_slug(), "name": "the kremlin test", "kind": "state"})

    assert_problem(response, 409)


def test_adding_an_alias_answers_200_with_the_new_version(api: Api) -> None:
    actor = register(api)

    response = api.post(f"/actors/{actor['id']}/aliases", {"alias": "Another Name"})

    assert response.status_code == 200, response.text
    assert response.json()["aliases"] == ["Another Name"]
    assert response.json()["version"] == 2
    assert response.json()["position"] > actor["position"]
    assert response.headers["ETag"] == '"2"'
    assert api.get(f"/actors/{actor['id']}").json()["aliases"] == ["Another Name"]


def test_an_alias_already_naming_another_actor_cannot_be_added(api: Api) -> None:
    holder = register(api, aliases=["Shared Alias"])
    other = register(api)

    response = api.post(f"/actors/{other['id']}/aliases", {"alias": "SHARED alias"})

    assert assert_problem(response, 409)["existing_id"] == holder["id"]
    assert api.get(f"/actors/{other['id']}").json()["version"] == 1


def test_an_alias_the_actor_already_has_is_a_409_problem(api: Api) -> None:
    actor = register(api, aliases=["Twice"])

    assert_problem(api.post(f"/actors/{actor['id']}/aliases", {"alias": "twice"}), 409)
    assert_problem(api.post(f"/actors/{actor['id']}/aliases", {"alias": actor["name"]}), 409)


def test_an_alias_for_an_unknown_actor_is_a_404_problem(api: Api) -> None:
    assert_problem(api.post("/actors/no-such-actor/aliases", {"alias": "x"}), 404)


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ("body", "alias")),
        ({"alias": ""}, ("body", "alias")),
        ({"alias": "a" * 201}, ("body", "alias")),
        ({"alias": ["a"]}, ("body", "alias")),
        ({"alias": "ok", "name": "extra"}, ("body", "name")),
    ],
    ids=["missing", "empty", "long", "list", "extra-field"],
)
def test_an_invalid_alias_is_refused_with_a_validation_problem(
    api: Api, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    actor = register(api)

    assert_invalid(api.post(f"/actors/{actor['id']}/aliases", body), *loc)


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"id": None}, ("body", "id")),
        ({"name": None}, ("body", "name")),
        ({"kind": None}, ("body", "kind")),
        ({"id": "China"}, ("body", "id")),
        ({"id": "-china"}, ("body", "id")),
        ({"id": "a" * 64}, ("body", "id")),
        ({"id": 7}, ("body", "id")),
        ({"name": ""}, ("body", "name")),
        ({"name": "n" * 201}, ("body", "name")),
        ({"kind": "country"}, ("body", "kind")),
        ({"aliases": "Beijing"}, ("body", "aliases")),
        ({"aliases": [""]}, ("body", "aliases", 0)),
        ({"external_ids": ["Q148"]}, ("body", "external_ids")),
        ({"external_ids": {"wikidata": 148}}, ("body", "external_ids")),
        ({"affiliations": ["Not A Slug"]}, ("body", "affiliations", 0)),
        ({"slug": "extra"}, ("body", "slug")),
    ],
    ids=lambda v: repr(v)[:40] if isinstance(v, dict) else "",
)
def test_an_invalid_actor_is_refused_with_a_validation_problem(
    api: Api, fields: dict[str, Any], loc: tuple[str, ...]
) -> None:
    body = {"id": a_slug(), "name": "Somebody", "kind": "person", **fields}
    body = {k: v for k, v in body.items() if v is not None}

    assert_invalid(api.post("/actors", body), *loc)
