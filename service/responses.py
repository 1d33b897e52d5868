"""Write responses: the resource, its `position`, ETag, Location and Idempotent-Replayed."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import orjson
from fastapi.responses import JSONResponse

from infra.ledger.context import Outcome


class JSON(JSONResponse):
    """A JSON response rendered with orjson; what orjson refuses to write (a value nested
    deeper than its 254 levels, which only an event stored behind the application's back can
    hold) by the standard library, so such a page is served rather than a 500."""

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content)
        except orjson.JSONEncodeError:
            text = json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=_plain)
            return text.encode()


def _plain(value: Any) -> Any:
    """What orjson writes for the types it knows that `json` does not."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class JSONLD(JSON):
    """A JSON-LD document (schema.org)."""

    media_type = "application/ld+json"


def written(
    outcome: Outcome[Any], body: dict[str, Any], *, status: int = 200, location: str | None = None
) -> JSON:
    """The response to a command; a replayed command answers exactly as the first time."""
    headers = {"ETag": f'"{outcome.aggregate.version}"'}
    if location is not None:
        headers["Location"] = location
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSON({**body, "position": outcome.position}, status_code=status, headers=headers)


def resource(body: dict[str, Any], version: int) -> JSON:
    return JSON(body, headers={"ETag": f'"{version}"'})
