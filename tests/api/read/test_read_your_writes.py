"""min_position: a read waits (bounded) until the views have processed a write; /readyz shows
how far each view is; with projections off the views move only when a projector runs."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from infra.ledger.application import open_ledger
from infra.projections.read_model import ReadModel
from tests.api.helpers import assert_invalid, assert_problem
from tests.api.read.conftest import Seeded, serving
from tests.integration.read.worker import running_worker

LISTS = [
    "/claims",
    "/timeline",
    "/actors",
    "/relationships?actor=china",
    "/relationships/china/russia",
]


def readyz(world: Seeded) -> Any:
    response = world.api.get("/readyz")
    assert response.status_code == 200, response.text
    return response.json()


def test_a_read_with_the_writes_position_sees_the_write(fresh: Seeded) -> None:
    actor = fresh.api.post(
        "/actors",
        {
            "id": "tass",
            "name": "TASS",
            "kind": "organization",
            "aliases": ["Telegrafnoye agentstvo"],
        },
    )
    assert actor.status_code == 201, actor.text
    claim = fresh.record(
        "TASS criticizes NATO",
        subject="Telegrafnoye agentstvo",
        relation="criticizes",
        object="nato",
    )
    at = {"min_position": claim["position"]}

    claims = fresh.api.get("/claims", actor="tass", **at).json()["items"]
    timeline = fresh.api.get("/timeline", claim_id=claim["id"], **at).json()["items"]
    actors = fresh.api.get("/actors", q="telegrafnoye", **at).json()["items"]
    edges = fresh.api.get("/relationships/tass/nato", **at).json()["edges"]

    assert [c["id"] for c in claims] == [claim["id"]]
    assert [e["position"] for e in timeline] == [claim["position"]]
    assert [a["id"] for a in actors] == ["tass"]
    assert [(e["source"], e["relation"]["slug"]) for e in edges] == [("tass", "criticizes")]


@pytest.mark.parametrize("value", ["-1", "x", str(2**62 + 1)])
def test_a_malformed_min_position_is_a_422_problem(world: Seeded, value: str) -> None:
    assert_invalid(world.api.get("/claims", min_position=value), "query", "min_position")


def test_min_position_the_views_do_not_reach_is_a_503_problem_with_retry_after(
    database_url: str,
) -> None:
    with serving(database_url, projections="off", min_position_timeout=0.3) as world:
        ahead = world.record("Nobody projects this")["position"]
        for path in LISTS:
            response = world.api.client.get(path, params={"min_position": ahead})

            body = assert_problem(response, 503, "views-behind")
            assert int(response.headers["Retry-After"]) >= 1
            assert body["position"] == ahead and body["reached"] < ahead


def test_readyz_reports_each_views_position_and_the_lag(fresh: Seeded) -> None:
    claim = fresh.record("Something for the views")
    fresh.api.get("/claims", min_position=claim["position"], limit=1)

    ready = readyz(fresh)

    assert ready["status"] == "ready"
    assert ready["position"] >= claim["position"]
    assert {"claims", "actors", "timeline", "relationships"} <= set(ready["views"])
    for view in ready["views"].values():
        assert view["lag"] == ready["position"] - view["position"] >= 0
    assert ready["view_lag"] == max(v["lag"] for v in ready["views"].values())


def test_with_projections_off_the_views_stay_put_until_a_projector_runs(database_url: str) -> None:
    with serving(database_url, projections="off", min_position_timeout=0.3) as world:
        claim = world.record("Nobody projects this yet")
        behind = world.api.get("/claims", min_position=claim["position"])
        lagging = readyz(world)

        ledger = open_ledger(database_url)
        try:
            ReadModel(ledger).projector.catch_up()
        finally:
            ledger.close()
        caught_up = world.api.get("/claims", min_position=claim["position"], limit=500)
        ready = readyz(world)

    assert_problem(behind, 503, "views-behind")
    assert lagging["view_lag"] >= claim["position"] > 0
    assert {v["position"] for v in lagging["views"].values()} == {0}
    assert caught_up.status_code == 200, caught_up.text
    assert claim["id"] in [c["id"] for c in caught_up.json()["items"]]
    assert len(caught_up.json()["items"]) == len(world.claims) + 1
    assert ready["view_lag"] == 0


def once_projected(
    world: Seeded, worker: subprocess.Popen[bytes], log: Path, path: str, **params: Any
) -> Any:
    """GET with min_position, again on each 503 while the worker runs (bounded: 200 tries of
    min_position_timeout each)."""
    for _ in range(200):
        response = world.api.get(path, **params)
        if response.status_code != 503:
            assert response.status_code == 200, response.text
            return response.json()
        assert worker.poll() is None, log.read_text()
    raise AssertionError(f"the views never got there: {response.text}\n{log.read_text()}")


@pytest.mark.slow
def test_with_projections_off_a_claimtrail_project_worker_moves_the_views(
    database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    with serving(database_url, projections="off", min_position_timeout=0.3) as world:
        claim = world.record("For the worker")
        assert world.api.get("/claims", min_position=claim["position"]).status_code == 503
        with running_worker(database_url, log) as worker:
            listed = once_projected(
                world, worker, log, "/claims", limit=500, min_position=claim["position"]
            )
            later = world.record("While the worker follows the log")
            followed = once_projected(
                world,
                worker,
                log,
                "/timeline",
                claim_id=later["id"],
                min_position=later["position"],
            )

    assert claim["id"] in [c["id"] for c in listed["items"]]
    assert [e["position"] for e in followed["items"]] == [later["position"]]
