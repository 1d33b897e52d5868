"""Keyset pages over HTTP while another thread writes between the page requests: no item is
repeated, and none that existed when paging began is skipped."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.api.conftest import Api
from tests.api.read.conftest import Seeded
from tests.api.read.support import MAX_PAGES

ROUNDS = 8  # rounds of writes, one between each of the first page requests


class Writer:
    """A thread of its own (with its own HTTP client) that runs one round of writes on request."""

    def __init__(self, world: Seeded) -> None:
        self.world, self.position, self.recorded = world, 0, []
        self.jobs: queue.Queue[list[str] | None] = queue.Queue()
        self.done: queue.Queue[BaseException | None] = queue.Queue()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def between_pages(self, amend: list[str]) -> None:
        """Record a claim, add evidence to and review the claims `amend`; wait until done."""
        self.jobs.put(amend)
        failure = self.done.get(timeout=30)
        assert failure is None, failure

    def _run(self) -> None:
        api = Api(
            httpx.Client(base_url=self.world.api.client.base_url, timeout=30), self.world.api.tokens
        )
        with api.client:
            while (amend := self.jobs.get()) is not None:
                try:
                    self._round(api, amend)
                    self.done.put(None)
                except BaseException as exc:  # handed to the test thread, which fails on it
                    self.done.put(exc)

    def _round(self, api: Api, amend: list[str]) -> None:
        claim = self.world.record(f"Recorded while paging, {len(self.recorded) + 1}")
        self.recorded.append(claim["id"])
        positions = [claim["position"]]
        for claim_id in amend:
            evidence = api.post(
                f"/claims/{claim_id}/evidence", {"stance": "context", "note": "added while paging"}
            )
            review = api.post(
                f"/claims/{claim_id}/reviews",
                {"verdict": "mixed", "explanation": "reviewed while paging"},
                role="reviewer",
            )
            assert evidence.status_code == review.status_code == 201, (evidence.text, review.text)
            positions += [evidence.json()["position"], review.json()["position"]]
        self.position = max(positions)


@contextmanager
def writing(world: Seeded) -> Iterator[Writer]:
    writer = Writer(world)
    writer.thread.start()
    try:
        yield writer
    finally:
        writer.jobs.put(None)
        writer.thread.join(timeout=30)


def page_through(
    world: Seeded,
    path: str,
    key: Callable[[Any], Any],
    writer: Writer,
    amend: Callable[[list[Any]], list[str]],
) -> list[Any]:
    """Every item key of `path` in pages of 3, one round of writes after each early page."""
    seen: list[Any] = []
    params: dict[str, Any] = {"limit": 3}
    for number in range(MAX_PAGES):
        if writer.position:
            params["min_position"] = writer.position  # the next page reflects the writes
        response = world.api.get(path, **params)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [key(item) for item in body["items"]]
        if body["next_cursor"] is None:
            return seen
        params["cursor"] = body["next_cursor"]
        if number < ROUNDS:
            writer.between_pages(amend(body["items"]))
    raise AssertionError(f"{path} did not end within {MAX_PAGES} pages")


def test_claim_pages_hold_every_claim_once_while_claims_are_recorded_and_amended(
    fresh: Seeded,
) -> None:
    before = [c["id"] for c in fresh.api.get("/claims", limit=500).json()["items"]]
    ahead = iter(before[3::3])  # a claim on a page still to come, each round

    with writing(fresh) as writer:
        seen = page_through(
            fresh, "/claims", lambda c: c["id"], writer, lambda page: [page[-1]["id"], next(ahead)]
        )

    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)
    assert seen[: len(before)] == before  # amended claims keep their place
    assert seen[len(before) :] == writer.recorded  # new ones come after, in order
    assert len(writer.recorded) == ROUNDS


def test_timeline_pages_hold_every_entry_once_while_events_arrive(fresh: Seeded) -> None:
    before = [e["position"] for e in fresh.api.get("/timeline", limit=500).json()["items"]]
    amended = list(fresh.ids.values())[:2]  # their new entries land after every page so far

    with writing(fresh) as writer:
        seen = page_through(
            fresh, "/timeline", lambda e: e["position"], writer, lambda page: amended
        )

    assert len(seen) == len(set(seen))
    assert set(before) <= set(seen)
    assert seen == sorted(seen)
    everything = [
        e["position"]
        for e in fresh.api.get("/timeline", limit=500, min_position=writer.position).json()["items"]
    ]
    assert seen == everything
