"""A view stopped at an event it cannot apply shows on /readyz and /metrics, while the other
views keep answering (issue 16). The event is planted straight into the events table."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest

from infra.ledger.application import open_ledger
from tests.api.conftest import Api, serve
from tests.api.helpers import assert_problem
from tests.integration.read.poison import nested, plant_review


@pytest.fixture
def served(database_url: str) -> Iterator[Api]:
    yield from serve(
        database_url, view_retry_first=0.05, view_retry_max=0.2, min_position_timeout=0.3
    )


def _wait(api: Api, ready: Any, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = api.get("/readyz").json()
        if ready(body):
            return body
        time.sleep(0.05)
    raise AssertionError(f"not reached: {body}")


def test_readyz_and_metrics_show_the_view_stopped_at_the_event_and_the_others_go_on(
    served: Api, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    api = served
    actor = {"id": "china", "name": "China", "kind": "state"}
    assert api.post("/actors", actor).status_code == 201
    source = api.post("/sources", {"url": "https://example.org/a", "title": "A"}).json()
    claim = {
        "statement": "China says so",
        "kind": "fact",
        "subject": "china",
        "relation": "makes_statement",
        "appearance": {"source_id": source["id"], "exact": "China says so"},
    }
    first = api.post("/claims", claim)
    assert first.status_code == 201, first.text
    ledger = open_ledger(database_url)
    with caplog.at_level(logging.ERROR, "claimtrail.projections"):
        try:
            planted = plant_review(ledger, UUID(first.json()["id"]), {"extra": nested(300)})
        finally:
            ledger.close()
        later = api.post("/actors", {"id": "russia", "name": "Russia", "kind": "state"})
        assert later.status_code == 201

        body = _wait(
            api,
            lambda b: (
                b["views"]["claims"]["stuck"] is not None
                and b["views"]["actors"]["lag"] == 0
                and b["views"]["claims"]["stuck"]["attempts"] >= 3
            ),
        )

    assert body["status"] == "degraded"
    stuck = body["views"]["claims"]["stuck"]
    assert stuck["position"] == planted and "Recursion limit" in stuck["error"]
    assert body["views"]["claims"]["position"] < planted
    assert all(body["views"][v]["stuck"] is None for v in body["views"] if v != "claims")
    assert all(body["views"][v]["lag"] == 0 for v in body["views"] if v != "claims")
    # Reads of the other views answer, with what came after the event.
    assert api.get("/actors/russia").status_code == 200
    assert api.get("/actors", q="russ").json()["items"][0]["id"] == "russia"
    metrics = api.get("/metrics").text
    assert f'claimtrail_view_stuck_position{{view="claims"}} {float(planted)}' in metrics
    assert 'claimtrail_view_stuck_position{view="actors"} 0.0' in metrics
    # A read waiting for a position past the event: 503, views behind (not a hang).
    waiting = api.client.get("/claims", params={"min_position": later.json()["position"]})
    body = assert_problem(waiting, 503, "views-behind")
    assert body["reached"] < planted and int(waiting.headers["Retry-After"]) >= 1
    # One log line per attempt, never a flood.
    lines = [r for r in caplog.records if "stopped at position" in r.getMessage()]
    attempts = api.get("/readyz").json()["views"]["claims"]["stuck"]["attempts"]
    assert len(lines) >= 3 and abs(len(lines) - attempts) <= 1
