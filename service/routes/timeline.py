"""The timeline: one entry per event, on the recorded or the occurred axis, and its live feed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Literal
from uuid import UUID

import orjson
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime
from starlette.concurrency import run_in_threadpool

from infra.projections.read_model import ReadModel
from infra.projections.timeline_view import TimelineQuery
from service.deps import Reader, ReadModelDep, fresh
from service.errors import HTTPProblem
from service.pagination import CursorParam, Limit, decode, page
from service.responses import JSON
from service.routes.people import display_names
from service.times import Instant

router = APIRouter(prefix="/timeline", tags=["timeline"], dependencies=[Reader])

Slug = Annotated[str | None, Query(max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
EventType = Annotated[
    str | None, Query(max_length=64, pattern=r"^[a-z]+\.[a-z_]+$", examples=["claim.disputed"])
]
Time = Annotated[Instant | None, Query(description="RFC 3339 with an offset")]
HEARTBEAT = 15.0
# The entries, and their `by_name` from the people view.
TimelineViews = Annotated[ReadModel, fresh("timeline", "people")]


def _query(
    actor: str | None,
    with_: str | None,
    claim_id: UUID | None,
    source_id: UUID | None,
    type_: str | None,
    since: AwareDatetime | None,
    until: AwareDatetime | None,
    as_of: AwareDatetime | None,
    axis: str = "recorded",
    descending: bool = False,
) -> TimelineQuery:
    if as_of is not None:
        until = min(until, as_of) if until is not None else as_of
    return TimelineQuery(
        actor,
        with_,
        str(claim_id) if claim_id else None,
        str(source_id) if source_id else None,
        type_,
        since,
        until,
        axis,
        descending,
    )


def _keyset(cursor: str | None) -> tuple[str, int] | None:
    key = decode(cursor, list)
    if key is None:
        return None
    if len(key) != 2 or not isinstance(key[0], str) or type(key[1]) is not int:
        raise HTTPProblem(400, "the cursor does not belong to this list", "invalid-cursor")
    return key[0], key[1]


@router.get("")
def read_timeline(
    request: Request,
    views: TimelineViews,
    actor: Slug = None,
    with_: Annotated[
        str | None,
        Query(
            alias="with",
            max_length=63,
            pattern=r"^[a-z0-9][a-z0-9-]{0,62}$",
            description="the other actor of a pair",
        ),
    ] = None,
    claim_id: UUID | None = None,
    source_id: UUID | None = None,
    type: EventType = None,  # noqa: A002 - the API's name
    since: Time = None,
    until: Time = None,
    as_of: Annotated[
        Instant | None, Query(description="the timeline as recorded up to this time")
    ] = None,
    axis: Literal["recorded", "occurred"] = "recorded",
    order: Literal["asc", "desc"] = "asc",
    limit: Limit = 50,
    cursor: CursorParam = None,
) -> JSON:
    """Entries `{position, recorded_at, occurred_on, type, claim_id, source_id, actors, summary,
    by, by_name}` (`by_name`: the display name of the principal `by`). `axis=recorded` orders
    by log position; `axis=occurred` orders claim events by the time they are about (entries
    without `occurred_on` are left out)."""
    query = _query(
        actor, with_, claim_id, source_id, type, since, until, as_of, axis, order == "desc"
    )
    items, next_key = views.timeline(query, _keyset(cursor), limit)
    display_names(views, items, "by")
    return page(request, items, list(next_key) if next_key else None)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def stream_timeline(
    request: Request,
    read_model: ReadModelDep,
    actor: Slug = None,
    with_: Annotated[
        str | None, Query(alias="with", max_length=63, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    ] = None,
    claim_id: UUID | None = None,
    source_id: UUID | None = None,
    type: EventType = None,  # noqa: A002
    last_event_id: Annotated[str | None, Header(pattern=r"^\d{1,18}$")] = None,
    after: Annotated[
        int | None, Query(ge=0, le=2**62, description="resume after this position")
    ] = None,
) -> StreamingResponse:
    """Server-Sent Events of new timeline entries (same filters). Each event's `id` is its
    position; reconnecting with `Last-Event-ID` resumes with no gap and no repeat."""
    query = _query(actor, with_, claim_id, source_id, type, None, None, None)
    start = int(last_event_id) if last_event_id is not None else after
    if start is None:  # what the timeline view holds (not the least of every view's position)
        start = await run_in_threadpool(read_model.position, ["timeline"])

    async def events() -> AsyncIterator[bytes]:
        last, idle = start, 0.0
        yield b"retry: 1000\n\n"
        while not await request.is_disconnected():
            entries, _ = await run_in_threadpool(read_model.timeline, query, ("", last), 100)
            if entries:
                await run_in_threadpool(display_names, read_model, entries, "by")
            for entry in entries:
                last = entry["position"]
                yield (
                    f"id: {last}\nevent: {entry['type']}\n".encode()
                    + b"data: "
                    + orjson.dumps(entry)
                    + b"\n\n"
                )
            if entries:
                idle = 0.0
                continue
            await asyncio.sleep(0.2)
            idle += 0.2
            if idle >= HEARTBEAT:
                idle = 0.0
                yield b": keep-alive\n\n"

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
