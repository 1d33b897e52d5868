"""Display names: GET /people (public), POST /principals/{id}/display-name (admin), and the
names beside `recorded_by` in history, timeline and ClaimReview; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import Api, World, serve
from tests.api.helpers import (
    assert_invalid,
    assert_problem,
    bearer,
    claim_payload,
    missing_id,
)
from tests.conftest import fresh_database


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    for url in fresh_database(request, tmp_path_factory, "people"):
        yield from serve(url)


def _principal(api: Api, role: str = "reviewer", **body: Any) -> Any:
    body = {"name": f"{role}-{missing_id()[:8]}", "role": role} | body
    response = api.post("/principals", body, role="admin")
    assert response.status_code == 201, response.text
    return response.json()


def _person(api: Api, principal: Any, position: int) -> Any:
    response = api.get(f"/people/{principal['id']}", min_position=position)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_principal_created_with_a_display_name_is_listed_under_it(api: Api) -> None:
    ana = _principal(api, display_name="Ана Петрова")

    assert ana["display_name"] == "Ана Петрова" and ana["name"].startswith("reviewer-")
    assert _person(api, ana, ana["position"]) == {
        "id": ana["id"],
        "display_name": "Ана Петрова",
        "organization": None,
    }
    listed = api.get("/people", min_position=ana["position"], limit=500).json()["items"]
    assert {"id": ana["id"], "display_name": "Ана Петрова", "organization": None} in listed


def test_without_a_display_name_the_name_is_shown(api: Api) -> None:
    bo = _principal(api, "reader")

    assert _person(api, bo, bo["position"])["display_name"] == bo["name"]


def test_an_admin_changes_a_display_name_and_readers_see_the_new_one(api: Api) -> None:
    ana = _principal(api)

    response = api.post(
        f"/principals/{ana['id']}/display-name", {"display_name": "安娜"}, role="admin"
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["display_name"] == "安娜" and body["version"] == ana["version"] + 1
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert _person(api, ana, body["position"])["display_name"] == "安娜"


def test_the_people_view_never_shows_a_role_a_key_or_a_hash(api: Api) -> None:
    ana = _principal(api, "admin", display_name="Ana")

    listed = api.get("/people", min_position=ana["position"], limit=500)

    text = listed.text
    assert ana["token"] not in text and ana["key_id"] not in text
    assert all(set(p) == {"id", "display_name", "organization"} for p in listed.json()["items"])
    assert "key" not in text and "role" not in text and "hash" not in text


def test_history_timeline_and_claimreview_name_who_did_it(api: Api, world: World) -> None:
    writer = _principal(api, "contributor", display_name="Wanda Writer")
    checker = _principal(api, "reviewer", display_name="Рита Проверка")
    claim = api.client.post(
        "/claims",
        json=claim_payload(world),
        headers=bearer(writer["token"]),
    ).json()
    reviewed = api.client.post(
        f"/claims/{claim['id']}/reviews",
        json={"verdict": "false", "explanation": "no such demand"},
        headers=bearer(checker["token"]),
    )
    assert reviewed.status_code == 201, reviewed.text

    history = api.get(f"/claims/{claim['id']}/history").json()["items"]
    assert [(i["recorded_by"], i["recorded_by_name"]) for i in history] == [
        (writer["id"], "Wanda Writer"),
        (checker["id"], "Рита Проверка"),
    ]
    timeline = api.get(
        "/timeline", claim_id=claim["id"], min_position=reviewed.json()["position"]
    ).json()["items"]
    assert [(e["by"], e["by_name"]) for e in timeline] == [
        (writer["id"], "Wanda Writer"),
        (checker["id"], "Рита Проверка"),
    ]
    review = api.get(f"/claims/{claim['id']}/claimreview").json()
    assert review["author"] == {"@type": "Person", "name": "Рита Проверка"}


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({}, ("body", "display_name")),
        ({"display_name": ""}, ("body", "display_name")),
        ({"display_name": "   "}, ("body", "display_name")),
        ({"display_name": "n" * 201}, ("body", "display_name")),
        ({"display_name": 7}, ("body", "display_name")),
        ({"display_name": "Ana", "role": "admin"}, ("body", "role")),
    ],
)
def test_a_bad_display_name_is_a_422_and_writes_nothing(
    api: Api, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    ana = _principal(api)

    assert_invalid(api.post(f"/principals/{ana['id']}/display-name", body, role="admin"), *loc)

    assert api.get(f"/principals/{ana['id']}", role="admin").json()["version"] == ana["version"]


def test_a_bad_display_name_at_creation_is_a_422(api: Api) -> None:
    body = {"name": "x", "role": "reader", "display_name": ""}
    assert_invalid(api.post("/principals", body, role="admin"), "body", "display_name")


def test_the_same_display_name_again_is_a_409_and_a_stale_if_match_a_412(api: Api) -> None:
    ana = _principal(api, display_name="Ana")
    path = f"/principals/{ana['id']}/display-name"

    assert_problem(api.post(path, {"display_name": "Ana"}, role="admin"), 409)
    assert api.post(path, {"display_name": "Ana B."}, role="admin").status_code == 200
    stale = api.post(path, {"display_name": "Ana C."}, "admin", **{"If-Match": '"2"'})

    assert_problem(stale, 412)
    assert api.get(f"/principals/{ana['id']}", role="admin").json()["display_name"] == "Ana B."


def test_unknown_or_malformed_principals_are_a_404_or_a_422(api: Api) -> None:
    assert_problem(api.get(f"/people/{missing_id()}"), 404)
    assert_invalid(api.get("/people/not-a-uuid"), "path", "principal_id")
    unknown = f"/principals/{missing_id()}/display-name"
    assert_problem(api.post(unknown, {"display_name": "x"}, role="admin"), 404)


def test_a_page_of_people_links_to_the_next(api: Api) -> None:
    last = [_principal(api, "reader") for _ in range(3)][-1]

    first = api.get("/people", limit=2, min_position=last["position"])

    assert first.status_code == 200 and len(first.json()["items"]) == 2
    assert first.json()["next_cursor"] and 'rel="next"' in first.headers["Link"]
    more = api.get("/people", limit=500, cursor=first.json()["next_cursor"]).json()["items"]
    assert last["id"] in {p["id"] for p in more}
