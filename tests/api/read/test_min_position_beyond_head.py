"""min_position beyond the log's last position: no wait can reach it, so every read that takes
min_position answers 422 (`position-beyond-head`, naming the head) at once instead of holding
the request for min_position_timeout and answering 503."""

from __future__ import annotations

import time
from typing import Any

from tests.api.helpers import assert_problem
from tests.api.read.conftest import Seeded

# Values for the path and required query parameters of the operations that take min_position.
PATH_VALUES = {"a": "china", "b": "russia"}
REQUIRED_QUERY = {"actor": "china", "position": 1, "first": 1}


def _ids(world: Seeded) -> dict[str, str]:
    """Ids of things that exist, for the path parameters that name one."""
    person = world.api.get("/people", limit=1).json()["items"][0]
    claim = world.api.get("/claims", limit=1).json()["items"][0]
    return {"principal_id": person["id"], "claim_id": claim["id"]}


def operations(world: Seeded) -> list[tuple[str, dict[str, Any]]]:
    """(path, required query) of every GET operation whose parameters include min_position."""
    schema = world.api.get("/openapi.json").json()
    found = []
    for path, item in schema["paths"].items():
        get = item.get("get")
        names = {p["name"]: p for p in (get or {}).get("parameters", [])}
        if "min_position" not in names:
            continue
        values = {**PATH_VALUES, "source_id": world.guardian_id, **_ids(world)}
        query = {
            name: REQUIRED_QUERY[name]
            for name, p in names.items()
            if p["in"] == "query" and p.get("required")
        }
        found.append((path.format(**values), query))
    return found


def head(world: Seeded) -> int:
    response = world.api.get("/readyz")
    assert response.status_code == 200, response.text
    return int(response.json()["position"])


def test_every_read_taking_min_position_is_listed(world: Seeded) -> None:
    paths = {path for path, _ in operations(world)}

    assert {
        "/claims",
        "/actors",
        "/timeline",
        "/relationships",
        "/relationships/graph",
        "/relationships/china/russia",
        "/relationships/china/russia/history",
        f"/sources/{world.guardian_id}/candidates",
        "/audit/log",
    } <= paths


def test_a_position_beyond_the_head_is_a_422_at_once(world: Seeded) -> None:
    last = head(world)
    for path, query in operations(world):
        for beyond in (last + 1, 2**62):
            began = time.monotonic()
            response = world.api.get(path, **query, min_position=beyond)
            elapsed = time.monotonic() - began

            body = assert_problem(response, 422, "position-beyond-head")
            assert body["head"] == last and body["position"] == beyond, (path, body)
            assert str(last) in body["detail"]
            assert elapsed < 2.0, (path, elapsed)  # min_position_timeout is 5 s


def test_the_head_itself_is_served(world: Seeded) -> None:
    last = head(world)
    for path, query in operations(world):
        response = world.api.get(path, **query, min_position=last)

        assert response.status_code != 422, (path, response.text)
        assert response.status_code < 500, (path, response.text)


def test_a_write_moves_the_head(fresh: Seeded) -> None:
    before = head(fresh)
    refused = fresh.api.get("/claims", min_position=before + 1)
    claim = fresh.record("A claim that moves the head")

    served = fresh.api.get("/claims", min_position=claim["position"], limit=500)

    assert_problem(refused, 422, "position-beyond-head")
    assert claim["position"] > before
    assert served.status_code == 200, served.text
    assert claim["id"] in [c["id"] for c in served.json()["items"]]
