"""A view stopped at an event it cannot apply shows on /readyz and /metrics, while the other
views keep answering (issue 16), reads with `min_position` too: each waits only for the views
it reads. The event is planted straight into the events table."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx
import pytest

from infra.ledger.application import open_ledger
from tests.api.conftest import Api, serve
from tests.api.helpers import assert_problem
from tests.api.read.support import EventStream
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
    with caplog.at_level(logging.WARNING, "claimtrail.projections"):
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
    assert (body["behind"], body["stopped"]) == (["claims"], ["claims"])
    # One log line per attempt, never a flood.
    lines = [r for r in caplog.records if "stopped at position" in r.getMessage()]
    attempts = api.get("/readyz").json()["views"]["claims"]["stuck"]["attempts"]
    assert len(lines) >= 3 and abs(len(lines) - attempts) <= 1
    # and no word of carrying on between the failed attempts
    assert not [r for r in caplog.records if "carries on" in r.getMessage()]


# Reads of views other than the stopped one, each with the views it waits for.
OTHER_VIEWS = [
    "/timeline",  # timeline, people
    "/timeline?axis=occurred&order=desc",
    "/claims/{claim}/similar",  # similar
    "/people",  # people
    "/actors?q=russ",  # actors
    "/sources/{source}/candidates",  # actors
    "/relationships?actor=china",  # relationships
    "/relationships/graph",  # relationships, actors
    "/relationships/china/russia",
    "/relationships/china/russia/history",
    "/audit/log?after={planted}",  # audit (the planted event's payload is left out)
]
TIMEOUT = 3.0  # a read that waited for the stopped view would answer 503 only after it
READ_BOUND = httpx.Timeout(10.0, read=5.0)  # no event within 5 s fails the test, never hangs


@dataclass(frozen=True)
class Stopped:
    """A server whose claims view is stopped at the `planted` event, with writes after it."""

    api: Api
    planted: int
    source: dict[str, Any]
    second: dict[str, Any]  # a claim recorded after the planted event
    later: dict[str, Any]  # the last write: an actor


@pytest.fixture
def stopped(database_url: str) -> Iterator[Stopped]:
    for api in serve(database_url, min_position_timeout=TIMEOUT):
        assert (
            api.post("/actors", {"id": "china", "name": "China", "kind": "state"}).status_code
            == 201
        )
        source = api.post(
            "/sources", {"url": "https://example.org/b", "title": "B", "text": "China says so."}
        ).json()
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
        try:
            planted = plant_review(ledger, UUID(first.json()["id"]), {"extra": nested(300)})
        finally:
            ledger.close()
        second = api.post("/claims", {**claim, "statement": "China says so again"}).json()
        later = api.post("/actors", {"id": "russia", "name": "Russia", "kind": "state"}).json()
        _wait(
            api,
            lambda b: (
                b["views"]["claims"]["stuck"] is not None
                and all(v["lag"] == 0 for n, v in b["views"].items() if n != "claims")
            ),
        )
        assert later["position"] > planted
        yield Stopped(api, planted, source, second, later)


def test_reads_that_do_not_read_the_stopped_view_answer_at_once_and_one_that_does_names_it(
    stopped: Stopped,
) -> None:
    api, planted, later = stopped.api, stopped.planted, stopped.later
    after = {"min_position": later["position"]}

    for path in [*OTHER_VIEWS, "/claims/{claim}"]:  # GET /claims/{id} reads the log, no view
        url = path.format(claim=stopped.second["id"], source=stopped.source["id"], planted=planted)
        url += f"{'&' if '?' in url else '?'}min_position={later['position']}"
        started = time.monotonic()
        response = api.client.get(url)
        assert response.status_code == 200, (url, response.text)
        assert time.monotonic() - started < TIMEOUT / 2, url
    assert [e["actors"] for e in api.get("/timeline", **after).json()["items"]][-1] == ["russia"]

    waiting = api.client.get("/claims", params=after)

    body = assert_problem(waiting, 503, "views-behind")
    assert (body["behind"], body["stopped"]) == (["claims"], ["claims"])
    assert body["position"] == later["position"] and body["reached"] < planted
    assert f"claims at {body['reached']} (stopped at {planted}" in body["detail"]


def test_the_timeline_stream_sends_only_new_entries_while_another_view_is_stopped(
    stopped: Stopped,
) -> None:
    api = stopped.api
    with api.client.stream("GET", "/timeline/stream", timeout=READ_BOUND) as response:
        stream = EventStream(response)
        stream.started()
        new = api.post("/actors", {"id": "nato", "name": "NATO", "kind": "organization"}).json()
        events = stream.until(new["position"])

    assert [e["id"] for e in events] == [new["position"]]  # not the entries from the stop on


def test_pages_holding_the_planted_event_are_served_not_a_500(stopped: Stopped) -> None:
    """The planted review nests deeper than orjson writes: the claim and the audit log page
    holding it are written by the standard library instead (the same JSON)."""
    api, planted = stopped.api, stopped.planted
    claim_id = api.get("/audit/log", after=planted - 1, limit=1).json()["items"][0]["aggregate_id"]

    claim = api.client.get(f"/claims/{claim_id}")
    page = api.client.get("/audit/log", params={"after": planted - 1, "limit": 1})

    assert claim.status_code == 200, claim.text
    original = claim.json()["reviews"][-1]["original"]["extra"]
    depth = 0
    while original:
        original, depth = original[0], depth + 1
    assert depth == 299
    assert page.status_code == 200, page.text
    assert page.json()["items"][0]["position"] == planted
