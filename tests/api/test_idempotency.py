"""Idempotency-Key: a retry answers the first response again and writes nothing; the same key
with a different request is a 422."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, World
from tests.api.helpers import (
    assert_problem,
    claim_payload,
    current_version,
    new_principal,
    record_claim,
)

REPLAYED = "Idempotent-Replayed"


def head(api: Api) -> int:
    """The global log position: it moves only when something is written."""
    position: int = api.get("/readyz").json()["position"]
    return position


def assert_replayed(first: Any, again: Any) -> None:
    assert again.status_code == first.status_code, again.text
    assert again.json() == first.json()
    assert again.headers[REPLAYED] == "true"
    assert again.headers["ETag"] == first.headers["ETag"]
    assert REPLAYED not in first.headers


def test_a_retried_claim_answers_the_first_response_and_writes_nothing(
    api: Api, world: World
) -> None:
    body = claim_payload(world)
    first = api.post("/claims", body, **{"Idempotency-Key": "record-1"})
    assert first.status_code == 201, first.text
    position = head(api)

    again = api.post("/claims", body, **{"Idempotency-Key": "record-1"})

    assert_replayed(first, again)
    assert again.headers["Location"] == first.headers["Location"]
    assert head(api) == position
    assert current_version(api, first.json()["id"]) == 1


def test_a_claim_key_reused_with_a_different_body_is_a_422(api: Api, world: World) -> None:
    first = api.post("/claims", claim_payload(world), **{"Idempotency-Key": "record-2"})
    assert first.status_code == 201
    position = head(api)

    other = api.post(
        "/claims",
        claim_payload(world, statement="Something else"),
        **{"Idempotency-Key": "record-2"},
    )

    assert_problem(other, 422, "idempotency-key-reused")
    assert head(api) == position


def test_the_same_key_from_another_principal_records_its_own_claim(api: Api, world: World) -> None:
    body = claim_payload(world)
    mine = api.post("/claims", body, **{"Idempotency-Key": "record-3"})

    theirs = api.post("/claims", body, role="reviewer", **{"Idempotency-Key": "record-3"})

    assert mine.status_code == theirs.status_code == 201
    assert REPLAYED not in theirs.headers
    assert theirs.json()["id"] != mine.json()["id"]


def test_a_retried_evidence_answers_the_first_response_and_writes_nothing(
    api: Api, world: World
) -> None:
    claim = record_claim(api, world)
    body = {"stance": "supports", "note": "The readout."}
    path = f"/claims/{claim['id']}/evidence"
    first = api.post(path, body, **{"Idempotency-Key": "evidence-1"})
    assert first.status_code == 201, first.text
    position = head(api)

    again = api.post(path, body, **{"Idempotency-Key": "evidence-1"})

    assert_replayed(first, again)
    assert again.json()["evidence_id"] == first.json()["evidence_id"]
    assert head(api) == position
    assert current_version(api, claim["id"]) == 2


def test_an_evidence_key_reused_with_a_different_body_is_a_422(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    path = f"/claims/{claim['id']}/evidence"
    assert (
        api.post(
            path, {"stance": "supports", "note": "a"}, **{"Idempotency-Key": "evidence-2"}
        ).status_code
        == 201
    )

    other = api.post(path, {"stance": "refutes", "note": "b"}, **{"Idempotency-Key": "evidence-2"})

    assert_problem(other, 422, "idempotency-key-reused")
    assert current_version(api, claim["id"]) == 2


def test_a_retry_after_later_writes_still_answers_the_first_response(
    api: Api, world: World
) -> None:
    claim = record_claim(api, world)
    path = f"/claims/{claim['id']}/evidence"
    body = {"stance": "context", "note": "first"}
    first = api.post(path, body, **{"Idempotency-Key": "evidence-3"})
    api.post(path, {"stance": "context", "note": "second"})

    again = api.post(path, body, **{"Idempotency-Key": "evidence-3"})

    assert_replayed(first, again)
    assert again.json()["version"] == 2
    assert current_version(api, claim["id"]) == 3


def test_a_retry_with_the_original_if_match_replays_instead_of_failing_the_precondition(
    api: Api, world: World
) -> None:
    claim = record_claim(api, world)
    path = f"/claims/{claim['id']}/evidence"
    headers = {"Idempotency-Key": "evidence-4", "If-Match": '"1"'}
    first = api.post(path, {"stance": "context", "note": "n"}, **headers)
    assert first.status_code == 201

    again = api.post(path, {"stance": "context", "note": "n"}, **headers)

    assert_replayed(first, again)


def test_the_same_key_from_another_principal_is_its_own_request_not_a_replay(
    api: Api, world: World
) -> None:
    claim = record_claim(api, world)
    path = f"/claims/{claim['id']}/evidence"
    body = {"stance": "supports", "note": "same words"}
    first = api.post(path, body, role="reviewer", **{"Idempotency-Key": "evidence-5"})
    assert first.status_code == 201

    other = api.post(path, body, role="contributor", **{"Idempotency-Key": "evidence-5"})

    assert other.status_code == 201, other.text
    assert REPLAYED not in other.headers
    assert other.json()["evidence_id"] != first.json()["evidence_id"]
    assert other.json()["evidence"][-1]["added_by"] == claim["recorded_by"]
    assert current_version(api, claim["id"]) == 3


COMMANDS = [
    ("appearances", {"source_id": "{bare}", "exact": "quoted elsewhere"}, "contributor", 201),
    ("disputes", {"reason": "r"}, "contributor", 201),
    ("reviews", {"verdict": "true", "explanation": "e"}, "reviewer", 201),
    ("corrections", {"reason": "r", "statement": "corrected"}, "contributor", 200),
    ("retraction", {"reason": "r"}, "contributor", 200),
    ("links", {"target_id": "{target}", "relation": "supports"}, "contributor", 201),
]


@pytest.mark.parametrize(
    ("command", "body", "role", "status"), COMMANDS, ids=[c[0] for c in COMMANDS]
)
def test_every_claim_command_replays_a_retry(
    api: Api, world: World, command: str, body: dict[str, Any], role: str, status: int
) -> None:
    claim, target = record_claim(api, world), record_claim(api, world)
    filled = {
        k: v.format(bare=world.bare_source_id, target=target["id"]) if isinstance(v, str) else v
        for k, v in body.items()
    }
    path = f"/claims/{claim['id']}/{command}"
    first = api.post(path, filled, role=role, **{"Idempotency-Key": f"{command}-1"})
    assert first.status_code == status, first.text

    again = api.post(path, filled, role=role, **{"Idempotency-Key": f"{command}-1"})

    assert_replayed(first, again)
    assert current_version(api, claim["id"]) == 2


def test_a_retried_resolution_replays(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    dispute = api.post(f"/claims/{claim['id']}/disputes", {"reason": "r"}).json()["dispute_id"]
    path = f"/claims/{claim['id']}/disputes/{dispute}/resolution"
    body = {"outcome": "upheld", "note": "n"}
    first = api.post(path, body, role="reviewer", **{"Idempotency-Key": "resolve-1"})
    assert first.status_code == 200

    again = api.post(path, body, role="reviewer", **{"Idempotency-Key": "resolve-1"})

    assert_replayed(first, again)
    assert current_version(api, claim["id"]) == 3


def test_a_retried_source_registration_replays(api: Api) -> None:
    body = {"url": "https://example.org/idempotent-source", "title": "t", "text": "Some words."}
    first = api.post("/sources", body, **{"Idempotency-Key": "source-1"})
    assert first.status_code == 201
    position = head(api)

    again = api.post("/sources", body, **{"Idempotency-Key": "source-1"})
    other = api.post("/sources", {**body, "title": "changed"}, **{"Idempotency-Key": "source-1"})

    assert_replayed(first, again)
    assert_problem(other, 422, "idempotency-key-reused")
    assert head(api) == position


def test_a_retried_actor_registration_and_alias_replay(api: Api) -> None:
    body = {"id": "idempotent-actor", "name": "Idempotent", "kind": "group"}
    first = api.post("/actors", body, **{"Idempotency-Key": "actor-1"})
    alias = api.post(
        "/actors/idempotent-actor/aliases",
        {"alias": "Same Again"},
        **{"Idempotency-Key": "alias-1"},
    )
    assert (first.status_code, alias.status_code) == (201, 200)
    position = head(api)

    assert_replayed(first, api.post("/actors", body, **{"Idempotency-Key": "actor-1"}))
    assert_replayed(
        alias,
        api.post(
            "/actors/idempotent-actor/aliases",
            {"alias": "Same Again"},
            **{"Idempotency-Key": "alias-1"},
        ),
    )
    other = api.post("/actors", {**body, "id": "another-actor"}, **{"Idempotency-Key": "actor-1"})
    assert_problem(other, 422, "idempotency-key-reused")
    assert head(api) == position


def test_a_retried_key_issue_replays_without_the_secret(api: Api) -> None:
    principal = new_principal(api, "reader")
    path = f"/principals/{principal['id']}/keys"
    first = api.post(path, role="admin", **{"Idempotency-Key": "key-1"})
    assert first.status_code == 201

    again = api.post(path, role="admin", **{"Idempotency-Key": "key-1"})

    assert again.status_code == 201 and again.headers[REPLAYED] == "true"
    assert again.json()["key_id"] == first.json()["key_id"]
    assert again.json()["token"] is None
    assert len(api.get(f"/principals/{principal['id']}", role="admin").json()["keys"]) == 2


@pytest.mark.parametrize("key", ["", "k" * 256, "has space", "caf\u00e9"])
def test_a_malformed_idempotency_key_is_a_400_problem(api: Api, world: World, key: str) -> None:
    headers = {
        "Idempotency-Key": key.encode("utf-8"),
        "Authorization": f"Bearer {api.tokens['contributor']}".encode(),
    }

    response = api.client.post("/claims", json=claim_payload(world), headers=headers)

    assert_problem(response, 400, "invalid-idempotency-key")
