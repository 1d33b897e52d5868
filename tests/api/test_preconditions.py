"""If-Match: a command names the version it expects; a stale one is a 412 and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, World
from tests.api.helpers import (
    assert_problem,
    bearer,
    current_version,
    history_types,
    new_principal,
    record_claim,
)

COMMANDS = [
    ("appearances", {"source_id": "{bare}", "exact": "quoted elsewhere"}, "contributor", 201),
    ("evidence", {"stance": "supports", "note": "n"}, "contributor", 201),
    ("disputes", {"reason": "r"}, "contributor", 201),
    ("reviews", {"verdict": "true", "explanation": "e"}, "reviewer", 201),
    ("corrections", {"reason": "r", "statement": "corrected"}, "contributor", 200),
    ("retraction", {"reason": "r"}, "contributor", 200),
    ("links", {"target_id": "{target}", "relation": "supports"}, "contributor", 201),
]
IDS = [c[0] for c in COMMANDS]


def _prepare(api: Api, world: World, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A claim at version 2 and the command body for it."""
    claim, target = record_claim(api, world), record_claim(api, world)
    assert (
        api.post(f"/claims/{claim['id']}/evidence", {"stance": "context", "note": "v2"}).status_code
        == 201
    )
    filled = {
        k: v.format(bare=world.bare_source_id, target=target["id"]) if isinstance(v, str) else v
        for k, v in body.items()
    }
    return claim["id"], filled


@pytest.mark.parametrize(("command", "body", "role", "status"), COMMANDS, ids=IDS)
def test_a_command_with_the_current_version_in_if_match_succeeds(
    api: Api, world: World, command: str, body: dict[str, Any], role: str, status: int
) -> None:
    claim_id, filled = _prepare(api, world, body)

    response = api.post(f"/claims/{claim_id}/{command}", filled, role=role, **{"If-Match": '"2"'})

    assert response.status_code == status, response.text
    assert response.headers["ETag"] == '"3"'


@pytest.mark.parametrize(("command", "body", "role", "status"), COMMANDS, ids=IDS)
def test_a_command_with_a_stale_if_match_is_a_412_and_writes_nothing(
    api: Api, world: World, command: str, body: dict[str, Any], role: str, status: int
) -> None:
    claim_id, filled = _prepare(api, world, body)
    before = history_types(api, claim_id)

    response = api.post(f"/claims/{claim_id}/{command}", filled, role=role, **{"If-Match": '"1"'})

    assert_problem(response, 412)
    assert current_version(api, claim_id) == 2
    assert history_types(api, claim_id) == before


def test_a_stale_resolution_is_a_412_and_leaves_the_dispute_open(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    dispute = api.post(f"/claims/{claim['id']}/disputes", {"reason": "r"}).json()["dispute_id"]

    response = api.post(
        f"/claims/{claim['id']}/disputes/{dispute}/resolution",
        {"outcome": "upheld", "note": "n"},
        role="reviewer",
        **{"If-Match": '"1"'},
    )

    assert_problem(response, 412)
    state = api.get(f"/claims/{claim['id']}").json()
    assert (state["version"], state["disputes"][0]["status"]) == (2, "open")


def test_the_etag_of_a_read_is_the_if_match_of_the_next_write(api: Api, world: World) -> None:
    claim = record_claim(api, world)
    etag = api.get(f"/claims/{claim['id']}").headers["ETag"]

    first = api.post(
        f"/claims/{claim['id']}/evidence", {"stance": "supports", "note": "a"}, **{"If-Match": etag}
    )
    second = api.post(
        f"/claims/{claim['id']}/evidence", {"stance": "supports", "note": "b"}, **{"If-Match": etag}
    )

    assert first.status_code == 201
    assert_problem(second, 412)


def test_if_match_star_skips_the_version_check(api: Api, world: World) -> None:
    claim = record_claim(api, world)

    response = api.post(
        f"/claims/{claim['id']}/evidence", {"stance": "supports", "note": "a"}, **{"If-Match": "*"}
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    "value", ["2", '"two"', "'2'", '"1", "2"', '"-1"', '"' + "9" * 30 + '"', "W/2", ""]
)
def test_a_malformed_if_match_is_a_400_problem(api: Api, world: World, value: str) -> None:
    claim = record_claim(api, world)

    response = api.post(
        f"/claims/{claim['id']}/evidence",
        {"stance": "supports", "note": "n"},
        **{"If-Match": value},
    )

    assert_problem(response, 400, "invalid-if-match")
    assert current_version(api, claim["id"]) == 1


def test_a_stale_if_match_on_an_actor_alias_is_a_412(api: Api) -> None:
    actor = {"id": "precondition-actor", "name": "Precondition", "kind": "group"}
    assert api.post("/actors", actor).status_code == 201

    stale = api.post("/actors/precondition-actor/aliases", {"alias": "Pre"}, **{"If-Match": '"2"'})
    current = api.post(
        "/actors/precondition-actor/aliases", {"alias": "Pre"}, **{"If-Match": '"1"'}
    )

    assert_problem(stale, 412)
    assert current.status_code == 200 and current.headers["ETag"] == '"2"'


def test_a_stale_if_match_on_a_key_revocation_is_a_412_and_the_key_still_works(
    api: Api,
) -> None:
    principal = new_principal(api, "reader")
    path = f"/principals/{principal['id']}/keys/{principal['key_id']}"
    admin = bearer(api.tokens["admin"])

    stale = api.client.delete(path, headers={**admin, "If-Match": '"1"'})

    assert_problem(stale, 412)
    reads = api.client.get("/principals", headers=bearer(principal["token"]))
    assert reads.status_code == 403  # authenticated (not 401): the key is still live
