"""Helpers of the read-side API tests: paging through lists, reading Server-Sent Events."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import orjson

from tests.api.conftest import Api

MAX_PAGES = 500  # a bound: no list in these tests has nearly as many pages


def every_page(api: Api, path: str, **params: Any) -> list[list[Any]]:
    """Follow next_cursor from the first page to the last."""
    pages: list[list[Any]] = []
    cursor = None
    for _ in range(MAX_PAGES):
        response = api.get(path, **params, **({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages
    raise AssertionError(f"{path} has more than {MAX_PAGES} pages")


def every_item(api: Api, path: str, **params: Any) -> list[Any]:
    return [item for page in every_page(api, path, **params) for item in page]


def next_link(response: httpx.Response) -> str | None:
    """The target of `Link: <...>; rel="next"`, if any."""
    match = re.search(r'<([^>]+)>;\s*rel="next"', response.headers.get("Link", ""))
    return match[1] if match else None


class EventStream:
    """Server-Sent Events from an open streaming response, one event at a time.

    Reads block at most the client's read timeout: a missing event fails the test with
    httpx.ReadTimeout instead of hanging it.
    """

    def __init__(self, response: httpx.Response) -> None:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        self.lines: Iterator[str] = response.iter_lines()
        self.retry: int | None = None

    def next(self) -> dict[str, Any]:
        """The next event that carries data: {'id': int, 'event': str, 'data': dict}."""
        fields: dict[str, str] = {}
        for line in self.lines:
            if line == "":
                if "data" in fields:
                    return {
                        "id": int(fields["id"]),
                        "event": fields.get("event"),
                        "data": orjson.loads(fields["data"]),
                    }
                fields = {}
            elif line.startswith(":"):
                continue  # a comment (keep-alive)
            else:
                name, _, value = line.partition(":")
                if name == "retry":
                    self.retry = int(value)
                fields[name] = value.removeprefix(" ")
        raise AssertionError("the stream ended")

    def until(self, position: int, limit: int = 1000) -> list[dict[str, Any]]:
        """Events up to and including the one with id `position` (at most `limit`)."""
        events: list[dict[str, Any]] = []
        for _ in range(limit):
            events.append(self.next())
            if events[-1]["id"] >= position:
                return events
        raise AssertionError(f"no event {position} within {limit} events")

    def started(self) -> None:
        """Wait for the stream's opening `retry:` line: from here on it sees every new event."""
        for line in self.lines:
            if line.startswith("retry:"):
                self.retry = int(line.partition(":")[2])
                return
        raise AssertionError("the stream ended before it started")
