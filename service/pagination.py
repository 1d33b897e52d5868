"""Keyset pagination: opaque cursors, `limit`, the `Link: <...>; rel="next"` header."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

import orjson
from fastapi import Query, Request

from service.errors import HTTPProblem
from service.responses import JSON

Limit = Annotated[int, Query(ge=1, le=500, description="page size (default 50, max 500)")]
CursorParam = Annotated[str | None, Query(max_length=512, description="opaque; from next_cursor")]
MinPosition = Annotated[
    int | None,
    Query(
        ge=0,
        le=2**62,
        description="wait (up to 5 s) until the views have processed this position; "
        "503 with Retry-After if they do not; 422 at once if it is beyond the log's last "
        "position (no view can reach it)",
    ),
]


def encode(key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def decode(cursor: str | None, kind: type | tuple[type, ...]) -> Any:
    """The key inside a cursor; 400 if it was not made by `encode` for this kind of list."""
    if cursor is None:
        return None
    try:
        key = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise HTTPProblem(400, "the cursor is malformed", "invalid-cursor") from None
    if not isinstance(key, kind) or isinstance(key, bool) or not _in_range(key):
        raise HTTPProblem(400, "the cursor does not belong to this list", "invalid-cursor")
    return key


def _in_range(key: Any) -> bool:
    """Every number in a key is a position or a row id: 0 to 2**63 - 1 (a database integer;
    a larger one would overflow the query, not just find nothing)."""
    if isinstance(key, list):
        return all(_in_range(part) for part in key)
    return not isinstance(key, int) or 0 <= key < 2**63


def page(request: Request, items: list[Any], next_key: Any, **extra: Any) -> JSON:
    next_cursor = encode(next_key) if next_key is not None else None
    headers = {}
    if next_cursor is not None:
        url = request.url.include_query_params(cursor=next_cursor)
        headers["Link"] = f'<{url.path}?{url.query}>; rel="next"'
    return JSON({"items": items, "next_cursor": next_cursor, **extra}, headers=headers)
