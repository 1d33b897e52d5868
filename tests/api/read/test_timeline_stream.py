"""GET /timeline/stream: Server-Sent Events of new entries; Last-Event-ID resumes exactly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.api.read.conftest import Seeded, serving
from tests.api.read.support import EventStream, every_item

READ_BOUND = httpx.Timeout(10.0, read=5.0)  # no event within 5 s fails the test, never hangs


@contextmanager
def streaming(
    world: Seeded,
    timeout: httpx.Timeout = READ_BOUND,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> Iterator[EventStream]:
    """An open stream that has started: every event recorded from now on will arrive."""
    with world.api.client.stream(
        "GET", "/timeline/stream", params=params, headers=headers, timeout=timeout
    ) as response:
        stream = EventStream(response)
        stream.started()
        yield stream


def positions(world: Seeded, first: int, last: int) -> list[int]:
    """Timeline positions from `first` to `last` as GET /timeline lists them."""
    entries = every_item(world.api, "/timeline", limit=100, min_position=last)
    return [e["position"] for e in entries if first <= e["position"] <= last]


def test_events_written_after_connecting_arrive_with_their_position_as_id(fresh: Seeded) -> None:
    with streaming(fresh) as stream:
        written = [fresh.record(f"Streamed claim {n}")["position"] for n in range(3)]
        events = stream.until(written[-1])

    assert [e["id"] for e in events] == written
    assert [e["data"]["position"] for e in events] == written
    assert all(e["event"] == e["data"]["type"] == "claim.recorded" for e in events)
    assert all(e["data"]["by_name"] == "contributor-user" for e in events)  # display names
    entries = every_item(fresh.api, "/timeline", limit=100, min_position=written[-1])
    assert [e["data"] for e in events] == [e for e in entries if e["position"] in written]
    assert stream.retry == 1000


def test_reconnecting_with_last_event_id_continues_with_no_gap_and_no_repeat(fresh: Seeded) -> None:
    with streaming(fresh) as stream:
        claim = fresh.record("Before the disconnect")
        first = stream.until(claim["position"])
    evidence = fresh.api.post(
        f"/claims/{claim['id']}/evidence", {"stance": "supports", "note": "while disconnected"}
    )
    assert evidence.status_code == 201, evidence.text
    missed = [fresh.record(f"While disconnected {n}")["position"] for n in range(2)]

    with streaming(fresh, headers={"Last-Event-ID": str(first[-1]["id"])}) as stream:
        later = fresh.record("After the reconnect")["position"]
        second = stream.until(later)

    ids = [e["id"] for e in first + second]
    assert ids == positions(fresh, ids[0], later)
    assert len(ids) == len(set(ids)) == 5
    assert {evidence.json()["position"], *missed} < set(ids)


def test_the_stream_applies_the_timeline_filters(fresh: Seeded) -> None:
    with streaming(fresh, type="claim.disputed", actor="russia") as stream:
        claim = fresh.record("To be disputed")
        fresh.record("Not disputed")
        other = fresh.record(
            "About someone else", subject="us", object="nato", relation="criticizes"
        )
        assert (
            fresh.api.post(f"/claims/{other['id']}/disputes", {"reason": "not russia"}).status_code
            == 201
        )
        dispute = fresh.api.post(f"/claims/{claim['id']}/disputes", {"reason": "no source"})
        assert dispute.status_code == 201, dispute.text
        [event] = stream.until(dispute.json()["position"])

    assert event["data"]["claim_id"] == claim["id"]
    assert event["event"] == "claim.disputed"


def test_a_stream_with_after_starts_after_that_position(fresh: Seeded) -> None:
    start = fresh.record("Already there")["position"]
    later = fresh.record("Then this")["position"]

    with streaming(fresh, after=start - 1) as stream:
        events = stream.until(later)

    assert [e["id"] for e in events] == [start, later]


def test_a_dispute_filed_over_http_reaches_the_stream_and_the_timeline_within_a_second(
    database_url: str,
) -> None:
    with serving(database_url, min_position_timeout=1.0) as world:
        claim_id = world.ids["china-russia-quasi-alliance"]
        with streaming(world, timeout=httpx.Timeout(10.0, read=1.0)) as stream:
            filed = world.api.post(
                f"/claims/{claim_id}/disputes", {"reason": "a 'quasi-alliance' is an opinion"}
            )
            assert filed.status_code == 201, filed.text
            position = filed.json()["position"]

            # Bounded by the server: 503 if the views have not got there within 1 s.
            listed = world.api.get("/timeline", min_position=position, type="claim.disputed")
            [event] = stream.until(position)

    assert listed.status_code == 200, listed.text
    assert [e["position"] for e in listed.json()["items"]] == [position]
    assert event["id"] == position
    assert event["data"] == listed.json()["items"][0]
    assert event["data"]["claim_id"] == claim_id
