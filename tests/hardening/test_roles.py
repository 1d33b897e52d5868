"""Who may do what, over EVERY endpoint (the operations of /openapi.json, the web page and the
docs) x every kind of caller x public and private reads, each cell with its expected status.

Writes reuse the request builders of tests/api/test_auth_matrix.py (which also covers malformed
tokens, revocation taking effect at once and correcting others' claims); this module adds the
reads, the operations endpoints, private mode, and checks that the OpenAPI document declares
the 401 and 403 each operation can answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from service.app import create_app
from tests.api.conftest import Api, World
from tests.api.helpers import PROBLEM, bearer, new_principal, record_claim
from tests.api.test_auth_matrix import ENDPOINTS, RANKS, Request
from tests.hardening.conftest import start

CALLERS = ["none", "revoked", "reader", "contributor", "reviewer", "admin"]


@dataclass
class Server:
    api: Api
    world: World
    revoked: str  # an admin token whose key is revoked
    paths: dict[str, str]  # a concrete path for each read operation


def _reads(api: Api, world: World) -> dict[str, str]:
    claim = record_claim(api, world)
    reviewed = api.post(
        f"/claims/{claim['id']}/reviews", {"verdict": "true", "explanation": "e"}, role="reviewer"
    )
    assert reviewed.status_code == 201, reviewed.text
    head = reviewed.json()["position"]
    principal = new_principal(api, "reader")
    organization = api.post("/organizations", {"name": "Roles desk"}, role="admin").json()["id"]
    hook = api.post(
        "/webhooks",
        {"url": "https://hooks.example.org/roles", "event_types": ["*"]},
        role="admin",
    )
    assert hook.status_code == 201, hook.text
    fresh = f"min_position={head}"
    known = f"min_position={principal['position']}"
    return {
        "GET /principals": "/principals",
        "GET /principals/{principal_id}": f"/principals/{principal['id']}",
        "GET /webhooks": "/webhooks",
        "GET /webhooks/{webhook_id}": f"/webhooks/{hook.json()['id']}",
        "GET /webhooks/{webhook_id}/deliveries": f"/webhooks/{hook.json()['id']}/deliveries",
        "GET /organizations": "/organizations",
        "GET /organizations/{organization_id}": f"/organizations/{organization}",
        "GET /organizations/{organization_id}/members": f"/organizations/{organization}/members",
        "GET /people": f"/people?{fresh}",
        "GET /people/{principal_id}": f"/people/{principal['id']}?{known}",
        "GET /sources": "/sources?url=https://example.org/hardening",
        "GET /sources/{source_id}": f"/sources/{world.source_id}",
        "GET /sources/{source_id}/candidates": f"/sources/{world.source_id}/candidates",
        "GET /actors": "/actors?q=chi",
        "GET /actors/{actor_id}": "/actors/china",
        "GET /claims": f"/claims?{fresh}",
        "GET /claims/{claim_id}": f"/claims/{claim['id']}",
        "GET /claims/{claim_id}/history": f"/claims/{claim['id']}/history",
        "GET /claims/{claim_id}/claimreview": f"/claims/{claim['id']}/claimreview",
        "GET /claims/{claim_id}/similar": f"/claims/{claim['id']}/similar?{fresh}",
        "GET /timeline": f"/timeline?{fresh}",
        "GET /timeline/stream": "/timeline/stream?after=0",
        "GET /relationships": f"/relationships?actor=china&{fresh}",
        "GET /relationships/{a}/{b}": f"/relationships/china/russia?{fresh}",
        "GET /relationships/graph": f"/relationships/graph?{fresh}",
        "GET /relationships/{a}/{b}/history": f"/relationships/china/russia/history?{fresh}",
        "GET /audit/log": f"/audit/log?{fresh}",
        "GET /audit/checkpoint": f"/audit/checkpoint?{fresh}",
        "GET /audit/checkpoints": f"/audit/checkpoints?after=0&{fresh}",
        "GET /audit/public-key": "/audit/public-key",
        "GET /audit/proofs/inclusion": f"/audit/proofs/inclusion?position=1&{fresh}",
        "GET /audit/proofs/consistency": f"/audit/proofs/consistency?first=1&{fresh}",
        "GET /healthz": "/healthz",
        "GET /readyz": "/readyz",
        "GET /metrics": "/metrics",
        "GET /": "/",
        "GET /docs": "/docs",
        "GET /openapi.json": "/openapi.json",
    }


def _start(url: str, **settings: Any) -> Iterator[Server]:
    for api, world in start(url, **settings):
        admin = new_principal(api, "admin")
        revoked = api.client.delete(
            f"/principals/{admin['id']}/keys/{admin['key_id']}", headers=bearer(api.tokens["admin"])
        )
        assert revoked.status_code == 200
        yield Server(api, world, admin["token"], _reads(api, world))


@pytest.fixture(scope="module")
def public(backend_url: str) -> Iterator[Server]:
    yield from _start(backend_url)


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """CLAIMTRAIL_PUBLIC_READ=false (on SQLite: what it changes is above the storage)."""
    yield from _start(
        f"sqlite:///{tmp_path_factory.mktemp('private') / 'p.sqlite3'}", public_read=False
    )


# -- expectations ---------------------------------------------------------------------------

OPEN = {
    "GET /healthz",
    "GET /readyz",
    "GET /metrics",
    "GET /",
    "GET /docs",
    "GET /openapi.json",
}  # operations and documentation: never look at a token
ADMIN_READS = {
    "GET /principals",
    "GET /principals/{principal_id}",
    "GET /webhooks",
    "GET /webhooks/{webhook_id}",
    "GET /webhooks/{webhook_id}/deliveries",
    "GET /organizations",
    "GET /organizations/{organization_id}",  # and the organization's own admins
    "GET /organizations/{organization_id}/members",
}
IMPORT = "POST /import/claimreview"


def _write(endpoint: str) -> str:
    """The name test_auth_matrix gives a write endpoint ("POST /claims/{id}/evidence")."""
    ids = r"\{(principal_id|claim_id|actor_id|webhook_id|organization_id)\}"
    return re.sub(ids, "{id}", endpoint)


def expected(endpoint: str, caller: str, public_read: bool) -> int:
    if endpoint in OPEN:
        return 200
    if _write(endpoint) in ENDPOINTS or endpoint == IMPORT or endpoint in ADMIN_READS:
        least, success = (
            ("admin", 200)
            if endpoint in ADMIN_READS
            else ("reviewer", 200)
            if endpoint == IMPORT
            else ENDPOINTS[_write(endpoint)][1:]
        )
        if caller not in RANKS:
            return 401
        return success if RANKS[caller] >= RANKS[least] else 403
    if caller == "revoked" or (caller == "none" and not public_read):
        return 401
    return 200


def _headers(server: Server, caller: str) -> dict[str, str]:
    if caller == "none":
        return {}
    return bearer(server.revoked if caller == "revoked" else server.api.tokens[caller])


def _send(server: Server, endpoint: str, caller: str) -> httpx.Response:
    headers = _headers(server, caller)
    if endpoint == IMPORT:
        request = Request("POST", "/import/claimreview", {"@type": "ClaimReview"})
    elif _write(endpoint) in ENDPOINTS:
        owner = caller if caller in ("contributor", "reviewer", "admin") else "contributor"
        request = ENDPOINTS[_write(endpoint)][0](server.api, server.world, owner)
    else:
        path = server.paths[endpoint]
        if endpoint == "GET /timeline/stream":  # answer headers only: the stream never ends
            with server.api.client.stream("GET", path, headers=headers) as response:
                return response
        return server.api.client.get(path, headers=headers)
    return server.api.client.request(
        request.method, request.path, json=request.body, headers=headers
    )


def _endpoints() -> list[str]:
    paths = create_app().openapi()["paths"]
    operations = [f"{m.upper()} {p}" for p, item in paths.items() for m in item]
    return [*operations, "GET /", "GET /docs", "GET /openapi.json"]


ALL = _endpoints()


def _cells(server: Server, endpoint: str, public_read: bool) -> tuple[dict[str, int], ...]:
    actual, wanted = {}, {}
    for caller in CALLERS:
        response = _send(server, endpoint, caller)
        actual[caller], wanted[caller] = (
            response.status_code,
            expected(endpoint, caller, public_read),
        )
        if response.status_code in (401, 403):
            assert response.headers["content-type"] == PROBLEM
        if response.status_code == 401:
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
    return actual, wanted


@pytest.mark.parametrize("endpoint", ALL)
def test_every_endpoint_answers_each_caller_as_its_role_allows_with_public_reads(
    public: Server, endpoint: str
) -> None:
    actual, wanted = _cells(public, endpoint, public_read=True)

    assert actual == wanted


@pytest.mark.parametrize("endpoint", ALL)
def test_every_endpoint_answers_each_caller_as_its_role_allows_with_private_reads(
    private: Server, endpoint: str
) -> None:
    actual, wanted = _cells(private, endpoint, public_read=False)

    assert actual == wanted


def test_the_matrix_covers_every_operation_the_server_documents(public: Server) -> None:
    live = public.api.get("/openapi.json").json()["paths"]
    documented = {f"{m.upper()} {p}" for p, item in live.items() for m in item}

    assert documented <= set(ALL)
    writes = {e for e in documented if _write(e) in ENDPOINTS} | {IMPORT}
    assert documented - writes - ADMIN_READS <= set(public.paths)


@pytest.mark.parametrize(
    "endpoint", [e for e in ALL if e not in {"GET /", "GET /docs", "GET /openapi.json"}]
)
def test_the_document_declares_the_401_and_403_an_operation_can_answer(
    public: Server, endpoint: str
) -> None:
    method, path = endpoint.split(" ", 1)
    declared = public.api.get("/openapi.json").json()["paths"][path][method.lower()]["responses"]
    statuses = {
        expected(endpoint, caller, public_read)
        for caller in CALLERS
        for public_read in (True, False)
    }

    assert ("401" in declared) == (401 in statuses), declared.keys()
    assert ("403" in declared) == (403 in statuses), declared.keys()
