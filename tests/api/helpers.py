"""Helpers for the API tests: problem+json assertions and a few request builders."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.api.conftest import Api, World
from tests.factories import QUOTE

PROBLEM = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> Any:
    """The response is an RFC 9457 problem with this status (and a `type` ending in `code`)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM, response.headers
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys(), body
    assert body["status"] == status
    assert isinstance(body["type"], str) and body["type"]
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    if code is not None:
        assert body["type"].endswith(code), body["type"]
    return body


def assert_invalid(response: httpx.Response, *loc: str | int) -> Any:
    """A 422 validation problem whose `errors` name `loc` (a prefix of some error's loc)."""
    body = assert_problem(response, 422)
    assert body["errors"], body
    for error in body["errors"]:
        assert {"loc", "msg"} <= error.keys()
        assert isinstance(error["loc"], list) and isinstance(error["msg"], str)
    if loc:
        locs = [tuple(e["loc"][: len(loc)]) for e in body["errors"]]
        assert tuple(loc) in locs, locs
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def missing_id() -> str:
    return str(uuid.uuid4())


def claim_payload(world: World, **overrides: Any) -> dict[str, Any]:
    """China -supports-> Russia, quoting the seed article."""
    body: dict[str, Any] = {
        "statement": "China supports Russia's demands on security guarantees",
        "kind": "quote",
        "subject": "china",
        "relation": "supports",
        "object": "russia",
        "appearance": {"source_id": world.source_id, "exact": QUOTE},
    }
    return body | overrides


def record_claim(api: Api, world: World, role: str = "contributor", **overrides: Any) -> Any:
    response = api.post("/claims", claim_payload(world, **overrides), role=role)
    assert response.status_code == 201, response.text
    return response.json()


def new_principal(api: Api, role: str, name: str | None = None) -> Any:
    """A fresh principal (created by the admin) with its first token."""
    body = {"name": name or f"{role}-{uuid.uuid4().hex[:8]}", "role": role}
    response = api.post("/principals", body, role="admin")
    assert response.status_code == 201, response.text
    return response.json()


def current_version(api: Api, claim_id: str) -> int:
    response = api.get(f"/claims/{claim_id}")
    assert response.status_code == 200, response.text
    version: int = response.json()["version"]
    assert response.headers["ETag"] == f'"{version}"'
    return version


def history_types(api: Api, claim_id: str) -> list[str]:
    response = api.get(f"/claims/{claim_id}/history")
    assert response.status_code == 200, response.text
    return [item["type"] for item in response.json()["items"]]
