"""Principals and their API keys: admin only; a token is shown once and revocation is immediate."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.helpers import assert_invalid, assert_problem, bearer, missing_id, new_principal

SOURCE = {"url": "https://example.org/principal-check", "title": "Who wrote this"}


def test_an_admin_creates_a_principal_and_sees_its_token_once(api: Api) -> None:
    response = api.post("/principals", {"name": "alice", "role": "reviewer"}, role="admin")

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "alice" and body["role"] == "reviewer"
    assert body["token"].startswith("ct_")
    assert isinstance(body["position"], int) and body["position"] > 0
    assert response.headers["Location"] == f"/principals/{body['id']}"
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert [k["id"] for k in body["keys"]] == [body["key_id"]]
    assert body["keys"][0]["revoked_at"] is None
    shown = api.get(f"/principals/{body['id']}", role="admin")
    assert shown.status_code == 200
    assert "token" not in shown.json() or shown.json()["token"] is None


def test_a_new_principals_token_acts_as_that_principal(api: Api) -> None:
    alice = new_principal(api, "contributor")

    response = api.client.post("/sources", json=SOURCE, headers=bearer(alice["token"]))

    assert response.status_code == 201, response.text
    assert response.json()["recorded_by"] == alice["id"]


def test_reading_a_principal_gives_its_keys_and_an_etag(api: Api) -> None:
    bob = new_principal(api, "reader")

    response = api.get(f"/principals/{bob['id']}", role="admin")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["name"], body["role"]) == (bob["id"], bob["name"], "reader")
    assert [k["id"] for k in body["keys"]] == [bob["key_id"]]
    assert response.headers["ETag"] == f'"{body["version"]}"'


def test_the_principal_list_names_every_principal(api: Api) -> None:
    carol = new_principal(api, "reviewer")

    response = api.get("/principals", role="admin")

    assert response.status_code == 200
    names = {p["name"]: p for p in response.json()["items"]}
    assert {"admin", "reader-user", "contributor-user", "reviewer-user", carol["name"]} <= set(
        names
    )
    assert names[carol["name"]]["id"] == carol["id"]
    assert all("token" not in p or p["token"] is None for p in response.json()["items"])


def test_an_unknown_principal_is_a_404_problem(api: Api) -> None:
    assert_problem(api.get(f"/principals/{missing_id()}", role="admin"), 404)


def test_a_malformed_principal_id_is_a_422_not_a_500(api: Api) -> None:
    assert_invalid(api.get("/principals/not-a-uuid", role="admin"), "path", "principal_id")
    assert_invalid(api.post("/principals/42/keys", role="admin"), "path", "principal_id")


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"role": "reviewer"}, ("body", "name")),
        ({"name": "dave"}, ("body", "role")),
        ({"name": "dave", "role": "superuser"}, ("body", "role")),
        ({"name": 5, "role": "reader"}, ("body", "name")),
        ({"name": "", "role": "reader"}, ("body", "name")),
        ({"name": "d" * 201, "role": "reader"}, ("body", "name")),
        ({"name": "dave", "role": "reader", "token": "mine"}, ("body", "token")),
        ({"name": "dave", "role": ["reader"]}, ("body", "role")),
    ],
    ids=[
        "no-name",
        "no-role",
        "unknown-role",
        "number-name",
        "empty-name",
        "long-name",
        "extra-field",
        "list-role",
    ],
)
def test_an_invalid_principal_is_refused_with_a_validation_problem(
    api: Api, body: dict[str, Any], loc: tuple[str, ...]
) -> None:
    assert_invalid(api.post("/principals", body, role="admin"), *loc)


def test_an_admin_issues_another_key_and_both_tokens_work(api: Api) -> None:
    erin = new_principal(api, "contributor")

    response = api.post(f"/principals/{erin['id']}/keys", role="admin")

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("ct_") and body["token"] != erin["token"]
    assert [k["id"] for k in body["keys"]] == [erin["key_id"], body["key_id"]]
    assert isinstance(body["position"], int)
    assert response.headers["ETag"] == f'"{body["version"]}"'
    for token in (erin["token"], body["token"]):
        sources = api.client.get("/sources", params={"url": SOURCE["url"]}, headers=bearer(token))
        assert sources.status_code == 200


def test_a_key_for_an_unknown_principal_is_a_404_problem(api: Api) -> None:
    assert_problem(api.post(f"/principals/{missing_id()}/keys", role="admin"), 404)


def test_a_revoked_token_is_refused_at_once_and_the_other_key_still_works(api: Api) -> None:
    frank = new_principal(api, "contributor")
    second = api.post(f"/principals/{frank['id']}/keys", role="admin").json()
    body = {"url": "https://example.org/frank", "title": "Frank's"}
    assert api.client.post("/sources", json=body, headers=bearer(frank["token"])).status_code == 201

    revoked = api.client.delete(
        f"/principals/{frank['id']}/keys/{frank['key_id']}", headers=bearer(api.tokens["admin"])
    )

    assert revoked.status_code == 200, revoked.text
    keys = {k["id"]: k for k in revoked.json()["keys"]}
    assert keys[frank["key_id"]]["revoked_at"] is not None
    assert keys[second["key_id"]]["revoked_at"] is None
    assert isinstance(revoked.json()["position"], int)
    refused = api.client.post("/sources", json=body, headers=bearer(frank["token"]))
    assert_problem(refused, 401)
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    again = api.client.post("/sources", json=body, headers=bearer(second["token"]))
    assert again.status_code == 200  # the same source again: the existing one


def test_revoking_a_key_twice_is_a_409_problem(api: Api) -> None:
    grace = new_principal(api, "reader")
    path = f"/principals/{grace['id']}/keys/{grace['key_id']}"
    admin = bearer(api.tokens["admin"])
    assert api.client.delete(path, headers=admin).status_code == 200

    assert_problem(api.client.delete(path, headers=admin), 409)


def test_revoking_an_unknown_key_or_a_key_of_an_unknown_principal_is_a_404_problem(
    api: Api,
) -> None:
    heidi = new_principal(api, "reader")
    admin = bearer(api.tokens["admin"])

    unknown_key = api.client.delete(f"/principals/{heidi['id']}/keys/{missing_id()}", headers=admin)
    unknown_principal = api.client.delete(
        f"/principals/{missing_id()}/keys/{heidi['key_id']}", headers=admin
    )

    assert_problem(unknown_key, 404)
    assert_problem(unknown_principal, 404)


def test_a_malformed_key_id_is_a_422_not_a_500(api: Api) -> None:
    ivan = new_principal(api, "reader")
    response = api.client.delete(
        f"/principals/{ivan['id']}/keys/key-1", headers=bearer(api.tokens["admin"])
    )

    assert_invalid(response, "path", "key_id")


def test_a_retried_principal_creation_replays_without_a_second_token(api: Api) -> None:
    """The secret is never stored, so a replay answers `token: null` (a documented exception)."""
    body = {"name": "judy", "role": "reader"}
    first = api.post("/principals", body, role="admin", **{"Idempotency-Key": "judy-1"})
    again = api.post("/principals", body, role="admin", **{"Idempotency-Key": "judy-1"})

    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["position"] == first.json()["position"]
    assert again.json()["token"] is None
    judies = [
        p for p in api.get("/principals", role="admin").json()["items"] if p["name"] == "judy"
    ]
    assert len(judies) == 1
