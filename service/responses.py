"""Write responses: the resource, its `position`, ETag, Location and Idempotent-Replayed."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse

from infra.ledger.context import Outcome


class JSON(JSONResponse):
    """A JSON response rendered with orjson."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


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
